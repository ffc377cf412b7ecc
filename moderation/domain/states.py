"""The moderation state machine and who may do what.

Human actions go through ``check_transition`` and ``check_role``; automation uses the same table with
the ``auto:`` actor. The table is the single place that says which moves are allowed.
"""

from __future__ import annotations

from .errors import RoleError, TransitionError
from .values import Role, State

# Decision actions a person or the automation can take.
APPROVE = "approve"
HIDE = "hide"
ESCALATE = "escalate"
AUTO_HIDE = "auto_hide"
QUEUE = "queue"
UNDO = "undo"
RESOLVE_APPROVE = "resolve_approve"
RESOLVE_HIDE = "resolve_hide"

# state -> action -> new state
TRANSITIONS: dict[State, dict[str, State]] = {
    State.NEW: {
        QUEUE: State.QUEUED,
        AUTO_HIDE: State.AUTO_HIDDEN,
        APPROVE: State.APPROVED,
        ESCALATE: State.ESCALATED,
    },
    State.QUEUED: {APPROVE: State.APPROVED, HIDE: State.HIDDEN, ESCALATE: State.ESCALATED},
    # A moderator reviews what automation hid: confirming keeps it hidden, approving overturns it.
    State.AUTO_HIDDEN: {APPROVE: State.APPROVED, HIDE: State.HIDDEN, ESCALATE: State.ESCALATED},
    State.ESCALATED: {RESOLVE_APPROVE: State.APPROVED, RESOLVE_HIDE: State.HIDDEN},
    # Settled states change only by undo, or by a suppression-order sweep (escalate).
    State.APPROVED: {ESCALATE: State.ESCALATED},
    State.HIDDEN: {ESCALATE: State.ESCALATED},
}

HUMAN_ACTIONS = {APPROVE, HIDE, ESCALATE, UNDO, RESOLVE_APPROVE, RESOLVE_HIDE}

ROLE_RIGHTS: dict[Role, frozenset[str]] = {
    Role.MODERATOR: frozenset({APPROVE, HIDE, ESCALATE, UNDO, "claim", "resolve_media", "resolve_privacy"}),
    Role.LEGAL: frozenset(
        {APPROVE, HIDE, ESCALATE, UNDO, "claim", "resolve_media", "resolve_privacy", "resolve_legal", "orders"}
    ),
    Role.ADMIN: frozenset(
        {
            APPROVE,
            HIDE,
            ESCALATE,
            UNDO,
            "claim",
            "resolve_media",
            "resolve_privacy",
            "resolve_legal",
            "orders",
            "moderators",
            "accounts",
            "automation",
            "authorise_replies",
        }
    ),
    Role.COMMITTEE: frozenset(),
}


def next_state(current: State, action: str) -> State:
    """Return the state ``action`` leads to, or raise ``TransitionError`` naming what is allowed."""
    allowed = TRANSITIONS.get(current, {})
    if action not in allowed:
        options = ", ".join(sorted(allowed)) or "nothing (settled)"
        raise TransitionError(
            f"cannot {action.replace('_', ' ')} a comment that is {current.value}; allowed: {options}"
        )
    return allowed[action]


def check_role(role: Role, right: str, who: str = "") -> None:
    if right not in ROLE_RIGHTS[role]:
        label = f"{who} ({role.value})" if who else role.value
        if role is Role.COMMITTEE:
            raise RoleError(f"{label} has read-only access and cannot {right.replace('_', ' ')}")
        raise RoleError(f"{label} is not allowed to {right.replace('_', ' ')}")
