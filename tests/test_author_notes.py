"""Private notes on authors: per platform and author id, who and when, shown by ``modq show``, never in a report
or a public export, redactable with the ledger still verifying."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from records import line
from typer.testing import CliRunner

from moderation.cli import app
from moderation.domain import DomainError, InputError, NotFoundError, RoleError

SECRET = "Rings the call centre daily; has a case manager"


def _ingest(svc: Any, cid: str, text: str, author: str) -> int:
    svc.ingest_stream(io.StringIO(line(cid, text, author={"id": author, "handle": "h", "name": "Pat Doe"}) + "\n"))
    svc.triage_pending(force_backfill=True)
    return int(svc.find_comment(cid))


@pytest.fixture
def people(svc: Any) -> Any:
    svc.add_moderator("bob", "moderator", "alice")
    svc.add_moderator("lee", "legal", "alice")
    svc.add_moderator("cora", "committee", "alice")
    return svc


def test_notes_are_per_author_with_who_and_when_and_only_for_staff(people: Any, clock: Any) -> None:
    svc = people
    first = _ingest(svc, "c1", "When will the Kinsale Road closure end?", "u-7")
    second = _ingest(svc, "c2", "Still waiting on the Kinsale Road answer", "u-7")
    other = _ingest(svc, "c3", "Thanks for the update on the hospital", "u-8")
    n = svc.add_author_note("facebook", "u-7", SECRET, "bob")
    assert (n.created_by, n.created_at, n.text, n.platform, n.author_id) == ("bob", clock(), SECRET, "facebook", "u-7")
    assert [x.id for x in svc.notes_for_comment(first, "lee")] == [n.id]
    assert [x.id for x in svc.notes_for_comment(second, "bob")] == [n.id]
    assert svc.notes_for_comment(other, "bob") == []
    assert svc.notes_for_comment(first, "cora") == [], "the committee never reads notes"
    assert svc.author_notes("x", "u-7", "bob") == [], "per platform"
    with pytest.raises(RoleError, match="committee"):
        svc.author_notes("facebook", "u-7", "cora")
    with pytest.raises(RoleError):
        svc.add_author_note("facebook", "u-7", "x", "cora")
    with pytest.raises(NotFoundError, match="no comment by author 'u-99'"):
        svc.add_author_note("facebook", "u-99", "typo", "bob")
    with pytest.raises(InputError, match="empty"):
        svc.add_author_note("facebook", "u-7", "   ", "bob")
    with pytest.raises(InputError, match="unknown platform"):
        svc.add_author_note("myspace", "u-7", "x", "bob")


def test_a_note_is_never_in_a_report_or_a_public_export_and_can_be_redacted(people: Any, clock: Any) -> None:
    svc = people
    _ingest(svc, "c1", "When will the Kinsale Road closure end?", "u-7")
    n = svc.add_author_note("facebook", "u-7", SECRET, "bob")
    start, end = clock() - timedelta(days=3), clock() + timedelta(days=1)
    public = json.dumps(list(svc.ledger_export("public", start, end, "alice")))
    assert SECRET not in public and "u-7" not in public
    assert SECRET in json.dumps(list(svc.ledger_export("internal", start, end, "alice")))
    day = date(2026, 11, 21)
    for fmt in ("md", "csv", "json", "html"):
        assert SECRET not in svc.report(day, day, fmt=fmt)
    with pytest.raises(RoleError):
        svc.redact_author_note(n.id, "not relevant", "bob")
    svc.redact_author_note(n.id, "the author asked", "lee")
    (gone,) = svc.author_notes("facebook", "u-7", "bob")
    assert gone.text is None and gone.redacted_by is not None and gone.created_by == "bob"
    assert SECRET not in json.dumps(list(svc.ledger_export("internal", start, end, "alice")))
    assert svc.ledger_verify().ok
    with pytest.raises(DomainError, match="already redacted"):
        svc.redact_author_note(n.id, "again", "lee")


def test_modq_show_prints_the_notes_and_notes_list_has_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setenv("MODQ_DATABASE_URL", database_url)
    monkeypatch.setattr("getpass.getuser", lambda: "alice")
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == code, (args, result.output)
        return result.output

    run("init")
    src = tmp_path / "c.jsonl"
    src.write_text(line("c1", "When will the road reopen?", author={"id": "u-7", "handle": "h", "name": "P"}) + "\n")
    run("ingest", str(src))
    added = json.loads(run("notes", "add", "facebook", "u-7", SECRET, "--json"))
    assert SECRET in " ".join(run("show", "c1").split())
    shown = json.loads(run("show", "c1", "--json"))
    assert [n["id"] for n in shown["author_notes"]] == [added["id"]]
    assert [n["text"] for n in json.loads(run("notes", "list", "facebook", "u-7", "--json"))] == [SECRET]
    run("notes", "add", "facebook", "nobody", "x", code=4)
    run("notes", "add", "myspace", "u-7", "x", code=2)
    run("notes", "redact", str(added["id"]), "--reason", "asked")
    assert SECRET not in run("show", "c1")
    assert "ledger ok" in run("ledger", "verify")
