"""What automation may do: shadow rules, the kill switch, backfill, circuit breaker, overturn calibration,
reconciliation, and the nightly statistics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from records import ledger_payloads
from sqlmodel import select

from moderation.ports import RemoteComment
from moderation.store.tables import Alert, Comment, FindingRow, LedgerEvent, RuleOverride, StatsSnapshot


def _comments(svc: Any, texts: list[str], prefix: str, when: datetime | None = None) -> list[int]:
    when = when or svc.now()
    recs = [
        RemoteComment(
            platform="facebook",
            account="acct",
            id=f"{prefix}{i}",
            text=t,
            post_id="p1",
            created_at=when,
            author_id=f"{prefix}-a{i}",
        )
        for i, t in enumerate(texts)
    ]
    svc.ingest_comments(recs)
    svc.triage_pending()
    with svc.tx() as s:
        return [
            s.exec(select(Comment.id).where(Comment.external_id == f"{prefix}{i}")).one() for i in range(len(texts))
        ]


def _kinds(svc: Any) -> list[str]:
    with svc.tx() as s:
        return [e.kind for e in s.exec(select(LedgerEvent).order_by(LedgerEvent.seq)).all()]


def test_shadow_rule_records_but_never_acts(wsvc: Any, clock: Any) -> None:
    (cid,) = _comments(wsvc, ["bananas everywhere, bananas"], "s")
    row = wsvc.detail(cid)
    assert row.item.state == "queued" and not row.intended_hidden and row.item.shadow
    assert {f.rule_id for f in row.shadow_findings} == {"t.bananas"}
    clock.advance(days=1)
    stats = wsvc.snapshot_stats()
    assert stats["shadow_would_act_by_rule"] == {"t.bananas": 1}
    assert stats["auto_hides_by_rule"] == {}


def test_pause_holds_auto_hides_for_people(wsvc: Any) -> None:
    wsvc.set_automation(True, "alice", "incident")
    (cid,) = _comments(wsvc, ["you rotten scoundrel"], "p")
    assert wsvc.detail(cid).item.state == "queued" and not wsvc.detail(cid).intended_hidden
    wsvc.set_automation(False, "alice")
    (cid2,) = _comments(wsvc, ["you vile toad"], "q")
    assert wsvc.detail(cid2).item.state == "auto_hidden"
    assert "automation_paused" in _kinds(wsvc) and "automation_resumed" in _kinds(wsvc)


def test_backfill_does_not_act_unless_forced(wsvc: Any, site: Any) -> None:
    old = datetime.now(UTC) - timedelta(days=2)
    site.fake.add_fb_comment(site.post, "you rotten scoundrel", created=old)
    wsvc.poll_account(site.account_id)
    assert wsvc.apply_outbox().confirmed == 0
    assert site.fake.hidden_ids() == set()
    assert wsvc.counts() == {"queued": 1}


def test_circuit_breaker_switches_rule_to_shadow(wsvc: Any) -> None:
    wsvc.set_limit("breaker.share", 0.3, "alice")
    wsvc.set_limit("breaker.min_comments", 10, "alice")
    texts = ["you rotten scoundrel"] * 4 + ["a fine day"] * 6
    _comments(wsvc, [f"{t} {i}" for i, t in enumerate(texts)], "b")
    demoted = wsvc.check_circuit_breakers()
    assert [(d.rule_id, d.mode) for d in demoted] == [("t.abuse", "shadow")]
    assert wsvc.check_circuit_breakers() == []  # already demoted: no second alert
    with wsvc.tx() as s:
        assert s.get(RuleOverride, "t.abuse").mode == "shadow"
        alerts = s.exec(select(Alert).where(Alert.kind == "circuit_breaker")).all()
    [ev] = ledger_payloads(wsvc, "rule_demoted")
    assert len(alerts) == 1 and "circuit breaker" in ev["reason"]
    # From now on the rule only reports.
    (cid,) = _comments(wsvc, ["another rotten scoundrel"], "after")
    d = wsvc.detail(cid)
    assert d.item.state == "queued" and not d.intended_hidden
    assert [f.rule_id for f in d.shadow_findings] == ["t.abuse"]
    # An admin restores it.
    wsvc.clear_override("t.abuse", "alice", "word list fixed")
    (cid,) = _comments(wsvc, ["a rotten scoundrel again"], "restored")
    assert wsvc.detail(cid).item.state == "auto_hidden"


def test_breaker_below_share_does_nothing(wsvc: Any) -> None:
    wsvc.set_limit("breaker.min_comments", 10, "alice")
    texts = ["you rotten scoundrel"] * 2 + ["a fine day"] * 10
    _comments(wsvc, [f"{t} {i}" for i, t in enumerate(texts)], "n")
    assert wsvc.check_circuit_breakers() == []


def test_overturn_calibration_demotes_to_queue_only(wsvc: Any) -> None:
    wsvc.set_limit("calibration.min_hides", 5, "alice")
    wsvc.set_limit("calibration.share", 0.3, "alice")
    ids = _comments(wsvc, [f"rotten scoundrel {i}" for i in range(6)], "c")
    for cid in ids[:1]:
        wsvc.decide(cid, "approve", "mo")
    assert wsvc.check_calibration() == []  # 1 of 6 overturned
    for cid in ids[1:3]:
        wsvc.decide(cid, "approve", "mo")
    demoted = wsvc.check_calibration()
    assert [(d.rule_id, d.mode) for d in demoted] == [("t.abuse", "queue_only")]
    with wsvc.tx() as s:
        assert s.exec(select(Alert).where(Alert.kind == "calibration")).one().rule_id == "t.abuse"
    (cid,) = _comments(wsvc, ["rotten scoundrel later"], "late")
    d = wsvc.detail(cid)
    assert d.item.state == "queued" and not d.intended_hidden and d.item.priority >= 50
    stats = wsvc.snapshot_stats(wsvc.now().date())
    assert stats["overrides"] == {"t.abuse": "queue_only"} and stats["overturned_auto_hides"] == 3


def test_reconcile_flags_comment_unhidden_on_platform(wsvc: Any, site: Any) -> None:
    bad = site.comment("you rotten scoundrel")
    kept = site.comment("you vile toad")
    wsvc.poll_account(site.account_id)
    assert wsvc.apply_outbox().confirmed == 2
    site.fake.comments[bad]["hidden"] = False  # a page admin unhides it in the platform's own tools
    rep = wsvc.reconcile()
    assert (rep.checked, rep.diverged) == (2, 1)
    with wsvc.tx() as s:
        row = s.exec(select(Comment).where(Comment.external_id == bad)).one()
        other = s.exec(select(Comment).where(Comment.external_id == kept)).one()
        alert = s.exec(select(Alert).where(Alert.kind == "platform_unhidden")).one()
    assert row.state == "queued" and row.priority >= 95 and row.intended_hidden is False
    assert row.platform_hidden is False and other.state == "auto_hidden"
    assert str(row.id) in alert.message
    # Not silently re-hidden: nothing is queued for the platform.
    assert wsvc.apply_outbox().confirmed == 0 and site.fake.hide_calls[bad] == 1
    assert wsvc.reconcile().diverged == 0
    # A person decides to hide it again: one more hide.
    wsvc.decide(row.id, "hide", "mo", clause="1")
    assert wsvc.apply_outbox().confirmed == 1 and site.fake.hide_calls[bad] == 2
    assert wsvc.ledger_verify().ok


def test_stats_snapshot_is_idempotent(wsvc: Any, clock: Any) -> None:
    _comments(wsvc, ["you rotten scoundrel", "hello"], "st")
    day = clock().date()
    first = wsvc.snapshot_stats(day)
    second = wsvc.snapshot_stats(day)
    assert first == second and first["received"] == 2
    assert first["auto_hides_by_rule"] == {"t.abuse": 1}
    with wsvc.tx() as s:
        assert len(s.exec(select(StatsSnapshot)).all()) == 1
        assert s.exec(select(FindingRow)).first() is not None
