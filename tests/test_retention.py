"""Records retention and legal holds: what is due, holds that keep records, disposal by tombstone with the
ledger still verifying, and nothing disposed of without --confirm."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import pytest
from records import line

from moderation.domain import ConfigError, InputError, NotFoundError, RoleError

NAME = "Pat Quill"


def _ingest(svc: Any, cid: str, text: str, author: str = "", name: str = NAME) -> int:
    extra = {"author": {"id": author or "u-" + cid, "handle": "h" + cid, "name": name}}
    svc.ingest_stream(io.StringIO(line(cid, text, **extra) + "\n"))
    svc.triage_pending(force_backfill=True)
    return int(svc.find_comment(cid))


@pytest.fixture
def records(make_svc: Any) -> Any:
    svc = make_svc(retention_years={"comment": 7, "complaint": 7, "note": 2})
    svc.ensure_first_admin("alice")
    svc.add_moderator("bob", "moderator", "alice")
    svc.add_moderator("cat", "moderator", "alice")
    svc.add_moderator("lee", "legal", "alice")
    return svc


def _due(svc: Any) -> set[tuple[str, int]]:
    return {(r.record_class, r.record_id) for r in svc.records_due("lee").due}


def test_what_is_due_respects_the_periods_open_work_and_legal_holds(records: Any, clock: Any) -> None:
    svc = records
    settled = _ingest(svc, "c1", "The Kinsale Road detour is a joke, fix it", "u-1")
    svc.decide(settled, "approve", "bob")
    held = _ingest(svc, "c2", "Another comment about the Kinsale Road detour", "u-2")
    svc.decide(held, "approve", "bob")
    by_author = _ingest(svc, "c3", "Bridge works again, really", "u-3")
    svc.decide(by_author, "approve", "bob")
    case = _ingest(svc, "c4", "Everyone knows it was Jordan Mills who lit it", "u-4")
    waiting = _ingest(svc, "c5", "When does the library open?", "u-5")
    assert svc.detail(waiting).item.state == "queued"
    order = svc.add_order("DPP v J.M.", "County Court", ["Jordan Mills"], clock() - timedelta(days=1), actor="lee")
    svc.decide(case, "hide", "lee", clause="7")
    complained = _ingest(svc, "c6", "You lot are useless clowns", "u-6")
    svc.decide(complained, "hide", "bob", clause="4")
    c = svc.add_complaint(complained, "email", "2026-11-21", "cat", contact="pq@example.org")
    note = svc.add_author_note("facebook", "u-3", "phones every day", "bob")
    assert _due(svc) == set()

    svc.add_hold("comment", str(held), "FOI request 2026/118", "lee")
    svc.add_hold("author", "facebook:u-3", "complaint to the Ombudsman", "lee")
    svc.add_hold("case", str(order.id), "proceedings continue", "lee")
    clock.advance(days=3 * 365)
    assert _due(svc) == set(), "notes on a held author are kept"
    clock.advance(days=5 * 365)
    due = _due(svc)
    # The open complaint keeps its comment; the queued comment is not settled.
    assert due == {("comment", settled)}
    assert svc.records_due("lee").held == 4  # held comment, author's comment, case comment, author's note

    svc.review_complaint(c.id, "dismiss", "cat", note="an insult")
    clock.advance(days=8 * 365)
    due = _due(svc)
    assert ("comment", complained) in due and ("complaint", c.id) in due
    assert ("comment", held) not in due and ("comment", by_author) not in due and ("comment", case) not in due
    assert ("note", note.id) not in due and ("comment", waiting) not in due


def test_dispose_needs_confirm_replaces_content_with_tombstones_and_the_ledger_verifies(
    records: Any, clock: Any
) -> None:
    svc = records
    cid = _ingest(svc, "c1", "Pat Quill here: you lot are useless clowns", "u-1")
    svc.decide(cid, "hide", "bob", clause="4", note="insult from Pat Quill")
    c = svc.add_complaint(cid, "email", "2026-11-21", "cat", note="Pat says it was fair", contact="pq@example.org")
    svc.review_complaint(c.id, "dismiss", "cat", note="an insult")
    svc.add_author_note("facebook", "u-1", "rings daily", "bob")
    kept = _ingest(svc, "c2", "A comment kept by a legal hold", "u-2", name="Sam Held")
    svc.decide(kept, "approve", "bob")
    svc.add_hold("comment", str(kept), "FOI 2026/118", "lee")
    clock.advance(days=8 * 365)
    before = {(r.record_class, r.record_id) for r in svc.dispose_records("lee", confirm=False)}
    assert before == {("comment", cid), ("complaint", c.id), ("note", 1)}
    assert svc.detail(cid).text.startswith("Pat Quill"), "a dry run disposes of nothing"
    with pytest.raises(RoleError):
        svc.dispose_records("bob", confirm=True)
    done = svc.dispose_records("lee", confirm=True)
    assert {(r.record_class, r.record_id) for r in done} == before
    d = svc.detail(cid)
    assert "disposed of" in d.text and d.item.author_name == "" and d.item.state == "hidden"
    assert [x.action for x in d.decisions][-1] == "hide", "decisions stay"
    assert svc.complaint(c.id, actor="cat").contact is None
    assert [n.text for n in svc.author_notes("facebook", "u-1", "bob")] == [None]
    assert svc.ledger_verify().ok
    everything = json.dumps(
        list(svc.ledger_export("internal", clock() - timedelta(days=9 * 365), clock() + timedelta(days=1), "alice"))
    )
    assert "Pat Quill" not in everything and "pq@example.org" not in everything and "rings daily" not in everything
    assert "A comment kept" in svc.detail(kept).text
    assert svc.dispose_records("lee", confirm=True) == [], "disposed of once"
    assert svc.ledger_verify().ok


def test_holds_are_checked_and_released(records: Any) -> None:
    svc = records
    cid = _ingest(svc, "c1", "hello there", "u-1")
    with pytest.raises(RoleError):
        svc.add_hold("comment", str(cid), "x", "bob")
    with pytest.raises(InputError, match="--reason"):
        svc.add_hold("comment", str(cid), " ", "lee")
    with pytest.raises(InputError, match="PLATFORM:AUTHOR_ID"):
        svc.add_hold("author", "u-1", "x", "lee")
    with pytest.raises(NotFoundError):
        svc.add_hold("case", "99", "x", "lee")
    with pytest.raises(NotFoundError):
        svc.add_hold("comment", "9999", "x", "lee")
    h = svc.add_hold("author", "facebook:u-1", "matter", "lee")
    assert [x.id for x in svc.holds("lee")] == [h.id]
    svc.release_hold(h.id, "matter closed", "lee")
    assert svc.holds("lee") == [] and [x.id for x in svc.holds("lee", include_released=True)] == [h.id]
    assert svc.ledger_verify().ok


def test_unknown_retention_classes_are_refused(make_svc: Any) -> None:
    svc = make_svc(retention_years={"tweets": 3})
    svc.ensure_first_admin("alice")
    with pytest.raises(ConfigError, match="unknown record class 'tweets'"):
        svc.records_due("alice")
