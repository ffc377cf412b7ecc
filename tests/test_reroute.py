"""Re-routing an open escalation (legal finds it a privacy matter): the route changes, the ledger says so in the
same transaction, and closed escalations and people who may not act on the current route are refused."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from records import line
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import select

from moderation.domain import ConflictError, DomainError, NotFoundError, RoleError, TransitionError
from moderation.store import ledger
from moderation.store.tables import LedgerEvent


def _ingest(svc: Any, cid: str, text: str) -> int:
    svc.ingest_stream(io.StringIO(line(cid, text) + "\n"))
    svc.triage_pending()
    return int(svc.find_comment(cid))


def _escalated(svc: Any, route: str = "legal") -> tuple[int, Any]:
    svc.add_moderator("lee", "legal", "alice")
    svc.add_moderator("bob", "moderator", "alice")
    svc.add_moderator("cam", "committee", "alice")
    cid = _ingest(svc, "c1", "When does the road reopen? Ask the foreman, he lives at number 14.")
    svc.decide(cid, "escalate", "bob", route=route, note="names a council officer")
    return cid, svc.escalations(route=route)[0]


def _events(svc: Any, kind: str) -> list[dict[str, Any]]:
    """The events of one kind as legal sees them (sealed values opened)."""
    with svc.tx() as s:
        rows = s.exec(select(LedgerEvent).where(LedgerEvent.kind == kind)).all()
        return [{"actor": e.actor, "comment_id": e.comment_id, **e.payload} for e in ledger.open_events(s, rows)]


def test_legal_reroutes_an_open_escalation_to_privacy(svc: Any, clock: Any) -> None:
    cid, esc = _escalated(svc)
    version = svc.detail(cid).item.version
    clock.advance(hours=5)  # past legal's 4-hour SLA when it is handed on
    view = svc.reroute_escalation(esc.id, "privacy", "lee", note="no allegation; it is about a client's health")
    assert view.route == "privacy" and view.status == "open" and view.comment_id == cid
    assert view.due_at == clock() + timedelta(hours=svc.settings.sla_privacy_hours)
    assert "lee: re-routed from legal: no allegation" in view.notes and "names a council officer" in view.notes
    d = svc.detail(cid)
    assert d.item.state == "escalated" and d.item.version == version + 1
    old, new = d.escalations[-2], d.escalations[-1]
    assert (old.id, old.status, old.resolution) == (esc.id, "withdrawn", "rerouted to privacy")
    assert (new.id, new.route, new.status) == (view.id, "privacy", "open")
    assert [e.id for e in svc.escalations(route="legal")] == []
    assert [e.id for e in svc.escalations(route="privacy")] == [view.id]
    [event] = _events(svc, "escalation_rerouted")
    assert event["actor"] == "lee" and event["comment_id"] == cid
    assert (event["escalation"], event["new_escalation"], event["from"], event["to"]) == (
        esc.id,
        view.id,
        "legal",
        "privacy",
    )
    assert event["note"].startswith("no allegation") and event["breached"] is True
    assert svc.ledger_verify().ok
    # The privacy reviewer (a moderator may resolve privacy) now decides it.
    svc.decide(cid, "approve", "bob", note="fine once the address is gone")
    assert svc.detail(cid).escalations[-1].status == "resolved"


def test_an_undo_of_the_escalation_withdraws_the_rerouted_one(svc: Any) -> None:
    cid, esc = _escalated(svc, route="media")
    svc.reroute_escalation(esc.id, "legal", "bob", note="this is defamation")
    svc.undo(cid, "bob")
    d = svc.detail(cid)
    assert d.item.state == "queued" and {e.status for e in d.escalations} == {"withdrawn"}


def test_reroute_refuses_closed_escalations_wrong_roles_and_bad_routes(svc: Any) -> None:
    cid, esc = _escalated(svc)
    before = len(_events(svc, "escalation_rerouted"))
    with pytest.raises(RoleError):
        svc.reroute_escalation(esc.id, "privacy", "bob")  # a moderator cannot take an item away from legal
    with pytest.raises(RoleError):
        svc.reroute_escalation(esc.id, "privacy", "cam")
    with pytest.raises(DomainError, match="unknown route"):
        svc.reroute_escalation(esc.id, "police", "lee")
    with pytest.raises(DomainError, match="already with legal"):
        svc.reroute_escalation(esc.id, "legal", "lee")
    with pytest.raises(NotFoundError):
        svc.reroute_escalation(esc.id + 999, "privacy", "lee")
    svc.decide(cid, "approve", "lee", note="no allegation")
    with pytest.raises(TransitionError, match="resolved"):
        svc.reroute_escalation(esc.id, "privacy", "lee")
    assert len(_events(svc, "escalation_rerouted")) == before
    assert svc.detail(cid).escalations[-1].route == "legal"


def test_the_second_of_two_reroutes_is_refused(svc: Any) -> None:
    cid, esc = _escalated(svc, route="privacy")
    svc.reroute_escalation(esc.id, "legal", "bob", note="first")
    with pytest.raises(TransitionError):
        svc.reroute_escalation(esc.id, "media", "alice", note="second, from a stale screen")
    d = svc.detail(cid)
    assert [e.route for e in d.escalations if e.status == "open"] == ["legal"]


def test_a_concurrent_change_to_the_comment_refuses_the_reroute(svc: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    cid, esc = _escalated(svc)
    real = svc.parts.core.comment_row

    def stale(session: Any, comment_id: int) -> Any:
        row = real(session, comment_id)
        set_committed_value(row, "version", row.version - 1)  # as if read before someone else's decision landed
        return row

    monkeypatch.setattr(svc.parts.core, "comment_row", stale)
    with pytest.raises(ConflictError):
        svc.reroute_escalation(esc.id, "privacy", "lee")
    monkeypatch.undo()
    d = svc.detail(cid)
    assert [(e.route, e.status) for e in d.escalations] == [("legal", "open")]
    assert not _events(svc, "escalation_rerouted")
