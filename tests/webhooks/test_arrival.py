"""Which mode delivered each comment (``modq show``) and each account's last webhook (``modq status``), through the
command line, with the fake platform sending to the real service on loopback."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlmodel import select
from typer.testing import CliRunner

from connectors.meta_webhooks import sign
from moderation.cli import app
from moderation.store.tables import Account, Comment

from .conftest import SECRET, Stage, wait_for


@pytest.fixture
def cli(stage: Stage, database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MODQ_DATABASE_URL", database_url)
    monkeypatch.setenv("USER", "alice")
    return CliRunner()


def _comment_id(stage: Stage, external_id: str) -> int:
    with stage.svc.tx() as session:
        row = session.exec(select(Comment).where(Comment.external_id == external_id)).one()
        return int(row.id)


def _account_id(stage: Stage, platform: str) -> int:
    with stage.svc.tx() as session:
        return int(session.exec(select(Account.id).where(Account.platform == platform)).one())


def test_show_names_the_webhook_for_a_pushed_comment_and_polling_for_a_polled_one(stage: Stage, cli: CliRunner) -> None:
    pushed = stage.fake.add_fb_comment(stage.post, "I will kill you", ("u1", "Pushed"))
    assert wait_for(lambda: pushed in stage.fake.hidden_ids())
    stage.sender.stop()  # from here on, only polling brings comments in
    polled = stage.fake.add_fb_comment(stage.post, "When does the road reopen?", ("u2", "Polled"))
    stage.svc.poll_account(_account_id(stage, "facebook"))

    shown = cli.invoke(app, ["show", str(_comment_id(stage, pushed)), "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["arrived_by"] == "webhook"
    assert "(arrived by webhook)" in cli.invoke(app, ["show", str(_comment_id(stage, pushed))]).output
    shown = cli.invoke(app, ["show", str(_comment_id(stage, polled)), "--json"])
    assert json.loads(shown.output)["arrived_by"] == "poll or file"

    # The polled comment's webhook, late: stored and processed, but the comment still arrived by polling.
    body = json.dumps(stage.sender.payload("add", stage.fake.comments[polled])).encode()
    r = requests.post(stage.server.url, data=body, headers={"X-Hub-Signature-256": sign(SECRET, body)}, timeout=10)
    assert r.status_code == 200
    assert wait_for(lambda: stage.svc.webhook_backlog() == 0)
    assert stage.svc.arrival_of(_comment_id(stage, polled)) == "poll or file"


def test_status_shows_the_last_webhook_of_each_account(stage: Stage, cli: CliRunner) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    listed = json.loads(cli.invoke(app, ["status", "--json"]).output)
    assert {a["platform"]: a["last_webhook"] for a in listed["accounts"]} == {"facebook": None, "instagram": None}

    bad = stage.fake.add_fb_comment(stage.post, "I will kill you", ("u1", "Someone"))
    assert wait_for(lambda: bad in stage.fake.hidden_ids())
    assert wait_for(lambda: stage.svc.webhook_backlog() == 0)
    run = cli.invoke(app, ["status", "--json"])
    assert run.exit_code == 0, run.output
    last = {a["platform"]: a["last_webhook"] for a in json.loads(run.output)["accounts"]}
    assert last["instagram"] is None  # nothing pushed for it yet
    assert last["facebook"] is not None
    at = datetime.fromisoformat(last["facebook"])
    assert before <= (at if at.tzinfo else at.replace(tzinfo=UTC)) <= datetime.now(UTC)
