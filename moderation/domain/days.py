"""Days in the department's time zone (``MODQ_TIMEZONE``), for suppression orders.

A court order "from 21 November until 1 December" means those days where the department is, both inclusive: it
is in force from local midnight at the start of its first day until local midnight at the end of its last day.
Orders are stored as those two instants in UTC (``starts``, and ``until`` exclusive), so matching compares
instants and never depends on a zone; the days are converted back only to be shown, as they were entered.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError, InputError

DEFAULT_ZONE = "Australia/Melbourne"

FUTURE, IN_FORCE, EXPIRED, REVOKED = "future", "in force", "expired", "revoked"


def zone(name: str) -> ZoneInfo:
    """The time zone named by ``MODQ_TIMEZONE``; a clear error if it is not one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"MODQ_TIMEZONE {name!r} is not a time zone; use an IANA name such as {DEFAULT_ZONE}"
        ) from None


def parse_day(text: str, what: str = "day") -> date:
    """A day typed as ``YYYY-MM-DD``; ``InputError`` naming ``what`` otherwise."""
    value = text.strip()
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{what} {text!r} is not a day: use YYYY-MM-DD, e.g. 2026-11-21") from None


def start_of(day: date, tz: ZoneInfo) -> datetime:
    """The instant (UTC) the day begins in ``tz``."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def end_of(day: date, tz: ZoneInfo) -> datetime:
    """The instant (UTC) the day ends in ``tz``: the next day's start, so the whole day is included."""
    return start_of(day + timedelta(days=1), tz)


def order_window(first: str, last: str | None, tz: ZoneInfo) -> tuple[datetime, datetime | None]:
    """``(starts, until)`` in UTC for an order in force from day ``first`` to day ``last``, both inclusive
    (``last`` empty or None: until revoked).

    Raises:
        InputError: a day that is not ``YYYY-MM-DD``, or a last day before the first.
    """
    first_day = parse_day(first, "the first day")
    if last is None or not last.strip():
        return start_of(first_day, tz), None
    last_day = parse_day(last, "the last day")
    if last_day < first_day:
        raise InputError(f"the last day ({last_day}) is before the first ({first_day}); both days are inclusive")
    return start_of(first_day, tz), end_of(last_day, tz)


def first_day_of(starts: datetime, tz: ZoneInfo) -> date:
    """The first day as entered: the local day ``starts`` falls on."""
    return starts.astimezone(tz).date()


def last_day_of(until: datetime | None, tz: ZoneInfo) -> date | None:
    """The last day as entered: the local day just before ``until`` (which is exclusive)."""
    if until is None:
        return None
    return (until.astimezone(tz) - timedelta(microseconds=1)).date()


def order_status(starts: datetime, until: datetime | None, revoked: bool, now: datetime) -> str:
    """``revoked``, ``future`` (its first day is still to come), ``in force`` or ``expired``."""
    if revoked:
        return REVOKED
    if now < starts:
        return FUTURE
    if until is not None and now >= until:
        return EXPIRED
    return IN_FORCE
