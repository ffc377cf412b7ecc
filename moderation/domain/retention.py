"""Records retention: how long each class of record is kept before it may be disposed of, and legal holds.

Comments on official accounts are public records (Public Records Act 1973 (Vic)); they are kept and disposed of
under the department's disposal authority from Public Record Office Victoria. The periods are configuration
(``MODQ_RETENTION_YEARS``, JSON such as ``{"comment": 7, "complaint": 7, "note": 2}``), set by the records
manager from that authority; the defaults below are conservative placeholders, not advice.

A record is due for disposal when its retention period has run from its last activity, it is settled (no open
moderation, no open complaint) and no legal hold covers it. Nothing is disposed of automatically: a person runs
``modq records dispose --confirm``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from .errors import ConfigError, InputError

CLASSES: dict[str, str] = {
    "comment": "a comment's text, earlier versions, author names and matched words (decisions and ids stay)",
    "complaint": "a complaint's note, the complainant's contact details and the review's reasons",
    "note": "a private note on an author",
}
DEFAULT_YEARS: dict[str, int] = {"comment": 7, "complaint": 7, "note": 7}
HOLD_SCOPES = ("comment", "author", "case")


def years_for(configured: Mapping[str, int] | None) -> dict[str, int]:
    """The retention period of every class: the configured ones over the defaults.

    Raises:
        ConfigError: an unknown class or a period that is not a whole number of years from 1 to 100.
    """
    years = dict(DEFAULT_YEARS)
    for name, value in (configured or {}).items():
        if name not in CLASSES:
            raise ConfigError(
                f"MODQ_RETENTION_YEARS names an unknown record class '{name}'; classes: {', '.join(CLASSES)}"
            )
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100:
            raise ConfigError(f"MODQ_RETENTION_YEARS: '{name}' must be a whole number of years from 1 to 100")
        years[name] = value
    return years


def dispose_after(last_activity: datetime, years: int) -> datetime:
    """The first instant the record may be disposed of: ``years`` after its last activity (29 February -> 28)."""
    try:
        return last_activity.replace(year=last_activity.year + years)
    except ValueError:
        return last_activity.replace(year=last_activity.year + years, day=28)


def tombstone(record_class: str, day: str) -> str:
    return f"[disposed of on {day} under retention class '{record_class}']"


def check_scope(scope: str) -> str:
    value = scope.strip().lower()
    if value not in HOLD_SCOPES:
        raise InputError(f"unknown hold scope '{scope}': use {', '.join(HOLD_SCOPES)}")
    return value
