"""``modq webhooks serve`` end to end on loopback: the fake platform sends signed (and forged, duplicated,
out-of-order, malformed) deliveries; violations are hidden on the platform once; nothing forged is stored."""

from __future__ import annotations

import json

import requests
from sqlmodel import func, select

from connectors.meta_webhooks import sign
from moderation.store.tables import Comment, WebhookDelivery

from .conftest import SECRET, VERIFY, Stage, wait_for


def _deliveries(stage: Stage) -> int:
    with stage.svc.tx() as session:
        return int(session.exec(select(func.count()).select_from(WebhookDelivery)).one())


def _comment(stage: Stage, external_id: str) -> Comment | None:
    with stage.svc.tx() as session:
        return session.exec(select(Comment).where(Comment.external_id == external_id)).first()


def test_handshake(stage: Stage) -> None:
    ok = {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"}
    r = requests.get(stage.server.url, params=ok, timeout=5)
    assert (r.status_code, r.text) == (200, "1158201444")
    assert requests.get(stage.server.url, params={**ok, "hub.verify_token": "guess"}, timeout=5).status_code == 403
    assert requests.get(stage.server.url, timeout=5).status_code == 403


def test_a_threat_is_hidden_once_and_an_ordinary_comment_stays(stage: Stage) -> None:
    bad = stage.fake.add_fb_comment(stage.post, "I will kill you", ("u7", "Someone"))
    fine = stage.fake.add_fb_comment(stage.post, "Thanks for the update", ("u8", "Other"))
    ig_bad = stage.fake.add_ig_comment(stage.media, "I will kill you", "angry")
    assert wait_for(lambda: {bad, ig_bad} <= stage.fake.hidden_ids())
    assert stage.sender.drain()
    assert stage.fake.hide_calls[bad] == 1 and stage.fake.hide_calls[ig_bad] == 1
    assert fine not in stage.fake.hidden_ids()
    assert wait_for(lambda: _comment(stage, fine) is not None)
    # A new comment's delivery carries its text: storing it costs no read from the platform.
    assert not [line for line in stage.fake.requests if fine in line]
    assert stage.svc.arrival_of(_comment(stage, bad).id) == "webhook"
    assert stage.svc.ledger_verify().ok


def test_forged_and_unsigned_deliveries_are_refused_and_stored_nowhere(stage: Stage) -> None:
    body = json.dumps({"object": "page", "entry": []}).encode()
    before = _deliveries(stage)
    forged = requests.post(stage.server.url, data=body, headers={"X-Hub-Signature-256": sign("wrong", body)}, timeout=5)
    unsigned = requests.post(stage.server.url, data=body, timeout=5)
    assert forged.status_code == 401 and unsigned.status_code == 401
    assert _deliveries(stage) == before
    stage.sender.faults = {"bad_signature": 1.0}
    stage.fake.add_fb_comment(stage.post, "I will kill you", ("u9", "Forger"))
    assert stage.sender.drain()
    stage.sender.faults = {"unsigned": 1.0}
    stage.fake.add_fb_comment(stage.post, "I will kill you", ("u9", "Forger"))
    assert stage.sender.drain()
    assert stage.sender.sent["forged"] == 1 and stage.sender.sent["unsigned"] == 1
    assert stage.sender.statuses[401] == 2
    assert _deliveries(stage) == before and stage.fake.hidden_ids() == set()


def test_a_body_over_the_cap_is_refused(stage: Stage) -> None:
    body = b"{" + b" " * 1_100_000 + b"}"
    r = requests.post(stage.server.url, data=body, headers={"X-Hub-Signature-256": sign(SECRET, body)}, timeout=10)
    assert r.status_code == 413 and _deliveries(stage) == 0


def test_duplicates_out_of_order_and_malformed_change_nothing_twice(stage: Stage) -> None:
    stage.sender.faults = {"duplicate": 0.5, "out_of_order": 0.3, "malformed": 0.3}
    threats = [stage.fake.add_fb_comment(stage.post, "I will kill you", (f"u{i}", "T")) for i in range(8)]
    ordinary = [stage.fake.add_fb_comment(stage.post, f"Good news number {i}", (f"v{i}", "O")) for i in range(8)]
    edited = ordinary[0]
    stage.fake.edit(edited, "Good news, edited")
    assert stage.sender.drain()
    assert wait_for(lambda: set(threats) <= stage.fake.hidden_ids())
    assert stage.sender.drain()  # each hide sends a delivery of its own (and may be one of the faults counted below)
    assert wait_for(lambda: stage.svc.webhook_backlog() == 0)
    assert all(stage.fake.hide_calls[t] == 1 for t in threats)
    assert not set(ordinary) & stage.fake.hidden_ids()
    with stage.svc.tx() as session:
        stored = session.exec(select(Comment.external_id)).all()
    assert sorted(stored) == sorted(threats + ordinary)  # each once
    assert _comment(stage, edited).text == "Good news, edited"
    assert stage.svc.ledger_verify().ok
    # Each fault really happened, and every malformed change was reported beside the kept ones.
    assert stage.sender.sent["duplicate"] and stage.sender.sent["held"] and stage.sender.sent["malformed"]
    with stage.svc.tx() as session:
        reported = [row.problems for row in session.exec(select(WebhookDelivery)).all() if row.problems]
    assert len(reported) == stage.sender.sent["malformed"]


def test_events_for_unknown_accounts_are_dropped(stage: Stage) -> None:
    other = stage.fake.add_fb_page("9999", "Not ours")
    post = stage.fake.add_fb_post(other, "elsewhere")
    stage.fake.add_fb_comment(post, "I will kill you", ("u1", "X"))
    assert stage.sender.drain()
    assert wait_for(lambda: stage.svc.webhook_backlog() == 0)
    with stage.svc.tx() as session:
        row = session.exec(select(WebhookDelivery)).one()
        assert row.dropped == 1 and row.processed_at is not None
        assert session.exec(select(func.count()).select_from(Comment)).one() == 0


def test_a_comment_unhidden_on_the_platform_goes_back_to_people(stage: Stage) -> None:
    bad = stage.fake.add_fb_comment(stage.post, "I will kill you", ("u7", "Someone"))
    assert wait_for(lambda: bad in stage.fake.hidden_ids())
    # Someone unhides it directly on the platform: Meta sends 'unhide'; modq confirms and hands it to a person.
    stage.fake.comments[bad]["hidden"] = False
    stage.fake._notify("unhide", stage.fake.comments[bad])
    assert wait_for(lambda: _comment(stage, bad).state == "queued")
    assert bad not in stage.fake.hidden_ids()  # not re-hidden automatically
    assert stage.fake.hide_calls[bad] == 1


def test_a_removed_comment_is_confirmed_then_recorded(stage: Stage) -> None:
    gone = stage.fake.add_fb_comment(stage.post, "Thanks", ("u7", "Someone"))
    assert wait_for(lambda: _comment(stage, gone) is not None)
    stage.fake.delete(gone)
    assert wait_for(lambda: _comment(stage, gone).platform_deleted)


def test_subscribe_reports_the_missing_permission(stage: Stage) -> None:
    report = stage.svc.subscribe_account(stage.page, "alice")
    assert report.ok and stage.fake.subscribed_apps[stage.page] == "feed"
    stage.fake.add_graph_token("wh-token", {"pages_read_engagement"})
    report = stage.svc.subscribe_account(stage.page, "alice")
    assert not report.ok and "pages_manage_metadata" in report.missing


def test_an_edit_processed_before_its_add_keeps_the_current_text(stage: Stage) -> None:
    from connectors.meta_webhooks import parse_delivery
    from moderation.webhooks.processor import process_pending

    stage.sender.stop()  # deliveries are built by hand here
    cid = stage.fake.add_fb_comment(stage.post, "first words", ("u1", "A"))
    stage.fake.comments[cid]["text"] = "second words"
    edited = json.dumps(stage.sender.payload("edited", stage.fake.comments[cid])).encode()
    added = json.dumps(stage.sender.payload("add", {**stage.fake.comments[cid], "text": "first words"})).encode()
    for body in (edited, added):
        assert parse_delivery(body).events
        stage.svc.accept_delivery(body)
    process_pending(stage.svc)
    assert _comment(stage, cid).text == "second words"
