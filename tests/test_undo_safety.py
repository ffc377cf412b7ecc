"""Undo restores exactly the state and the visibility before the undone decision: undoing a legal approval of a
comment that names a protected person puts it back in the legal queue *hidden*, and no unhide is sent (issue 12,
defect 1). The same for privacy rules that hide and escalate."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from records import line

from moderation.domain import TransitionError


def _ingest(svc: Any, cid: str, text: str) -> int:
    svc.ingest_stream(io.StringIO(line(cid, text) + "\n"))
    svc.triage_pending(force_backfill=True)
    return int(svc.find_comment(cid))


def _live(svc: Any, cid: int) -> list[str]:
    """The platform actions still to be sent for a comment, oldest first."""
    return [o.action for o in svc.detail(cid).outbox if o.status in ("pending", "sent")]


@pytest.fixture
def people(svc: Any, clock: Any) -> Any:
    svc.add_moderator("lee", "legal", "alice")
    svc.add_moderator("bob", "moderator", "alice")
    svc.add_order("DPP v J.M.", "County Court", ["Jordan Mills"], clock() - timedelta(days=1), actor="lee")
    return svc


def test_undo_of_a_legal_approval_hides_the_protected_name_again(people: Any) -> None:
    svc = people
    cid = _ingest(svc, "c1", "the minor in the arson case = jordan mills. share share share")
    d = svc.detail(cid)
    assert d.item.state == "escalated" and d.intended_hidden
    svc.decide(cid, "approve", "lee", note="the order does not cover this")
    assert not svc.detail(cid).intended_hidden
    svc.undo(cid, "lee")
    d = svc.detail(cid)
    assert d.item.state == "escalated"
    assert d.intended_hidden, "undo left a suppressed name meant to be visible"
    assert [e.status for e in d.escalations] == ["open"]
    assert "unhide" not in _live(svc, cid)
    assert svc.ledger_verify().ok


def test_undo_of_a_legal_approval_after_the_hide_was_sent_queues_a_hide(people: Any) -> None:
    """The approval's unhide already left: the undo must send a hide, not leave the name visible."""
    svc = people
    cid = _ingest(svc, "c1", "jordan mills did it")
    svc.decide(cid, "approve", "lee")
    (unhide,) = [o for o in svc.detail(cid).outbox if o.action == "unhide"]
    with svc.tx() as s:  # as if the worker had sent it
        from moderation.store.tables import OutboxAction

        row = s.get(OutboxAction, unhide.id)
        row.status, row.attempts = "confirmed", 1
        s.add(row)
    svc.undo(cid, "lee")
    d = svc.detail(cid)
    assert d.intended_hidden and _live(svc, cid) == ["hide"]


def test_undo_of_a_privacy_resolution_restores_the_hide(svc: Any) -> None:
    svc.add_moderator("bob", "moderator", "alice")
    cid = _ingest(svc, "c1", "my medicare number is 2123 45670 1 please help")
    d = svc.detail(cid)
    assert d.item.state == "escalated" and d.intended_hidden
    svc.decide(cid, "approve", "bob", note="their own number, they asked for help")
    svc.undo(cid, "bob")
    d = svc.detail(cid)
    assert d.item.state == "escalated" and d.intended_hidden and "unhide" not in _live(svc, cid)


def test_undo_of_an_escalation_restores_the_visibility_before_it(svc: Any) -> None:
    svc.add_moderator("bob", "moderator", "alice")
    cid = _ingest(svc, "c1", "When does the road reopen? The foreman knows.")
    before = svc.detail(cid)
    svc.decide(cid, "escalate", "bob", route="media")
    svc.undo(cid, "bob")
    after = svc.detail(cid)
    assert (after.item.state, after.intended_hidden) == (before.item.state, before.intended_hidden)
    assert {e.status for e in after.escalations} == {"withdrawn"}


def test_a_moderator_cannot_approve_a_protected_name_on_another_route(people: Any) -> None:
    """Re-routing an order match away from legal would let a moderator publish it: refused."""
    svc = people
    cid = _ingest(svc, "c1", "jordan mills did it")
    esc = svc.escalations(route="legal")[0]
    with pytest.raises(TransitionError, match="protected"):
        svc.reroute_escalation(esc.id, "privacy", "lee")
    with pytest.raises(Exception):  # noqa: B017  (a RoleError: only legal resolves legal escalations)
        svc.decide(cid, "approve", "bob")
    assert svc.detail(cid).intended_hidden


def test_undo_never_publishes_a_name_protected_since_the_decision(people: Any, clock: Any) -> None:
    """An approval made before the order: undoing it would restore a visible comment naming a protected person."""
    svc = people
    cid = _ingest(svc, "c2", "Quentin Hale was at the meeting")
    svc.decide(cid, "escalate", "bob", route="legal")
    svc.decide(cid, "approve", "lee")
    svc.add_order("R v Q", "Supreme Court", ["Quentin Hale"], clock() - timedelta(hours=1), actor="lee", sweep=False)
    # The approval stands (legal approved it), but an undo would go back to an escalated comment that was visible.
    svc.undo(cid, "lee")
    d = svc.detail(cid)
    assert d.item.state == "escalated" and d.intended_hidden
