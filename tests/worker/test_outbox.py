"""The action outbox against the fake platform server: exactly once, retries, permanent failures."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import select

from moderation.services.base import aware
from moderation.store.tables import Alert, Comment, Decision, OutboxAction


def _poll(svc: Any, site: Any) -> Any:
    return svc.poll_account(site.account_id)


def _row(svc: Any, external_id: str) -> Comment:
    with svc.tx() as s:
        return s.exec(select(Comment).where(Comment.external_id == external_id)).one()


def _outbox(svc: Any, comment_id: int) -> list[OutboxAction]:
    with svc.tx() as s:
        return list(
            s.exec(select(OutboxAction).where(OutboxAction.comment_id == comment_id).order_by(OutboxAction.id)).all()
        )


def test_auto_hide_reaches_platform_once(wsvc: Any, site: Any) -> None:
    bad = site.comment("you rotten scoundrel")
    ok = site.comment("thanks for the update")
    rep = _poll(wsvc, site)
    assert rep.added == 2 and rep.by_state.get("auto_hidden") == 1
    applied = wsvc.apply_outbox()
    assert applied.confirmed == 1
    assert site.fake.hidden_ids() == {bad}
    assert site.fake.hide_calls[bad] == 1 and ok not in site.fake.hide_calls
    row = _row(wsvc, bad)
    assert row.platform_hidden is True and row.state == "auto_hidden"
    assert [o.status for o in _outbox(wsvc, row.id)] == ["confirmed"]
    # Applying again does nothing more.
    assert wsvc.apply_outbox().confirmed == 0
    assert site.fake.hide_calls[bad] == 1
    assert wsvc.ledger_verify().ok


def test_crash_after_platform_call_is_not_repeated(wsvc: Any, site: Any) -> None:
    """A worker killed after the platform hid the comment but before recording it: the next one only confirms."""
    bad = site.comment("vile toad")
    _poll(wsvc, site)
    row = _row(wsvc, bad)
    (ob,) = _outbox(wsvc, row.id)
    status, claimed, comment, account = wsvc.parts.outbox._claim(ob.id)
    assert status == "claimed"
    wsvc.connector_factory(account).hide(comment.external_id)  # the call lands; then the process dies
    assert site.fake.hide_calls[bad] == 1
    # Still leased: a second applier finds nothing to do.
    assert wsvc.apply_outbox().confirmed == 0
    # The restarted worker (holding the worker lock) recovers the row and checks the platform first.
    assert wsvc.recover_outbox() == 1
    assert wsvc.apply_outbox().confirmed == 1
    assert site.fake.hide_calls[bad] == 1
    (ob,) = _outbox(wsvc, row.id)
    assert ob.status == "confirmed" and ob.attempts == 2


def test_crash_before_platform_call_hides_on_recovery(wsvc: Any, site: Any) -> None:
    bad = site.comment("you rotten scoundrel again")
    _poll(wsvc, site)
    row = _row(wsvc, bad)
    (ob,) = _outbox(wsvc, row.id)
    assert wsvc.parts.outbox._claim(ob.id)[0] == "claimed"  # killed right after the claim committed
    wsvc.recover_outbox()
    assert wsvc.apply_outbox().confirmed == 1
    assert site.fake.hide_calls[bad] == 1


def test_transient_failure_backs_off_then_succeeds(wsvc: Any, site: Any, clock: Any) -> None:
    bad = site.comment("rotten scoundrel")
    _poll(wsvc, site)
    site.fake.inject(r"^POST ", "5xx", times=1)
    rep = wsvc.apply_outbox()
    assert rep.retried == 1 and rep.confirmed == 0
    row = _row(wsvc, bad)
    (ob,) = _outbox(wsvc, row.id)
    assert ob.status == "pending" and ob.attempts == 1 and ob.last_error
    assert wsvc.apply_outbox().confirmed == 0  # not due yet: backing off
    clock.advance(seconds=6)
    assert wsvc.apply_outbox().confirmed == 1
    assert site.fake.hide_calls[bad] == 1


def test_permanent_failure_reaches_the_queue_with_the_reason(wsvc: Any, site: Any) -> None:
    bad = site.comment("vile toad")
    _poll(wsvc, site)
    site.fake.inject(r"^POST ", "forbidden", times=1)
    rep = wsvc.apply_outbox()
    assert rep.failed == 1
    row = _row(wsvc, bad)
    assert row.state == "queued" and row.priority >= 95 and row.intended_hidden is False
    (ob,) = _outbox(wsvc, row.id)
    assert ob.status == "failed" and ob.last_error
    with wsvc.tx() as s:
        alerts = s.exec(select(Alert).where(Alert.kind == "outbox_failed")).all()
        note = s.exec(select(Decision).where(Decision.comment_id == row.id, Decision.action == "platform_failed")).one()
    assert len(alerts) == 1 and "refused" in note.note
    assert any(i.id == row.id for i in wsvc.queue())
    # A person hides it again: a fresh outbox row, applied once.
    wsvc.decide(row.id, "hide", "mo", clause="1")
    assert wsvc.apply_outbox().confirmed == 1
    assert site.fake.hide_calls[bad] == 1


def test_deleted_comment_is_recorded_not_queued(wsvc: Any, site: Any) -> None:
    bad = site.comment("vile toad")
    _poll(wsvc, site)
    site.fake.delete(bad)
    rep = wsvc.apply_outbox()
    assert rep.failed == 1
    row = _row(wsvc, bad)
    assert row.platform_deleted is True and row.state == "auto_hidden"


def test_rate_limit_waits_for_the_platform(wsvc: Any, site: Any, clock: Any) -> None:
    bad = site.comment("vile toad")
    _poll(wsvc, site)
    site.fake.inject(r"^POST ", "rate_code", times=1)
    assert wsvc.apply_outbox().retried == 1
    (ob,) = _outbox(wsvc, _row(wsvc, bad).id)
    assert ob.status == "pending" and ob.next_attempt_at is not None
    assert wsvc.apply_outbox().confirmed == 0  # waits until the platform's reset time
    clock.value = aware(ob.next_attempt_at) + timedelta(seconds=1)
    assert wsvc.apply_outbox().confirmed == 1
    assert site.fake.hide_calls[bad] == 1


def test_approve_before_apply_supersedes_the_hide(wsvc: Any, site: Any) -> None:
    bad = site.comment("rotten scoundrel")
    _poll(wsvc, site)
    row = _row(wsvc, bad)
    wsvc.decide(row.id, "approve", "mo")
    wsvc.apply_outbox()
    # The hide never reached the platform; the unhide that replaced it finds nothing to undo.
    assert site.fake.hide_calls[bad] == 0 and site.fake.unhide_calls[bad] == 0
    assert [(o.action, o.status) for o in _outbox(wsvc, row.id)] == [("hide", "superseded"), ("unhide", "confirmed")]


def test_hide_then_unhide_in_order(wsvc: Any, site: Any) -> None:
    bad = site.comment("rotten scoundrel")
    _poll(wsvc, site)
    row = _row(wsvc, bad)
    assert wsvc.apply_outbox().confirmed == 1
    wsvc.decide(row.id, "approve", "mo")
    assert wsvc.apply_outbox().confirmed == 1
    assert bad not in site.fake.hidden_ids()
    assert site.fake.hide_calls[bad] == 1 and site.fake.unhide_calls[bad] == 1
