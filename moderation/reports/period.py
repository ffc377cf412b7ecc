"""Report periods and moderation hours, in the department's local time.

Why local time: the committee reads "1 to 31 October" and "inside moderation hours" as Melbourne wall-clock
time, while every stored time is UTC. A period is therefore a range of *local* days turned into a UTC
``[start, end)`` interval, and daylight saving is handled by listing the UTC offsets that apply inside the
period (``offset_segments``), so the database can bucket rows by local day and hour with plain arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@dataclass(frozen=True)
class Period:
    """Local days ``first_day``..``last_day`` (inclusive) as the UTC interval ``[start, end)``."""

    first_day: date
    last_day: date
    timezone: str
    start: datetime
    end: datetime

    @classmethod
    def days(cls, first_day: date, last_day: date, timezone: str) -> Period:
        if last_day < first_day:
            raise ValueError(f"the period ends ({last_day}) before it starts ({first_day})")
        zone = ZoneInfo(timezone)
        start = datetime.combine(first_day, time(0), tzinfo=zone).astimezone(UTC)
        end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
        return cls(first_day, last_day, timezone, start, end)

    @classmethod
    def month_before(cls, today: date, timezone: str) -> Period:
        """The whole calendar month before the one ``today`` is in."""
        first_this = today.replace(day=1)
        last_prev = first_this - timedelta(days=1)
        return cls.days(last_prev.replace(day=1), last_prev, timezone)

    @property
    def label(self) -> str:
        return f"{self.first_day:%d %b %Y} to {self.last_day:%d %b %Y}"

    def local_days(self) -> list[date]:
        n = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=i) for i in range(n)]


@dataclass(frozen=True)
class Hours:
    """Moderation hours: ``"09:00-17:00"`` (every day) or ``"mon-fri 09:00-17:00"``."""

    start_s: int
    end_s: int
    weekdays: frozenset[int]  # 0 = Monday
    text: str

    @classmethod
    def parse(cls, text: str) -> Hours:
        m = re.fullmatch(r"\s*(?:([a-z]{3})-([a-z]{3})\s+)?(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", text.lower())
        if not m:
            raise ValueError(f"moderation hours {text!r} must look like 09:00-17:00 or mon-fri 09:00-17:00")
        d1, d2, h1, m1, h2, m2 = m.groups()
        start_s, end_s = int(h1) * 3600 + int(m1) * 60, int(h2) * 3600 + int(m2) * 60
        if not (0 <= start_s <= 86400 and 0 <= end_s <= 86400) or start_s == end_s:
            raise ValueError(f"moderation hours {text!r} are not a valid time range")
        days = set(range(7))
        if d1:
            if d1 not in DAY_NAMES or d2 not in DAY_NAMES:
                raise ValueError(f"moderation hours {text!r}: days are mon, tue, wed, thu, fri, sat, sun")
            a, b = DAY_NAMES.index(d1), DAY_NAMES.index(d2)
            days = {(a + i) % 7 for i in range((b - a) % 7 + 1)}
        return cls(start_s, end_s, frozenset(days), text.strip())

    def contains(self, local: datetime) -> bool:
        """The same test the SQL does, for one local time (used by tests and by small Python-side checks)."""
        if local.weekday() not in self.weekdays:
            return False
        s = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
        if self.start_s < self.end_s:
            return self.start_s <= s < self.end_s
        return s >= self.start_s or s < self.end_s  # a window across midnight


def offset_segments(start: datetime, end: datetime, timezone: str) -> list[tuple[datetime, int]]:
    """The UTC offsets (seconds) in force over ``[start, end)``: ``[(from_utc, offset), ...]``, first from ``start``.

    Found by stepping hourly and bisecting to the second where the offset changes: exact for every real zone,
    and a year costs under 9,000 look-ups.
    """
    zone = ZoneInfo(timezone)

    def off(t: datetime) -> int:
        delta = t.astimezone(zone).utcoffset()
        return int(delta.total_seconds()) if delta else 0

    segments = [(start, off(start))]
    t = start
    step = timedelta(hours=1)
    while t < end:
        nxt = min(t + step, end)
        if off(nxt) != segments[-1][1]:
            lo, hi = t, nxt  # off(lo) is the old offset, off(hi) the new one
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if off(mid) == segments[-1][1]:
                    lo = mid
                else:
                    hi = mid
            hi = hi.replace(microsecond=0) if off(hi.replace(microsecond=0)) != segments[-1][1] else hi
            segments.append((hi, off(hi)))
        t = nxt
    return segments
