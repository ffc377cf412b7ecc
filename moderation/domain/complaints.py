"""Complaints about moderation decisions: when a review is due, and who may make it.

The published policy (moderation_policy.md, "Complaints and reviews") promises that a person who did not make the
original decision reviews it within five business days. Both halves of that promise are rules of the domain and
live here, as pure functions the service calls:

* **Due date.** Five business days after the day the complaint was received, counted in the department's time
  zone (``MODQ_TIMEZONE``): the day of receipt is not counted, Saturdays, Sundays and Victorian public holidays
  are skipped. The holidays come from the ``holidays`` library (Australia, subdivision VIC), not a hand list, so
  a new gazetted holiday arrives with a library update. The review is on time if made before the end of the due
  day, local time.
* **Independence.** Nobody who made or confirmed a decision on the comment (for an automatic hide, whoever
  confirmed it) reviews the complaint; the refusal names the rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from .errors import DomainError, InputError

BUSINESS_DAYS = 5
HOLIDAY_COUNTRY, HOLIDAY_SUBDIV = "AU", "VIC"

CHANNELS = ("email", "message", "phone", "other")
OPEN, UPHELD, DISMISSED = "open", "upheld", "dismissed"
STATES = (OPEN, UPHELD, DISMISSED)
OUTCOMES = {"uphold": UPHELD, "dismiss": DISMISSED}

INDEPENDENCE_RULE = (
    "a person who did not make the original decision reviews it (moderation_policy.md, Complaints and reviews)"
)


class IndependenceError(DomainError):
    """The reviewer made or confirmed a decision on the comment the complaint is about (exit 3)."""


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(HOLIDAY_COUNTRY, subdiv=HOLIDAY_SUBDIV, years=year)


def holiday_name(day: date) -> str | None:
    """The Victorian public holiday on ``day``, or None."""
    name = _holidays_of(day.year).get(day)
    return str(name) if name else None


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def add_business_days(day: date, n: int = BUSINESS_DAYS) -> date:
    """The ``n``-th business day after ``day`` (``day`` itself never counts)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    current, counted = day, 0
    while counted < n:
        current += timedelta(days=1)
        if is_business_day(current):
            counted += 1
    return current


def due_day(received: date) -> date:
    """The last day a review of a complaint received on ``received`` is on time."""
    return add_business_days(received, BUSINESS_DAYS)


def check_channel(channel: str) -> str:
    value = channel.strip().lower()
    if value not in CHANNELS:
        raise InputError(f"unknown channel '{channel}': use {', '.join(CHANNELS)}")
    return value


def check_outcome(outcome: str) -> str:
    value = outcome.strip().lower()
    if value not in OUTCOMES:
        raise InputError(f"unknown outcome '{outcome}': use uphold or dismiss")
    return OUTCOMES[value]


def check_state(state: str) -> str:
    value = state.strip().lower()
    if value not in STATES:
        raise InputError(f"unknown complaint state '{state}': use {', '.join(STATES)}")
    return value


@dataclass(frozen=True)
class PastDecision:
    """One decision on the comment, as independence needs it."""

    id: int
    actor: str
    action: str


def is_person(actor: str) -> bool:
    """Automation and the engine act as ``auto:…`` and ``system:…``; anyone else is a person."""
    return not actor.startswith(("auto:", "system:"))


def check_independent(reviewer: str, comment_id: int, decisions: Iterable[PastDecision]) -> None:
    """Refuse a reviewer who made or confirmed any decision on the comment.

    Raises:
        IndependenceError: naming the reviewer's decision and the rule.
    """
    for d in decisions:
        if is_person(d.actor) and d.actor == reviewer:
            raise IndependenceError(
                f"{reviewer} made or confirmed a decision on comment {comment_id} ({d.action.replace('_', ' ')}, "
                f"decision {d.id}) and cannot review this complaint: {INDEPENDENCE_RULE}"
            )
