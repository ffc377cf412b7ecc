"""Plain values shared by every layer: platforms, states, actions, roles, findings, verdicts.

Nothing here does I/O. The rules pipeline produces these values, the service stores them,
the TUI and the report read them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple


class Platform(str, enum.Enum):
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    X = "x"


class State(str, enum.Enum):
    """Where a comment stands in moderation."""

    NEW = "new"
    QUEUED = "queued"
    AUTO_HIDDEN = "auto_hidden"
    APPROVED = "approved"
    HIDDEN = "hidden"
    ESCALATED = "escalated"


class Action(str, enum.Enum):
    """What the rules pipeline asks for. Precedence, strongest first: escalate > auto_hide > queue > approve.

    Escalation wins over auto-hide because legal matters (defamation, suppression orders) need a person
    even when the comment is also hidden straight away; the service hides *and* escalates in that case
    when a suppression-order rule asks for it (see ``Verdict.hide_now``).
    """

    AUTO_HIDE = "auto_hide"
    QUEUE = "queue"
    ESCALATE = "escalate"
    APPROVE = "approve"


ACTION_PRECEDENCE = {Action.ESCALATE: 3, Action.AUTO_HIDE: 2, Action.QUEUE: 1, Action.APPROVE: 0}


class Route(str, enum.Enum):
    MEDIA = "media"
    PRIVACY = "privacy"
    LEGAL = "legal"


class Role(str, enum.Enum):
    MODERATOR = "moderator"
    LEGAL = "legal"
    COMMITTEE = "committee"
    ADMIN = "admin"


class Severity(str, enum.Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


SEVERITY_RANK = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}


class Mode(str, enum.Enum):
    ENFORCE = "enforce"
    SHADOW = "shadow"


@dataclass(frozen=True)
class SuppressionOrder:
    """A court order forbidding publication of names or details while it is in force."""

    id: int
    case: str
    court: str
    terms: tuple[str, ...]
    starts: datetime
    until: datetime | None
    revoked: bool = False

    def active_at(self, when: datetime) -> bool:
        if self.revoked or when < self.starts:
            return False
        return self.until is None or when < self.until


@dataclass(frozen=True)
class CommentInput:
    """What the pipeline sees of one comment: plain values, no database rows."""

    text: str
    platform: str = "facebook"
    account: str = ""
    author_id: str = ""
    author_handle: str = ""
    author_name: str = ""
    is_reply: bool = False
    author_prior_hidden: int = 0
    # How many other comments with the same normalised text were seen recently (supplied by the service).
    repeat_count: int = 0


class Finding(NamedTuple):
    """One rule that fired, with the span of the *original* text it matched.

    A named tuple rather than a dataclass: the pipeline builds one per match, thousands per second, and a
    tuple is both immutable and several times cheaper to build than a frozen dataclass.
    """

    rule_id: str
    clause: str
    severity: Severity
    action: Action
    mode: Mode
    start: int
    end: int
    match: str
    confidence: float = 1.0
    explanation: str = ""
    rule_hash: str = ""
    priority: int = 0
    route: Route | None = None


class Verdict(NamedTuple):
    """The pipeline's answer for one comment: ordered findings and the action they lead to (a named tuple,
    like ``Finding``, because one is built for every comment)."""

    action: Action
    findings: tuple[Finding, ...] = ()
    priority: int = 0
    route: Route | None = None
    policy_version: str = ""
    # True when an enforce-mode rule wants the comment hidden now even though it is escalated
    # (suppression orders: hide and escalate to legal).
    hide_now: bool = False
    shadow_findings: tuple[Finding, ...] = ()

    @property
    def clauses(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for f in self.findings:
            if f.clause:  # a finding with no clause (a comment too long to check) cites none
                seen.setdefault(f.clause, None)
        return tuple(seen)

    @property
    def severity(self) -> Severity | None:
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=lambda s: SEVERITY_RANK[s])
