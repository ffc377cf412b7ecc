"""Small pure helpers for what the screens print: ages, SLA clocks, state colours, masking decisions.

Kept apart from the widgets so they can be tested without an app, and so every screen words things the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from moderation.services.views import FindingView

STATE_STYLE = {
    "queued": "bold",
    "escalated": "bold magenta",
    "auto_hidden": "bold red",
    "hidden": "red",
    "approved": "green",
    "new": "dim",
}
SEVERITY_STYLE = {"critical": "bold white on red", "high": "bold red", "medium": "yellow", "low": "dim"}
PLATFORM_SHORT = {"facebook": "FB", "instagram": "IG", "x": "X"}
MASK_SEVERITIES = frozenset({"high", "critical"})
MASK_WORDS = ("offensive", "obscen", "hate", "discriminat", "slur", "profan")


def age(delta: timedelta) -> str:
    s = max(0, int(delta.total_seconds()))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m"
    if s < 86400:
        return f"{s // 3600}h"
    return f"{s // 86400}d"


def duration(delta: timedelta) -> str:
    s = abs(int(delta.total_seconds()))
    days, rest = divmod(s, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m"


def sla(due: datetime, now: datetime, resolved: datetime | None = None) -> tuple[str, str]:
    """The SLA clock of an escalation as (label, style)."""
    end = resolved or now
    left = due - end
    if resolved is not None:
        if left >= timedelta(0):
            return "met", "green"
        return f"late {duration(left)}", "red"
    if left < timedelta(0):
        return f"BREACHED {duration(left)} ago", "bold white on red"
    if left < timedelta(hours=1):
        return f"{duration(left)} left", "bold yellow"
    return f"{duration(left)} left", "green"


def mask_clauses(clauses: Mapping[str, Any]) -> frozenset[str]:
    """Clause ids of the offensive / hate family, found by their titles in the published policy."""
    return frozenset(
        cid for cid, c in clauses.items() if any(w in str(getattr(c, "title", "")).lower() for w in MASK_WORDS)
    )


def should_mask(f: FindingView, family: frozenset[str]) -> bool:
    """Slurs and severe obscenities are masked until the moderator reveals them."""
    if f.severity not in MASK_SEVERITIES:
        return False
    if not family:
        return True
    prefix = f.rule_id.split(".", 1)[0].lower()
    return f.clause in family or any(w in prefix for w in MASK_WORDS)


def mask_spans(findings: Iterable[FindingView], family: frozenset[str]) -> list[tuple[int, int]]:
    return [(f.start, f.end) for f in findings if should_mask(f, family)]


def mask_words(findings: Iterable[FindingView], family: frozenset[str]) -> list[str]:
    return [f.match for f in findings if should_mask(f, family) and f.match.strip()]


def masks_within(f: FindingView, masks: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The masked spans of the comment that fall inside finding ``f``'s match, in the match's own offsets: a
    threat's match "kill every [slur]" shows its slur masked like the comment does."""
    size = len(f.match)
    out = []
    for a, b in masks:
        if a < f.end and b > f.start:
            out.append((max(a, f.start) - f.start, min(min(b, f.end) - f.start, size)))
    return [(a, b) for a, b in out if a < b]
