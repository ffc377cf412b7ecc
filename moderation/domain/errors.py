"""The engine's error tree. Every error a caller can act on is one of these; messages are for people."""

from __future__ import annotations


class ModqError(Exception):
    """Base of every error the engine raises on purpose."""

    exit_code = 1


class DomainError(ModqError):
    """A request that breaks a rule of the domain (state machine, roles, bad values)."""

    exit_code = 3


class TransitionError(DomainError):
    """The comment's state does not allow the requested action."""


class RoleError(DomainError):
    """The acting person's role does not allow the requested action."""


class NotFoundError(ModqError):
    exit_code = 4


class ConflictError(ModqError):
    """Someone else changed or holds the item first; the caller should reload and look again."""

    exit_code = 5


class ConfigError(ModqError):
    """Bad settings or a bad policy file; the message names the file and place."""

    exit_code = 2
