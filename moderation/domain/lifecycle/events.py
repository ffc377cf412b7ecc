"""The words of a comment's lifecycle: where a comment stands (``Snapshot``), the events that can happen to it, and
the effects an event has (``Effects``). ``lifecycle.transition`` maps the first two to the third."""

from __future__ import annotations

from dataclasses import dataclass

from ..values import Action, Route, State


@dataclass(frozen=True)
class Snapshot:
    """Where a comment stands before an event."""

    state: State
    hidden: bool  # what we mean the platform to show (``intended_hidden``)
    escalation: Route | None = None  # the route of its open escalation, if any
    protected: bool = False  # its text names a person protected by an order in force


# ------------------------------------------------------------------ events
@dataclass(frozen=True)
class Triaged:
    """The published policy's verdict on a ``new`` comment."""

    action: Action
    route: Route | None = None
    hide_now: bool = False  # an enforce-mode rule wants it hidden while escalated
    automation_allowed: bool = True  # False while automation is paused, or for a backfill


@dataclass(frozen=True)
class Decided:
    """A person's approve, hide or escalate (on an escalated comment, approve and hide resolve it)."""

    action: str
    route: Route | None = None
    legal: bool = False  # the person may resolve legal escalations (legal reviewers, admins)


@dataclass(frozen=True)
class Undone:
    """Undo of a person's decision, with what that decision recorded as the state and visibility before it."""

    undone_action: str
    before_state: State
    before_hidden: bool


@dataclass(frozen=True)
class Rerouted:
    """An open escalation handed to another route."""

    route: Route


@dataclass(frozen=True)
class OrderMatched:
    """A suppression-order sweep found a protected name in a stored comment."""


@dataclass(frozen=True)
class OrderRevoked:
    """An order stopped matching. What it hid stays hidden: legal decides on each comment."""


@dataclass(frozen=True)
class PlatformDrift:
    """The platform shows the comment hidden or visible, not as we decided (someone acted there directly)."""

    platform_hidden: bool


@dataclass(frozen=True)
class PlatformFailed:
    """The platform refused our hide or unhide for good (a permanent error)."""

    action: str  # "hide" | "unhide"


@dataclass(frozen=True)
class Edited:
    """The comment's text changed on the platform."""


@dataclass(frozen=True)
class Upheld:
    """An independent reviewer upheld a complaint against the decision that settled the comment: the decision is
    reversed. A hidden or auto-hidden comment is restored (approved and shown); an approved one is hidden."""

    legal: bool = False  # the reviewer may show a name protected by an order (legal reviewers, admins)


Event = (
    Triaged
    | Decided
    | Undone
    | Rerouted
    | OrderMatched
    | OrderRevoked
    | PlatformDrift
    | PlatformFailed
    | Edited
    | Upheld
)


# ------------------------------------------------------------------ effects
@dataclass(frozen=True)
class EscalationChange:
    """What happens to the comment's escalation.

    ``open`` a new one on ``route``; ``resolve`` the open one with ``resolution``; ``withdraw`` the open one;
    ``reopen`` the one the undone decision resolved; ``reroute`` the open one to ``route`` (withdrawn there,
    opened anew here); ``note`` on the open one.
    """

    kind: str
    route: Route | None = None
    resolution: str | None = None


@dataclass(frozen=True)
class Effects:
    """Everything one event does. ``platform`` is the outbox action to queue (``hide``/``unhide``) or None."""

    step: str  # the action recorded on the decision row
    state: State
    hidden: bool
    platform: str | None
    ledger: str  # the ledger event's kind
    escalation: EscalationChange | None = None
    decision: bool = True  # whether the event is recorded as a decision row
    priority_floor: int = 0
    note: str = ""
    changed: bool = True  # False: the event leaves the comment as it is (nothing is written)
