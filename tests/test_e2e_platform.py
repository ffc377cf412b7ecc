"""End to end through the CLI: accounts pointed at the fake platform server with --api-base, polled,
decided, and hidden on the platform exactly once per decision."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from connectors.testing.fake_platform import FakePlatform
from moderation.cli import app


@pytest.fixture
def fake() -> Iterator[tuple[FakePlatform, str, dict[str, str]]]:
    fp = FakePlatform(seed=7)
    base = fp.start()
    ids = fp.seed_demo()
    yield fp, base, ids
    fp.stop()


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch, fake):  # type: ignore[no-untyped-def]
    fp, base, ids = fake
    monkeypatch.setenv("MODQ_DATABASE_URL", database_url)
    monkeypatch.setenv("FB_TOKEN", ids["facebook_token"])
    monkeypatch.setenv("X_TOKEN", ids["x_token"])
    monkeypatch.setenv("USER", "alice")
    monkeypatch.setattr("getpass.getuser", lambda: "alice")
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == code, (args, result.output)
        return result.output

    run("init")
    run(
        "accounts",
        "add",
        "--platform",
        "facebook",
        "--id",
        ids["facebook_page"],
        "--name",
        "Page",
        "--token-env",
        "FB_TOKEN",
        "--api-base",
        base,
    )
    run(
        "accounts",
        "add",
        "--platform",
        "instagram",
        "--id",
        ids["instagram_user"],
        "--name",
        "IG",
        "--token-env",
        "FB_TOKEN",
        "--api-base",
        base,
    )
    run(
        "accounts",
        "add",
        "--platform",
        "x",
        "--id",
        ids["x_user"],
        "--name",
        "X",
        "--token-env",
        "X_TOKEN",
        "--api-base",
        base,
    )
    return run


def queue_json(cli) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return json.loads(
        cli(
            "queue",
            "--json",
            "--limit",
            "1000",
            "--state",
            "new",
            "--state",
            "queued",
            "--state",
            "escalated",
            "--state",
            "auto_hidden",
            "--state",
            "approved",
            "--state",
            "hidden",
        )
    )


def test_poll_stores_every_comment_once_and_hides_reach_the_platform_once(cli, fake) -> None:  # type: ignore[no-untyped-def]
    fp, _, _ = fake
    out = json.loads(cli("poll", "--json"))
    assert [r["error"] for r in out] == [None, None, None]
    first = queue_json(cli)
    total = sum(first["counts"].values())
    # 3 Facebook comments, 2 Instagram, 2 X replies (a reply to us and a mention in another conversation)
    assert total == 7
    json.loads(cli("poll", "--json"))
    assert sum(queue_json(cli)["counts"].values()) == total

    # A person hides the Facebook insult; the platform sees one hide, however often we apply.
    target = next(i for i in first["items"] if "potholes" in i["preview"])
    cli("decide", str(target["id"]), "hide", "--clause", "4", "--note", "insult")
    cli("apply")
    cli("apply")
    assert fp.hide_calls[target["external_id"]] == 1
    assert target["external_id"] in fp.hidden_ids()
    shown = json.loads(cli("show", str(target["id"]), "--json"))
    assert shown["platform_hidden"] is True and shown["item"]["state"] == "hidden"
    assert "ledger ok" in cli("ledger", "verify")


def test_x_reply_in_someone_elses_conversation_is_not_sent_and_a_person_is_told(cli, fake) -> None:  # type: ignore[no-untyped-def]
    fp, _, _ = fake
    cli("poll")
    items = queue_json(cli)["items"]
    theirs = next(i for i in items if "the lot of you" in i["preview"])
    if theirs["state"] != "hidden":
        cli("decide", str(theirs["id"]), "hide", "--clause", "4")
    cli("apply")
    assert fp.hide_calls.get(theirs["external_id"], 0) == 0
    shown = json.loads(cli("show", str(theirs["id"]), "--json"))
    failed = [o for o in shown["outbox"] if o["status"] == "failed"]
    assert failed and "conversation" in failed[0]["last_error"].lower()


def test_accounts_test_reports_what_is_missing(cli, fake, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    fp, _, ids = fake
    fp.add_graph_token("weak", perms={"pages_read_engagement", "pages_read_user_content"})
    monkeypatch.setenv("FB_TOKEN", "weak")
    out = cli("accounts", "test", ids["facebook_page"], code=1)
    assert "pages_manage_engagement" in out


def test_a_comment_deleted_on_the_platform_is_recorded_never_erased(cli, fake) -> None:  # type: ignore[no-untyped-def]
    fp, _, _ = fake
    cli("poll")
    items = queue_json(cli)["items"]
    gone = next(i for i in items if i["platform"] == "facebook" and "heads up" in i["preview"])
    fp.delete(gone["external_id"])
    cli("poll")
    shown = json.loads(cli("show", str(gone["id"]), "--json"))
    assert shown["platform_deleted"] is True
    assert "heads up" in shown["text"]
    assert any(e["kind"] == "comment_deleted_on_platform" for e in shown["ledger"])
    others = [i for i in queue_json(cli)["items"] if i["id"] != gone["id"]]
    assert not any(json.loads(cli("show", str(i["id"]), "--json"))["platform_deleted"] for i in others)


def test_orders_add_from_the_command_line_with_a_note(cli) -> None:  # type: ignore[no-untyped-def]
    out = cli(
        "orders", "add", "--case", "R v K.T.", "--court", "County Court", "--term", "Kim Tran",
        "--from", "2026-01-01", "--note", "received from the court registry by email",
    )  # fmt: skip
    assert "R v K.T." in out
    listed = cli("orders", "list")
    assert "R v K.T." in listed
    # A note naming the protected person is refused, and nothing is stored.
    refused = cli(
        "orders", "add", "--case", "R v K.T. 2", "--court", "County Court", "--term", "Kim Tran",
        "--from", "2026-01-01", "--note", "about Kim Tran", code=2,
    )  # fmt: skip
    assert "names a protected person" in refused
    assert "R v K.T. 2" not in cli("orders", "list")
