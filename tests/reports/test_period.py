"""Periods, moderation hours and daylight saving: pure functions, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from moderation.reports.metrics import percentile
from moderation.reports.period import Hours, Period, offset_segments

MEL = "Australia/Melbourne"


def test_a_month_is_local_midnight_to_local_midnight() -> None:
    p = Period.days(date(2026, 11, 1), date(2026, 11, 30), MEL)
    assert p.start == datetime(2026, 10, 31, 13, tzinfo=UTC)  # AEDT, UTC+11
    assert p.end == datetime(2026, 11, 30, 13, tzinfo=UTC)
    assert len(p.local_days()) == 30


def test_month_before() -> None:
    assert Period.month_before(date(2026, 12, 15), MEL).first_day == date(2026, 11, 1)
    assert Period.month_before(date(2026, 1, 1), MEL).last_day == date(2025, 12, 31)
    assert Period.month_before(date(2026, 3, 31), MEL).first_day == date(2026, 2, 1)


def test_a_backwards_period_is_refused() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        Period.days(date(2026, 11, 2), date(2026, 11, 1), MEL)


def test_offset_segments_find_daylight_saving_to_the_second() -> None:
    # Melbourne: AEDT ends 5 Apr 2026 03:00 local (16:00 UTC on the 4th), starts 4 Oct 2026 02:00 local.
    p = Period.days(date(2026, 1, 1), date(2026, 12, 31), MEL)
    segs = offset_segments(p.start, p.end, MEL)
    assert [(t.isoformat(), o) for t, o in segs] == [
        (p.start.isoformat(), 11 * 3600),
        ("2026-04-04T16:00:00+00:00", 10 * 3600),
        ("2026-10-03T16:00:00+00:00", 11 * 3600),
    ]
    zone = ZoneInfo(MEL)
    for t, o in segs:
        assert t.astimezone(zone).utcoffset().total_seconds() == o  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "when", "inside"),
    [
        ("09:00-17:00", datetime(2026, 11, 2, 9, 0), True),
        ("09:00-17:00", datetime(2026, 11, 2, 8, 59, 59), False),
        ("09:00-17:00", datetime(2026, 11, 2, 17, 0), False),
        ("mon-fri 09:00-17:00", datetime(2026, 11, 7, 10, 0), False),  # a Saturday
        ("mon-fri 09:00-17:00", datetime(2026, 11, 6, 10, 0), True),
        ("22:00-06:00", datetime(2026, 11, 6, 23, 0), True),
        ("22:00-06:00", datetime(2026, 11, 6, 12, 0), False),
    ],
)
def test_moderation_hours(text: str, when: datetime, inside: bool) -> None:
    assert Hours.parse(text).contains(when) is inside


def test_bad_moderation_hours_are_named() -> None:
    with pytest.raises(ValueError, match="must look like"):
        Hours.parse("nine to five")


def test_percentile_interpolates_like_postgresql() -> None:
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([10, 20, 30, 40, 50], 0.9) == pytest.approx(46.0)
