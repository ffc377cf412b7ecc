"""The committee's figures on the constructed month (tests/reports/conftest.py), each worked out by hand.

Runs on SQLite and PostgreSQL: the SQL differs (epoch arithmetic, percentiles), the answers must not.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from moderation.reports.metrics import Timing

from .conftest import Dataset

NOV = (date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture
def m(dataset: Dataset) -> Any:
    return dataset.svc.stats(*NOV)


def test_volume_by_platform_account_day_hour_and_state(m: Any) -> None:
    # c1-c7, c9, c11-c13 are posted in November (Melbourne); c8 (31 Oct) and c10 (1 Dec) are not.
    assert m.received == 11
    assert m.by_platform == {"facebook": 5, "instagram": 4, "x": 2}
    assert {a["account"]: a["comments"] for a in m.by_account} == {"DCW Victoria": 5, "dcw.vic": 4, "@DCWVic": 2}
    days = {d["day"]: d["comments"] for d in m.by_day if d["comments"]}
    assert days == {
        "2026-11-02": 2,
        "2026-11-03": 2,
        "2026-11-04": 2,
        "2026-11-05": 1,
        "2026-11-06": 1,
        "2026-11-07": 1,
        "2026-11-08": 1,
        "2026-11-30": 1,
    }
    assert len(m.by_day) == 30  # every day of the month, empty ones too, for a continuous chart
    assert {h: n for h, n in enumerate(m.by_hour) if n} == {8: 2, 10: 3, 11: 1, 12: 1, 13: 1, 20: 1, 23: 2}
    assert m.by_state == {"approved": 5, "auto_hidden": 2, "escalated": 1, "hidden": 2, "queued": 1}
    assert m.waiting == 4


def test_decisions_by_actor_action_and_clause(m: Any, dataset: Dataset) -> None:
    assert m.decisions == 24
    assert m.decisions_undone == 3
    assert m.by_actor_action == {
        "automation": {"approve": 1, "auto_hide": 5, "escalate": 1, "queue": 4},
        "people": {"approve": 5, "escalate": 2, "hide": 2, "resolve_approve": 1, "undo": 3},
    }
    assert m.hides() == {"automation": 5, "people": 2}
    rows = {(r["clause"], r["actor"], r["action"]): r["decisions"] for r in m.by_clause}
    assert rows == {
        ("1", "automation", "auto_hide"): 3,
        ("1", "people", "approve"): 1,
        ("1", "people", "hide"): 1,
        ("1", "people", "undo"): 1,
        ("2", "automation", "auto_hide"): 2,
        ("2", "people", "escalate"): 1,
        ("2", "people", "resolve_approve"): 1,
        ("3", "automation", "auto_hide"): 1,
        ("4", "automation", "queue"): 1,
        ("4", "people", "hide"): 1,
        ("4", "people", "undo"): 1,
        ("6", "automation", "escalate"): 1,
    }
    assert m.policy_versions == {dataset.svc.policy.version: 24}


def test_time_to_first_decision_inside_and_outside_hours(m: Any) -> None:
    # Automation decided 1 s after arrival, except c2 (2 s); c2, c4, c7 and c9 arrived outside 09:00-17:00.
    assert m.first_decision["all"] == Timing(11, 1.0, 1.0)
    assert m.first_decision["inside"] == Timing(7, 1.0, 1.0)
    assert m.first_decision["outside"].count == 4
    assert m.first_decision["outside"].median == pytest.approx(1.0, abs=1e-3)
    assert m.first_decision["outside"].p90 == pytest.approx(1.7, abs=1e-3)
    # People: inside 300, 600, 1200, 1800 s; outside 4500, 34200, 36000, 48600 s (c9 decided after the period).
    person = m.first_person
    assert (person["inside"].count, person["outside"].count, person["all"].count) == (4, 4, 8)
    assert person["inside"].median == pytest.approx(900, abs=1e-2)
    assert person["inside"].p90 == pytest.approx(1620, abs=1e-2)
    assert person["outside"].median == pytest.approx(35100, abs=1e-2)
    assert person["outside"].p90 == pytest.approx(44820, abs=1e-2)
    assert person["all"].median == pytest.approx(3150, abs=1e-2)
    assert person["all"].p90 == pytest.approx(39780, abs=1e-2)
    # c13 was stored 10 minutes after it was posted; it arrived inside hours (09:05) though posted at 08:55.
    assert m.arrival_delay["all"].median == pytest.approx(0, abs=1e-3)
    assert m.arrival_delay["inside"].count == 7
    assert m.arrival_delay["inside"].p90 == pytest.approx(240, abs=1e-2)


def test_overturned_auto_hides_per_rule(m: Any) -> None:
    trust = {r.rule: (r.auto_hides, r.confirmed, r.overturned, r.pending) for r in m.trust}
    # offensive.severe: c2 overturned, c3 confirmed, c7 pending (its approval was undone).
    # hate.slur: c4 overturned on review (escalated from auto_hidden, reviewer approved), c5 not reviewed.
    assert trust == {"offensive.severe": (3, 1, 1, 1), "hate.slur": (2, 0, 1, 1)}
    rates = {r.rule: r.overturn_rate for r in m.trust}
    assert rates == {"offensive.severe": 0.5, "hate.slur": 1.0}
    assert m.auto_hides == 5
    assert m.overturned == 2
    assert m.overturn_rate == pytest.approx(2 / 3)


def test_shadow_findings_and_how_people_decided(m: Any) -> None:
    shadow = {s.rule: (s.clause, s.would, s.comments, s.hid, s.approved, s.escalated, s.undecided) for s in m.shadow}
    # c6 has two spam.links findings but is one comment; its latest standing decision by a person is a hide.
    assert shadow == {"spam.links": ("10", "auto_hide", 2, 1, 1, 0, 0), "threat.soft": ("3", "queue", 1, 0, 0, 0, 1)}


def test_escalations_by_route(m: Any) -> None:
    routes = {r.route: (r.opened, r.resolved, r.withdrawn, r.open_at_end, r.breached) for r in m.escalations}
    assert routes == {"legal": (1, 0, 0, 1, 1), "media": (1, 1, 0, 0, 0), "privacy": (1, 0, 1, 0, 0)}
    media = next(r for r in m.escalations if r.route == "media")
    assert media.median_resolve_s == pytest.approx(3 * 3600, abs=1e-2)


def test_ledger_cross_check_agrees(m: Any) -> None:
    # Stored in November: all but c8 (31 Oct) and c10 (1 Dec), as the comment_received events say.
    assert [(c.tables, c.ledger) for c in m.checks] == [(11, 11), (11, 11), (13, 13)]
    assert all(c.ok for c in m.checks)
    assert m.ledger_by_kind["decided"] == 10 and m.ledger_by_kind["undone"] == 3


def test_headline_and_json_round_trip(m: Any) -> None:
    h = m.headline()
    assert h["comments_received"] == 11
    assert h["decisions_by_automation"] == 11 and h["decisions_by_people"] == 13
    assert h["hidden_by_automation"] == 5 and h["hidden_by_people"] == 2
    assert h["median_to_first_person_s"] == pytest.approx(3150, abs=1e-2)
    assert h["sla_breaches"] == 1 and h["escalations_opened"] == 3
    data = json.loads(json.dumps(m.to_dict()))
    assert data["headline"]["auto_hides_overturned"] == 2
    assert data["trust"][0]["overturn_rate"] is not None


def test_a_period_with_nothing_in_it(dataset: Dataset) -> None:
    m = dataset.svc.stats(date(2025, 1, 1), date(2025, 1, 31))
    assert m.received == 0 and m.decisions == 0 and not m.trust and not m.escalations
    assert m.first_person["all"] == Timing(0, None, None)
    assert all(c.ok for c in m.checks)


def test_one_day_period_and_progress(dataset: Dataset) -> None:
    steps: list[tuple[str, int, int]] = []
    m = dataset.svc.stats(date(2026, 11, 4), date(2026, 11, 4), progress=lambda *a: steps.append(a))
    # 4 Nov: c5 and c6 posted; automation decided both; bob escalated c4 (09:00), resolved it (12:00),
    # and approved, undid and hid c6.
    assert m.received == 2
    assert m.by_actor_action == {
        "automation": {"auto_hide": 1, "queue": 1},
        "people": {"approve": 1, "escalate": 1, "hide": 1, "resolve_approve": 1, "undo": 1},
    }
    assert steps[0][1] == 0 and steps[-1][1] == steps[-1][2]
    assert {s[0] for s in steps} >= {"volume", "decisions", "response", "trust", "shadow", "escalations"}


def test_local_days_and_hours_across_the_start_of_daylight_saving(svc: Any, clock: Any) -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from .conftest import _ingest

    mel = ZoneInfo("Australia/Melbourne")
    # Clocks go forward on 4 Oct 2026 at 02:00 AEST (UTC+10) to 03:00 AEDT (UTC+11).
    times = [
        datetime(2026, 10, 3, 23, 30, tzinfo=mel),
        datetime(2026, 10, 4, 1, 30, tzinfo=mel),
        datetime(2026, 10, 4, 3, 30, tzinfo=mel),
        datetime(2026, 10, 4, 23, 59, 59, tzinfo=mel),
    ]
    for n, t in enumerate(times):
        _ingest(svc, clock, n, "facebook", t.astimezone(UTC))
    m = svc.stats(date(2026, 10, 3), date(2026, 10, 4))
    assert [(d["day"], d["comments"]) for d in m.by_day] == [("2026-10-03", 1), ("2026-10-04", 3)]
    assert {h: n for h, n in enumerate(m.by_hour) if n} == {1: 1, 3: 1, 23: 2}


def test_a_half_hour_time_zone_buckets_by_quarter_hour(make_svc: Any, clock: Any) -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from .conftest import _ingest

    svc = make_svc(timezone="Australia/Adelaide")  # UTC+10:30 in summer
    adl = ZoneInfo("Australia/Adelaide")
    times = [
        datetime(2026, 11, 2, 0, 10, tzinfo=adl),
        datetime(2026, 11, 2, 23, 50, tzinfo=adl),
        datetime(2026, 11, 3, 8, 59, tzinfo=adl),
        datetime(2026, 11, 3, 9, 0, tzinfo=adl),
    ]
    for n, t in enumerate(times):
        _ingest(svc, clock, n, "instagram", t.astimezone(UTC))
    m = svc.stats(date(2026, 11, 2), date(2026, 11, 3))
    assert [(d["day"], d["comments"]) for d in m.by_day] == [("2026-11-02", 2), ("2026-11-03", 2)]
    assert {h: n for h, n in enumerate(m.by_hour) if n} == {0: 1, 8: 1, 9: 1, 23: 1}
    assert (m.first_decision["inside"].count, m.first_decision["outside"].count) == (0, 0)


def test_two_policy_versions_in_a_period_are_counted_apart(dataset: Dataset) -> None:
    from sqlalchemy import update

    from moderation.store.tables import Decision

    with dataset.svc.tx() as s:
        s.execute(update(Decision).where(Decision.id.in_([1, 2, 3])).values(policy_version="2026.10.9"))  # type: ignore[union-attr]
    m = dataset.svc.stats(*NOV)
    current = dataset.svc.policy.version
    # Decisions 1-3 are c1's (queue, approve) and c2's triage, all in November.
    assert m.policy_versions == {"2026.10.9": 3, current: 21}
