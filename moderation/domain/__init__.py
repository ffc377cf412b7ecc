"""Pure domain values and rules: no I/O, no SQL, no clocks."""

from .errors import ConfigError, ConflictError, DomainError, ModqError, NotFoundError, RoleError, TransitionError
from .values import (
    ACTION_PRECEDENCE,
    SEVERITY_RANK,
    Action,
    CommentInput,
    Finding,
    Mode,
    Platform,
    Role,
    Route,
    Severity,
    State,
    SuppressionOrder,
    Verdict,
)

__all__ = [
    "ACTION_PRECEDENCE",
    "SEVERITY_RANK",
    "Action",
    "CommentInput",
    "ConfigError",
    "ConflictError",
    "DomainError",
    "Finding",
    "Mode",
    "ModqError",
    "NotFoundError",
    "Platform",
    "Role",
    "RoleError",
    "Route",
    "Severity",
    "State",
    "SuppressionOrder",
    "TransitionError",
    "Verdict",
]
