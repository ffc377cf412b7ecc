"""People: the acting person is the operating-system user; --as only for admins (recorded as "admin X as Y") and
in demo databases; explicit role changes; deactivation kept for the records; unknown people see nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from records import line
from typer.testing import CliRunner

from moderation.cli import app

runner = CliRunner()


class Cli:
    def __init__(self, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.db, self.mp = db, monkeypatch
        self.user = "alice"
        monkeypatch.setattr("getpass.getuser", lambda: self.user)

    def __call__(self, *args: str, code: int = 0) -> str:
        result = runner.invoke(app, [*args, "--db", str(self.db)])
        assert result.exit_code == code, (self.user, args, result.output)
        return " ".join(result.output.split())


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    run = Cli(tmp_path / "modq.db", monkeypatch)
    run("init")
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(line(f"c{i}", f"When does stage {i} open?") + "\n" for i in range(1, 5)))
    run("ingest", str(feed))
    run("moderators", "add", "carl", "--role", "moderator")
    run("moderators", "add", "lee", "--role", "legal")
    return run


def _ledger(cli: Cli) -> list[dict]:  # type: ignore[type-arg]
    import json

    from moderation.bootstrap import make_service
    from moderation.config import Settings

    svc = make_service(Settings(), database_url=f"sqlite:///{cli.db}")
    start, end = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
    return [json.loads(json.dumps(e.to_dict(), default=str)) for e in svc.ledger_events(start, end)]


def test_a_moderator_cannot_act_as_legal(cli: Cli) -> None:
    cli.user = "carl"
    said = cli("decide", "c1", "approve", "--as", "lee", code=3)
    assert "--as is for admins" in said and "'carl' is a moderator" in said
    assert not [e for e in _ledger(cli) if e["kind"] == "decided"]
    assert "decision" in cli("decide", "c1", "approve")  # as themselves, fine
    (event,) = [e for e in _ledger(cli) if e["kind"] == "decided"]
    assert event["actor"] == "carl"


def test_an_admin_acting_as_someone_is_recorded_as_such(cli: Cli) -> None:
    cli("decide", "c2", "approve", "--as", "lee")
    (event,) = [e for e in _ledger(cli) if e["kind"] == "decided"]
    assert event["actor"] == "admin alice as lee"


def test_someone_unknown_cannot_act_at_all(cli: Cli) -> None:
    cli.user = "mallory"
    assert "--as is for admins" in cli("decide", "c1", "approve", "--as", "alice", code=3)
    assert "not a moderator here" in cli("decide", "c1", "approve", code=3)


def test_roles_change_only_explicitly_and_are_recorded(cli: Cli) -> None:
    said = cli("moderators", "add", "carl", "--role", "admin", code=3)
    assert "'carl' is already a moderator" in said and "set-role" in said
    assert "carl moderator" in cli("moderators", "list")
    assert "carl is now a legal" in cli("moderators", "set-role", "carl", "legal")
    (event,) = [e for e in _ledger(cli) if e["kind"] == "moderator_role_changed"]
    assert (event["payload"]["name"], event["payload"]["from"], event["payload"]["to"]) == (
        "carl",
        "moderator",
        "legal",
    )
    cli.user = "carl"
    assert "not allowed" in cli("moderators", "set-role", "carl", "admin", code=3)


@pytest.mark.parametrize("name", ["", "   ", " bob", "bob\x1b[2J"])
def test_an_empty_or_unusable_name_is_refused(cli: Cli, name: str) -> None:
    cli("moderators", "add", name, "--role", "moderator", code=2)
    assert "moderator" not in cli("moderators", "list").replace("carl moderator", "")


def test_deactivated_people_are_kept_for_the_records_and_cannot_act(cli: Cli) -> None:
    cli.user = "carl"
    cli("decide", "c3", "approve")
    cli.user = "alice"
    cli("moderators", "deactivate", "carl", "--reason", "left the team")
    assert "carl moderator (inactive)" in cli("moderators", "list")
    cli.user = "carl"
    assert "was deactivated" in cli("decide", "c4", "approve", code=3)
    cli.user = "alice"
    assert "carl approve" in cli("show", "c3")  # the decision stays in the record
    cli("moderators", "reactivate", "carl")
    cli.user = "carl"
    cli("decide", "c4", "approve")
    kinds = [e["kind"] for e in _ledger(cli)]
    assert "moderator_deactivated" in kinds and "moderator_reactivated" in kinds


def test_the_last_admin_stays_an_admin(cli: Cli) -> None:
    assert "last active admin" in cli("moderators", "deactivate", "alice", code=3)
    assert "last active admin" in cli("moderators", "set-role", "alice", "moderator", code=3)


def test_unknown_people_see_nothing_in_the_tui(cli: Cli) -> None:
    assert "not an active moderator" in cli("tui", "--as", "nobody", code=3)
    cli.user = "mallory"
    assert "not a moderator here" in cli("tui", "--as", "nobody", code=3)
    assert "not an active moderator" in cli("tui", code=3)


def test_in_a_demo_database_anyone_may_act_as_a_demo_person(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    run = Cli(tmp_path / "demo.db", monkeypatch)
    run("demo", "--no-tui")
    run.user = "visitor"
    listed = runner.invoke(app, ["queue", "--state", "queued", "--json", "--db", str(run.db)])
    first = json.loads(listed.output)["items"][0]["id"]
    run("decide", str(first), "approve", "--as", "demo-moderator")
    assert [e["actor"] for e in _ledger(run) if e["kind"] == "decided"][-1] == "demo-moderator"
