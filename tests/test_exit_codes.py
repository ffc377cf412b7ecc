"""The documented exit codes (README): 2 bad input, 3 refused by a rule of the domain, 4 not found, 5 someone
else changed the item first, with the loser told who decided first and when."""

from __future__ import annotations

from pathlib import Path

import pytest
from records import line
from typer.testing import CliRunner

from moderation.cli import app

runner = CliRunner()


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("getpass.getuser", lambda: "alice")
    db = tmp_path / "modq.db"

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(app, [*args, "--db", str(db)])
        assert result.exit_code == code, (args, result.output)
        return result.output

    run("init")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(line("c1", "The new timetable is fine by me") + "\n" + line("c2", "When does it open?") + "\n")
    run("ingest", str(feed))
    run("moderators", "add", "bob", "--role", "moderator")
    run("moderators", "add", "carol", "--role", "committee")
    run.db = db  # type: ignore[attr-defined]
    return run


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("decide", "c1", "frobnicate"), "frobnicate"),
        (("decide", "c1", "hide"), "a hide must cite a policy clause"),
        (("decide", "c1", "hide", "--clause", "99"), "clause '99' is not in the published policy"),
        (("decide", "c1", "escalate"), "an escalation needs a route: media, privacy or legal"),
        (("decide", "c1", "escalate", "--route", "nowhere"), "nowhere"),
        (("moderators", "add", "dan", "--role", "boss"), "boss"),
        (("accounts", "add", "--platform", "myspace", "--id", "1", "--name", "M"), "myspace"),
        (("limits", "set", "breaker.share", "7"), "between 0 and 1"),
    ],
)
def test_bad_input_exits_2_saying_what_is_allowed(cli, args: tuple[str, ...], says: str) -> None:  # type: ignore[no-untyped-def]
    out = cli(*args, code=2)
    assert says in " ".join(out.split())


def test_a_refusal_by_role_or_state_exits_3(cli) -> None:  # type: ignore[no-untyped-def]
    assert "read-only" in cli("decide", "c1", "approve", "--as", "carol", code=3)
    cli("decide", "c1", "approve")
    assert "cannot hide a comment that is approved" in cli("decide", "c1", "hide", "--clause", "1", code=3)


def test_not_found_exits_4(cli) -> None:  # type: ignore[no-untyped-def]
    assert "no comment with id nope" in cli("decide", "nope", "approve", code=4)


def test_the_loser_of_two_simultaneous_decisions_exits_5_and_sees_who_won(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from moderation.bootstrap import make_service
    from moderation.config import Settings
    from moderation.services import ModerationService

    other = make_service(Settings(), database_url=f"sqlite:///{cli.db}")
    read = ModerationService.version_of

    def read_then_bob_decides(self, comment_id: int) -> int:  # type: ignore[no-untyped-def]
        seen = read(self, comment_id)
        other.decide(comment_id, "hide", "bob", clause="10")  # bob's decision lands first
        return seen

    monkeypatch.setattr(ModerationService, "version_of", read_then_bob_decides)
    out = " ".join(cli("decide", "c2", "approve", code=5).split())
    assert "bob decided first (hide at " in out and "UTC); the comment is now hidden" in out
    monkeypatch.undo()
    d = other.detail(other.find_comment("c2"))
    assert d.item.state == "hidden" and [x.actor for x in d.decisions if not x.actor.startswith("auto:")] == ["bob"]


def test_a_stale_decision_names_who_decided_first(svc) -> None:  # type: ignore[no-untyped-def]
    import io

    from moderation.domain import ConflictError

    svc.add_moderator("bob", "moderator", "alice")
    svc.ingest_stream(io.StringIO(line("s1", "When does the pool open?") + "\n"))
    svc.triage_pending()
    cid = svc.find_comment("s1")
    seen = svc.version_of(cid)  # what alice's screen shows
    svc.decide(cid, "hide", "bob", clause="10", expected_version=seen)
    with pytest.raises(ConflictError, match=r"bob decided first \(hide at 2026-11-21 09:00:00 UTC\); .* now hidden"):
        svc.decide(cid, "approve", "alice", expected_version=seen)
