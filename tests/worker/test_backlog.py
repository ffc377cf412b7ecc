"""The worker never acts on an account nobody set up: its platform actions are held (not sent, no alert), and
``accounts add`` decides whether to act on that backlog, defaulting to shadow (hides a suppression order needs
are sent whatever the choice)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pytest
from records import line

from connectors.testing.fake_platform import FakePlatform

from .conftest import TOKEN, TOKEN_ENV


@pytest.fixture
def held(wsvc: Any, fake: FakePlatform, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Comments of a Page that reached modq through ``modq ingest`` before anyone set the Page up, a person's
    hide on one of them and a suppression order's hide on another, both held."""
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    page = fake.add_fb_page("2002", "Unknown page")
    post = fake.add_fb_post(page, "A post")
    ids = {
        "abuse": fake.add_fb_comment(post, "you rotten scoundrel", author=("u1", "P1")),
        "named": fake.add_fb_comment(post, "Jordan Mills did it", author=("u2", "P2")),
        "fine": fake.add_fb_comment(post, "see you there", author=("u3", "P3")),
    }
    feed = "".join(
        line(cid, text, account=page, post={"id": post, "text": "A post", "url": "https://fb.example/p"}) + "\n"
        for cid, text in ((ids["abuse"], "you rotten scoundrel"), (ids["named"], "Jordan Mills did it"),
                          (ids["fine"], "see you there"))
    )  # fmt: skip
    wsvc.ingest_stream(io.StringIO(feed))
    wsvc.triage_pending()
    (acct,) = [a for a in wsvc.accounts() if a.external_id == page]
    assert not acct.enabled  # registered by ingest, set up by nobody
    wsvc.decide(wsvc.find_comment(ids["abuse"]), "hide", "mo", clause="1")
    wsvc.add_order("DPP v J.M.", "County Court", ["Jordan Mills"], datetime(2026, 1, 1, tzinfo=UTC), actor="lee")
    ids["page"] = page
    return ids


def _apply(wsvc: Any) -> Any:
    from moderation.connecting import connector_for

    return wsvc.apply_outbox(limit=100, connector_for=connector_for)


def test_actions_on_an_account_nobody_set_up_are_held(wsvc: Any, fake: FakePlatform, held: dict[str, str]) -> None:
    rep = _apply(wsvc)
    assert (rep.confirmed, rep.retried, rep.failed, rep.held) == (0, 0, 0, 2)
    assert fake.hide_calls == {} and wsvc.open_alerts(limit=50) == []
    assert wsvc.reconcile().errors == []
    (acct,) = [a for a in wsvc.accounts() if a.external_id == held["page"]]
    status = {a.id: a for a in wsvc.account_status()}[acct.id]
    assert status.failed == 0 and status.backlog == 2


def test_adding_the_account_shadows_its_backlog_by_default_but_sends_what_an_order_needs(
    wsvc: Any, fake: FakePlatform, held: dict[str, str]
) -> None:
    wsvc.add_account("facebook", held["page"], "Unknown page", "alice", token_env=TOKEN_ENV, api_base=fake.base_url)
    rep = _apply(wsvc)
    assert rep.confirmed == 1 and rep.held == 0
    assert fake.hidden_ids() == {held["named"]} and fake.hide_calls[held["abuse"]] == 0
    abuse = wsvc.detail(wsvc.find_comment(held["abuse"]))
    assert abuse.intended_hidden is False  # modq does not claim a hide it never sent
    (event,) = [
        e
        for e in wsvc.ledger_events(datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
        if e.kind == "account_backlog"
    ]
    assert event.payload["backlog"] == "shadow" and event.payload["shadowed"] == 1
    assert event.payload["kept_for_suppression_orders"] == 1


def test_adding_the_account_with_backlog_act_sends_everything(
    wsvc: Any, fake: FakePlatform, held: dict[str, str]
) -> None:
    wsvc.add_account(
        "facebook", held["page"], "Unknown page", "alice", token_env=TOKEN_ENV, api_base=fake.base_url, backlog="act"
    )
    rep = _apply(wsvc)
    assert rep.confirmed == 2
    assert fake.hidden_ids() == {held["named"], held["abuse"]}
