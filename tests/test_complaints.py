"""Complaints and their independent review: the due day (five business days, Victorian holidays), independence,
an upheld complaint restoring the comment once on the platform, dismissals with reasons, and the complainant's
contact details kept out of the public ledger and redactable."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from records import line
from test_e2e_platform import cli, fake, queue_json  # noqa: F401  (fixtures)

from moderation.domain import InputError, RoleError, TransitionError
from moderation.domain.complaints import IndependenceError, add_business_days, due_day

VIC = holidays.country_holidays("AU", subdiv="VIC", years=range(2023, 2033))


# ---------------------------------------------------------------- the due day
@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 31)))
def test_the_due_day_is_exactly_five_business_days_later_and_never_a_weekend_or_vic_holiday(received: date) -> None:
    due = due_day(received)
    assert due.weekday() < 5, (received, due)
    assert due not in VIC, (received, due, VIC.get(due))
    # An independent count: numpy's business-day calendar with the same holidays.
    days_off = [d for d in VIC if received <= d <= due]
    counted = np.busday_count(received + timedelta(days=1), due + timedelta(days=1), holidays=days_off)
    assert counted == 5, (received, due)


def test_due_days_worked_by_hand() -> None:
    # Fri 30 Oct 2026; Tue 3 Nov is Melbourne Cup Day.
    assert due_day(date(2026, 10, 30)) == date(2026, 11, 9)
    # Wed 23 Dec 2026: Christmas, Boxing Day (observed Mon 28), New Year's Day.
    assert due_day(date(2026, 12, 23)) == date(2027, 1, 4)
    # Received on a Saturday: the following Friday.
    assert due_day(date(2026, 11, 21)) == date(2026, 11, 27)
    # Thu 24 Sep 2026: the Friday before the AFL Grand Final is a holiday.
    assert due_day(date(2026, 9, 24)) == date(2026, 10, 2)
    assert add_business_days(date(2026, 4, 2), 1) == date(2026, 4, 7)  # Easter


# ---------------------------------------------------------------- the service
def _ingest(svc: Any, cid: str, text: str) -> int:
    svc.ingest_stream(io.StringIO(line(cid, text) + "\n"))
    svc.triage_pending(force_backfill=True)
    return int(svc.find_comment(cid))


@pytest.fixture
def people(svc: Any) -> Any:
    svc.add_moderator("bob", "moderator", "alice")
    svc.add_moderator("cat", "moderator", "alice")
    svc.add_moderator("lee", "legal", "alice")
    svc.add_moderator("cora", "committee", "alice")
    return svc


def _hidden_by_bob(svc: Any) -> int:
    cid = _ingest(svc, "c1", "The minister is a useless clown and the new road plan is rubbish")
    if svc.detail(cid).item.state != "queued":
        pytest.fail(f"expected the comment queued, got {svc.detail(cid).item.state}")
    svc.decide(cid, "hide", "bob", clause="4", note="insult")
    return cid


def _live(svc: Any, cid: int) -> list[str]:
    return [o.action for o in svc.detail(cid).outbox if o.status in ("pending", "sent")]


def test_a_complaint_is_linked_to_the_decision_and_due_in_five_business_days(people: Any, clock: Any) -> None:
    svc = people
    cid = _hidden_by_bob(svc)
    hide = svc.detail(cid).decisions[-1]
    # The frozen clock is Saturday 21 November 2026, 20:00 in Melbourne.
    c = svc.add_complaint(cid, "email", "2026-11-21", "cat", note="fair criticism", contact="jo@example.org")
    assert (c.comment_id, c.decision_id, c.disputed_action, c.disputed_by) == (cid, hide.id, "hide", "bob")
    assert (c.received_on, c.due_on, c.state) == ("2026-11-21", "2026-11-27", "open")
    assert c.due_at == datetime(2026, 11, 28, tzinfo=ZoneInfo("Australia/Melbourne"))
    assert c.contact == "jo@example.org"
    assert [x.id for x in svc.complaints("open")] == [c.id]
    assert [x.contact for x in svc.complaints(actor="bob")] == ["jo@example.org"]
    assert [x.contact for x in svc.complaints(actor="cora")] == [None], "the committee never sees contact details"
    assert svc.complaint(c.id).contact is None


def test_whoever_decided_cannot_review_and_someone_else_restores_the_comment_once(people: Any) -> None:
    svc = people
    cid = _hidden_by_bob(svc)
    c = svc.add_complaint(cid, "message", "2026-11-21", "cat")
    with pytest.raises(IndependenceError, match="bob made or confirmed a decision on comment .* did not make"):
        svc.review_complaint(c.id, "uphold", "bob", note="I was wrong")
    assert svc.detail(cid).item.state == "hidden"
    done = svc.review_complaint(c.id, "uphold", "cat", note="criticism of the minister breaks no clause")
    assert (done.state, done.reviewer, done.on_time, done.clause) == ("upheld", "cat", True, "4")
    d = svc.detail(cid)
    assert d.item.state == "approved" and not d.intended_hidden
    assert _live(svc, cid) == ["unhide"]
    with pytest.raises(TransitionError, match="already upheld by cat"):
        svc.review_complaint(c.id, "dismiss", "lee", note="again", clause="4")
    assert _live(svc, cid) == ["unhide"]
    assert svc.ledger_verify().ok


def test_the_person_who_confirmed_an_automatic_hide_cannot_review(people: Any) -> None:
    svc = people
    cid = _ingest(svc, "c2", "Kill yourself you absolute waste of space")
    assert svc.detail(cid).item.state == "auto_hidden"
    open_before = svc.add_complaint(cid, "email", "2026-11-21", "cat")
    assert open_before.disputed_by.startswith("auto:") and open_before.by_automation
    svc.decide(cid, "hide", "lee", clause=svc.detail(cid).item.clauses[0])  # legal confirms the auto-hide
    with pytest.raises(IndependenceError, match="lee made or confirmed"):
        svc.review_complaint(open_before.id, "dismiss", "lee", note="it stays hidden")
    out = svc.review_complaint(open_before.id, "dismiss", "cat", note="encourages self-harm")
    assert out.state == "dismissed" and out.clause == svc.detail(cid).item.clauses[0]
    assert svc.detail(cid).item.state == "hidden"


def test_an_upheld_complaint_about_an_approval_hides_it_citing_a_clause(people: Any) -> None:
    svc = people
    cid = _ingest(svc, "c3", "Great news about the new library opening in Bellmore this week")
    svc.decide(cid, "approve", "bob")
    c = svc.add_complaint(cid, "phone", "2026-11-21", "cat")
    with pytest.raises(InputError, match="cite --clause"):
        svc.review_complaint(c.id, "uphold", "cat", note="reported as spam")
    svc.review_complaint(c.id, "uphold", "cat", note="repeated advertising", clause="10")
    d = svc.detail(cid)
    assert d.item.state == "hidden" and d.intended_hidden and _live(svc, cid) == ["hide"]


def test_complaints_refused_with_a_clear_reason(people: Any) -> None:
    svc = people
    queued = _ingest(svc, "c4", "The minister is a useless clown")
    with pytest.raises(TransitionError, match="nothing has been settled"):
        svc.add_complaint(queued, "email", "2026-11-21", "cat")
    cid = _hidden_by_bob(svc)
    with pytest.raises(InputError, match="in the future"):
        svc.add_complaint(cid, "email", "2026-11-22", "cat")
    with pytest.raises(InputError, match="before the decision"):
        svc.add_complaint(cid, "email", "2026-11-19", "cat")
    with pytest.raises(InputError, match="unknown channel"):
        svc.add_complaint(cid, "fax", "2026-11-21", "cat")
    with pytest.raises(RoleError, match="read-only"):
        svc.add_complaint(cid, "email", "2026-11-21", "cora")
    c = svc.add_complaint(cid, "email", "2026-11-21", "cat")
    with pytest.raises(InputError, match="--note"):
        svc.review_complaint(c.id, "dismiss", "cat", note="  ")
    with pytest.raises(RoleError, match="read-only"):
        svc.review_complaint(c.id, "dismiss", "cora", note="no")
    assert svc.complaint(c.id).state == "open"


def test_a_late_review_is_recorded_as_late(people: Any, clock: Any) -> None:
    svc = people
    cid = _hidden_by_bob(svc)
    c = svc.add_complaint(cid, "email", "2026-11-21", "cat")
    clock.advance(days=6, hours=17)  # Saturday 28 November in Melbourne: the due day (Friday 27) has passed
    done = svc.review_complaint(c.id, "dismiss", "cat", note="the insult breaks clause 4")
    assert done.on_time is False and done.state == "dismissed"


def test_contact_details_stay_out_of_the_public_ledger_and_can_be_redacted(people: Any, clock: Any) -> None:
    svc = people
    cid = _hidden_by_bob(svc)
    c = svc.add_complaint(
        cid, "email", "2026-11-21", "cat", note="says it was fair", contact="jo@example.org 0412 345 678"
    )
    svc.review_complaint(c.id, "dismiss", "cat", note="the insult breaks clause 4")
    start, end = clock() - timedelta(days=3), clock() + timedelta(days=1)
    public = list(svc.ledger_export("public", start, end, "alice"))
    text = json.dumps(public)
    assert "jo@example.org" not in text and "0412 345 678" not in text  # digits alone can occur in a hash
    (received,) = [r for r in public if r["kind"] == "complaint_received"]
    assert received["payload"]["contact"] == "[sealed]"
    assert received["payload"]["channel"] == "email" and received["payload"]["due_on"] == "2026-11-27"
    (dismissed,) = [r for r in public if r["kind"] == "complaint_dismissed"]
    assert dismissed["payload"]["clauses"] == ["4"] and dismissed["payload"]["outcome"] == "dismissed"
    assert "jo@example.org" in json.dumps(list(svc.ledger_export("internal", start, end, "alice")))
    svc.redact_ledger(c.received_event, "contact", "complainant asked", "lee")
    assert svc.complaint(c.id, actor="cat").contact is None
    assert "jo@example.org" not in json.dumps(list(svc.ledger_export("internal", start, end, "alice")))
    assert svc.ledger_verify().ok


# ---------------------------------------------------------------- the CLI against the fake platform
def test_cli_refuses_the_decider_with_exit_3_and_an_upheld_complaint_unhides_once(  # type: ignore[no-untyped-def]
    cli,  # noqa: F811
    fake,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fp, _, _ = fake
    cli("poll")
    cli("moderators", "add", "bob", "--role", "moderator")
    target = next(i for i in queue_json(cli)["items"] if "potholes" in i["preview"])
    cli("decide", str(target["id"]), "hide", "--clause", "4", "--note", "insult")
    cli("apply")
    assert target["external_id"] in fp.hidden_ids()
    today = datetime.now(ZoneInfo("Australia/Melbourne")).date().isoformat()
    added = json.loads(cli("complaints", "add", str(target["id"]), "--channel", "email", "--received", today, "--json"))
    assert added["due_on"] == due_day(date.fromisoformat(today)).isoformat()
    refused = cli("complaints", "review", str(added["id"]), "uphold", "--note", "mine", code=3)
    assert "did not make the original decision" in " ".join(refused.split())
    # An admin acting as someone else is still the person who decided: refused too.
    refused = cli("complaints", "review", str(added["id"]), "uphold", "--note", "x", "--as", "bob", code=3)
    assert "alice made or confirmed" in " ".join(refused.split())
    monkeypatch.setattr("getpass.getuser", lambda: "bob")
    cli("complaints", "review", str(added["id"]), "uphold", "--note", "fair criticism")
    cli("apply")
    cli("apply")
    assert fp.unhide_calls[target["external_id"]] == 1
    assert target["external_id"] not in fp.hidden_ids()
    listed = json.loads(cli("complaints", "list", "--state", "upheld", "--json"))
    assert [c["id"] for c in listed] == [added["id"]] and listed[0]["on_time"] is True
    assert "ledger ok" in cli("ledger", "verify")
    cli("complaints", "add", str(target["id"]), "--channel", "fax", "--received", today, code=2)
    cli("complaints", "review", "999", "dismiss", "--note", "x", code=4)


# ---------------------------------------------------------------- the committee's report
def test_the_report_counts_complaints_on_time_and_upheld_by_clause_and_by_who(people: Any, clock: Any) -> None:
    svc = people
    by_person = _hidden_by_bob(svc)
    by_automation = _ingest(svc, "c2", "Kill yourself you absolute waste of space")
    auto_clause = svc.detail(by_automation).item.clauses[0]
    kept = _ingest(svc, "c5", "You are a useless clown, minister")
    svc.decide(kept, "hide", "bob", clause="4")
    a = svc.add_complaint(by_person, "email", "2026-11-21", "cat", contact="jo@example.org")
    b = svc.add_complaint(by_automation, "message", "2026-11-21", "cat")
    c = svc.add_complaint(kept, "phone", "2026-11-21", "cat")
    svc.review_complaint(a.id, "uphold", "cat", note="criticism breaks no clause")
    svc.review_complaint(b.id, "uphold", "lee", note="quoting a song lyric")
    day = date(2026, 11, 21)
    m = svc.stats(day, day)
    assert {k: m.complaints[k] for k in ("received", "reviewed", "on_time", "late", "upheld", "dismissed")} == {
        "received": 3,
        "reviewed": 2,
        "on_time": 2,
        "late": 0,
        "upheld": 2,
        "dismissed": 0,
    }
    assert m.complaints["open_at_end"] == 1 and m.complaints["overdue_at_end"] == 0
    expected = {"4": 2} if auto_clause == "4" else {"4": 1, auto_clause: 1}
    assert m.complaints["upheld_by_clause"] == expected
    assert m.complaints["upheld_by"] == {"automation": 1, "people": 1}
    clock.advance(days=7)  # the third is now overdue, and reviewed late
    svc.review_complaint(c.id, "dismiss", "cat", note="an insult")
    week = svc.stats(day, date(2026, 11, 28))
    assert (week.complaints["late"], week.complaints["dismissed"], week.complaints["open_at_end"]) == (1, 1, 0)
    assert svc.stats(day, date(2026, 11, 27)).complaints["overdue_at_end"] == 1
    md = svc.report(day, day, fmt="md")
    assert "Complaints and reviews" in md and "reviewed on time" in md
    for fmt in ("md", "csv", "json", "html"):
        text = svc.report(day, day, fmt=fmt)
        assert "jo@example.org" not in text and "bob" not in text and "useless clown" not in text
