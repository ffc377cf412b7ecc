"""``modq ledger redact|export|verify`` on the command line: who may do what, the documented exit codes, and the
person told when a note is withheld."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from records import line
from typer.testing import CliRunner

from moderation.cli import app

pytestmark = pytest.mark.backends("sqlite")


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr("getpass.getuser", lambda: "alice")
    db = tmp_path / "modq.db"
    runner = CliRunner()

    def invoke(*args: str, code: int = 0) -> Any:
        result = runner.invoke(app, [*args, "--db", str(db)])
        assert result.exit_code == code, (args, result.output)
        return result

    invoke("init")
    invoke("moderators", "add", "lee", "--role", "legal", "--as", "alice")
    invoke("moderators", "add", "bob", "--role", "moderator", "--as", "alice")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(line("k1", "When is the tip open on Sunday?") + "\n")
    invoke("ingest", str(feed))
    return invoke


def _export(run: Any, form: str, who: str = "lee") -> list[dict[str, Any]]:
    out = run("ledger", "export", "--form", form, "--from", "2000-01-01", "--to", "2100-01-01", "--as", who)
    return [json.loads(x) for x in out.stdout.splitlines() if x.strip()]


def test_redaction_from_the_command_line(run: Any) -> None:
    run("decide", "k1", "approve", "--note", "caller Mrs Olive Bragg", "--as", "bob")
    [decided] = [e for e in _export(run, "internal") if e["kind"] == "decided"]
    seq = str(decided["seq"])
    refused = run("ledger", "redact", seq, "--field", "note", "--reason", "tidy", "--as", "bob", code=3)
    assert "only legal and admins" in " ".join(refused.output.split())
    run("ledger", "redact", "99999", "--field", "note", "--reason", "tidy", "--as", "lee", code=4)
    unknown = run("ledger", "redact", seq, "--field", "colour", "--reason", "tidy", "--as", "lee", code=2)
    assert "fields that can be redacted: actor, note" in " ".join(unknown.output.split())
    run("ledger", "redact", seq, "--field", "note", "--reason", " ", "--as", "lee", code=2)
    done = run("ledger", "redact", seq, "--field", "note", "--reason", "a caller's name", "--as", "lee")
    assert f"'note' of event {seq} redacted" in done.output
    verified = run("ledger", "verify")
    assert "ledger ok" in verified.output and f"event {seq}: 'note' redacted by event" in verified.output
    assert "Bragg" not in json.dumps(_export(run, "internal")) + json.dumps(_export(run, "public", "bob"))


def test_the_export_form_is_required_and_the_internal_form_is_for_legal(run: Any) -> None:
    run("ledger", "export", "--from", "2000-01-01", "--to", "2100-01-01", code=2)
    run("ledger", "export", "--form", "all", "--from", "2000-01-01", "--to", "2100-01-01", code=2)
    refused = run(
        "ledger", "export", "--form", "internal", "--from", "2000-01-01", "--to", "2100-01-01", "--as", "bob", code=3
    )
    assert "internal form" in " ".join(refused.output.split()) and refused.stdout == ""
    public = _export(run, "public", "bob")
    assert {e["actor"] for e in public} & {"alice", "lee", "bob"} == set()
    assert "alice" not in json.dumps(public)


def test_the_person_is_told_when_a_note_is_withheld(run: Any) -> None:
    run(
        "orders", "add", "--case", "R v K", "--court", "County Court", "--term", "Kelly Lang",
        "--from", "2026-01-01", "--as", "lee",
    )  # fmt: skip
    told = run("decide", "k1", "approve", "--note", "nothing about kelly lang here", "--as", "bob")
    assert "names a person protected by a suppression order" in " ".join(told.stderr.split())
    [decided] = [e for e in _export(run, "public", "bob") if e["kind"] == "decided"]
    assert decided["payload"]["note"].startswith("[withheld")
