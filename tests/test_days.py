"""Order days are the department's local days (MODQ_TIMEZONE), both ends inclusive, shown as entered."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moderation.domain import ConfigError, InputError
from moderation.domain.days import (
    EXPIRED,
    FUTURE,
    IN_FORCE,
    end_of,
    first_day_of,
    last_day_of,
    order_status,
    order_window,
    start_of,
    zone,
)

MELB = ZoneInfo("Australia/Melbourne")


def test_an_order_from_today_is_in_force_at_0215_in_melbourne() -> None:
    starts, until = order_window("2026-11-21", "2026-12-01", MELB)
    now = datetime(2026, 11, 21, 2, 15, tzinfo=MELB)  # 15:15 UTC the day before
    assert order_status(starts, until, False, now) == IN_FORCE
    assert order_status(starts, until, False, now - timedelta(hours=3)) == FUTURE
    # The last day is in force until its local midnight, and shown as entered.
    assert order_status(starts, until, False, datetime(2026, 12, 1, 23, 59, tzinfo=MELB)) == IN_FORCE
    assert order_status(starts, until, False, datetime(2026, 12, 2, 0, 0, tzinfo=MELB)) == EXPIRED
    assert first_day_of(starts, MELB) == date(2026, 11, 21) and last_day_of(until, MELB) == date(2026, 12, 1)


def test_a_one_day_order_is_allowed_and_a_last_day_before_the_first_is_not() -> None:
    starts, until = order_window("2026-11-21", "2026-11-21", MELB)
    assert until is not None and until - starts == timedelta(days=1)
    with pytest.raises(InputError, match=r"the last day \(2026-11-20\) is before the first \(2026-11-21\)"):
        order_window("2026-11-21", "2026-11-20", MELB)


@pytest.mark.parametrize("bad", ["21/11/2026", "2026-13-01", "tomorrow", "2026-11-21T00:00", ""])
def test_a_day_that_is_not_a_date_is_bad_input(bad: str) -> None:
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        order_window(bad, None, MELB)


def test_an_unknown_zone_is_a_settings_error() -> None:
    with pytest.raises(ConfigError, match="MODQ_TIMEZONE 'Mars/Olympus' is not a time zone"):
        zone("Mars/Olympus")


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.sampled_from(["Australia/Melbourne", "Australia/Perth", "Pacific/Chatham", "America/Sao_Paulo", "UTC"]),
)
def test_days_round_trip_and_cover_the_whole_local_day(day: date, name: str) -> None:
    tz = ZoneInfo(name)
    starts, until = start_of(day, tz), end_of(day, tz)
    assert starts.tzinfo is UTC and first_day_of(starts, tz) == day and last_day_of(until, tz) == day
    assert timedelta(hours=22) <= until - starts <= timedelta(hours=26)  # daylight saving: 23 or 25 hours
    assert order_status(starts, until, False, starts) == IN_FORCE
    assert order_status(starts, until, False, until - timedelta(microseconds=1)) == IN_FORCE
    assert order_status(starts, until, False, until) == EXPIRED


def test_orders_list_shows_days_as_entered_and_future_in_force_expired(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from moderation.cli import app

    monkeypatch.setattr("getpass.getuser", lambda: "alice")
    db = str(tmp_path / "modq.db")
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(app, [*args, "--db", db])
        assert result.exit_code == code, (args, result.output)
        return " ".join(result.output.split())

    run("init")
    today = datetime.now(MELB).date()
    days = {
        "R v A": (today + timedelta(days=10), today + timedelta(days=20)),
        "R v B": (today, today),
        "R v C": (today - timedelta(days=20), today - timedelta(days=10)),
    }
    for case, (first, last) in days.items():
        said = run("orders", "add", "--case", case, "--court", "County Court", "--term", f"Name {case[-1]}xx",
                   "--from", first.isoformat(), "--until", last.isoformat(), "--no-sweep")  # fmt: skip
        assert f"from {first} to {last} (Australia/Melbourne days, inclusive)" in said
    listed = run("orders", "list")
    assert f"{days['R v A'][0]} {days['R v A'][1]} future" in listed
    assert f"{today} {today} in force" in listed
    assert f"{days['R v C'][0]} {days['R v C'][1]} expired" in listed
    # The same order again is refused, naming the one that exists; an expired one may be renewed.
    refused = run("orders", "add", "--case", "R v B", "--court", "county court", "--term", "name bxx",
                  "--from", today.isoformat(), code=3)  # fmt: skip
    assert "order 2 already protects these names in this case (in force" in refused and "nothing was added" in refused
    run(
        "orders", "add", "--case", "R v C", "--court", "County Court", "--term", "Name Cxx", "--from", today.isoformat()
    )
    assert "is not a day: use YYYY-MM-DD" in run(
        "orders", "add", "--case", "R v D", "--court", "C", "--term", "Name Dxx", "--from", "1/12/2026", code=2
    )
