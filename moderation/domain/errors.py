"""The engine's error tree. Every error a caller can act on is one of these; messages are for people.

The command lines map each kind to its documented exit code through ``exit_code`` (the one table, below):
2 bad input or settings (``InputError``, ``ConfigError``), 3 a rule of the domain refused (role, state),
4 not found, 5 someone else changed the item first.
"""

from __future__ import annotations


class ModqError(Exception):
    """Base of every error the engine raises on purpose."""


class DomainError(ModqError):
    """A request that breaks a rule of the domain (state machine, roles)."""


class InputError(DomainError):
    """A value the caller gave is not allowed (an unknown action, route, role or clause, an empty name, a day
    that is not a date...). The message says what is wrong and what is allowed; nothing was changed."""


class TransitionError(DomainError):
    """The comment's state does not allow the requested action."""


class RoleError(DomainError):
    """The acting person's role does not allow the requested action."""


class NotFoundError(ModqError):
    """No such comment, account, order, person or escalation."""


class ConflictError(ModqError):
    """Someone else changed or holds the item first; the caller should reload and look again."""


class ConfigError(ModqError):
    """Bad settings or a bad policy file; the message names the file and place."""


# The documented exit codes, by kind of error (the first match in this order wins).
EXIT_CODES: tuple[tuple[type[ModqError], int], ...] = (
    (InputError, 2),
    (ConfigError, 2),
    (ConflictError, 5),
    (NotFoundError, 4),
    (DomainError, 3),
    (ModqError, 1),
)


def exit_code(exc: ModqError) -> int:
    """The exit code the README documents for this error."""
    return next(code for kind, code in EXIT_CODES if isinstance(exc, kind))
