"""Validation of options that take a fixed set of values.

A typo must never look like an answer: ``modq queue --state escalation`` used to print an empty queue and exit 0.
Each validator here refuses an unknown value with exit 2 (click's usage error), naming what was given and every
value that is allowed. The sets come from the domain's enums, so a new state or platform is allowed everywhere at
once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import typer

from moderation.domain.values import Platform, Role, Route, State

STATES = tuple(s.value for s in State)
PLATFORMS = tuple(p.value for p in Platform)
ROUTES = tuple(r.value for r in Route)
ROLES = tuple(r.value for r in Role)
DECISIONS = ("approve", "hide", "escalate")
LOG_LEVELS = ("debug", "info", "warning", "error")


def refuse(given: str, allowed: Iterable[str], what: str, option: str) -> typer.BadParameter:
    """The one error for an unknown value: what was given, and what is allowed."""
    return typer.BadParameter(
        f"{given!r} is not a {what}; use one of: {', '.join(allowed)}",
        param_hint=f"'{option}'",
    )


def one_of(allowed: Iterable[str], what: str, option: str) -> Callable[[str | None], str | None]:
    """A typer callback for an option holding one value of ``allowed`` (or nothing)."""
    values = tuple(allowed)

    def check(value: str | None) -> str | None:
        if value is None or value in values:
            return value
        raise refuse(value, values, what, option)

    return check


def states_option(value: list[str] | None) -> list[str] | None:
    """``--state`` (repeatable): known states, or ``all`` for every state."""
    if not value:
        return None
    if "all" in value:
        return None
    for v in value:
        if v not in STATES:
            raise refuse(v, (*STATES, "all"), "state", "--state")
    return value


def check_clauses(given: str | None, known: Iterable[str], option: str = "--clause") -> None:
    """Each comma-separated clause in ``given`` must be one of the policy's clause ids."""
    if not given:
        return
    ids = tuple(known)
    for part in (p.strip() for p in given.split(",")):
        if part not in ids:
            raise refuse(part, ids, "clause of the published policy", option)


REPORT_FORMATS = ("html", "md", "csv", "json")
DATA_FORMATS = ("auto", "davidson", "olid", "jsonl")
