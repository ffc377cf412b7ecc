"""What every ``modq`` command shares: the consoles, the error handling and exit codes, the service and who acts,
the common options, and the validation of options that take a fixed set of values.

Exit codes: 0 success; 1 a check failed (e.g. the ledger does not verify); 2 bad settings, input or
policy; 3 a domain rule refused the action (role, state); 4 not found; 5 conflict with another person.

A typo must never look like an answer: ``modq queue --state escalation`` used to print an empty queue and exit 0.
Each validator here refuses an unknown value with exit 2 (click's usage error), naming what was given and every
value that is allowed. The sets come from the domain's enums, so a new state or platform is allowed everywhere at
once.
"""

from __future__ import annotations

import functools
import getpass
import json
import sys
import unicodedata
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from moderation.config import Settings
from moderation.domain import ModqError
from moderation.domain.errors import exit_code
from moderation.domain.values import Platform, Role, Route, State

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)

F = TypeVar("F", bound=Callable[..., Any])


def handled(fn: F) -> F:
    """Turn the engine's errors into a clear message and a meaningful exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ModqError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(exit_code(exc)) from None
        finally:
            tell_notices()

    return wrapper  # type: ignore[return-value]


_built: list[Any] = []


def service(db: Path | None = None, *, create: bool = False):  # type: ignore[no-untyped-def]
    """The service over ``--db`` or the configured database.

    Only commands that set a database up (``init``, ``db upgrade``, ``ingest``, ``demo``) pass ``create``; every
    other command refuses a SQLite file that does not exist, so a mistyped ``--db`` never leaves an empty database
    (and folders) behind and never shows an empty queue as if it were the real one.
    """
    from moderation.bootstrap import make_service
    from moderation.store.db import sqlite_path

    settings = Settings()
    url = f"sqlite:///{db}" if db else settings.resolved_database_url()
    path = sqlite_path(url)
    if path is not None and not create:
        if path.is_dir():
            raise typer.BadParameter(f"{path} is a folder, not a database file", param_hint="'--db'")
        if not path.exists():
            raise typer.BadParameter(
                f"no database at {path}; check the path, or create one with 'modq init --db {path}'",
                param_hint="'--db'",
            )
    svc = make_service(settings, database_url=url)
    _built.append(svc)
    return svc


def tell_notices() -> None:
    """What the service had to tell the person (e.g. a note withheld from the public ledger), on stderr."""
    while _built:
        for notice in _built.pop().take_notices():
            err.print(f"[yellow]note:[/yellow] {escape(notice)}")


def actor(name: str | None) -> str:
    """Who this command acts as: the operating-system user, or ``--as NAME`` for an admin (recorded as "admin ME
    as NAME") and in a demo database. Call it after ``service()``."""
    me = getpass.getuser()
    if name is None or name == me:
        return me
    return _built[-1].act_as(me, name) if _built else service().act_as(me, name)


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def parse_day(value: str, end: bool = False) -> datetime:
    try:
        if len(value) == 10:
            day = datetime.combine(datetime.fromisoformat(value).date(), time(0), tzinfo=UTC)
            return day + timedelta(days=1) if end else day
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date (YYYY-MM-DD)") from None


def printable(text: str) -> str:
    """Printable form of hostile text: control and format characters shown as escapes."""
    return "".join(
        ch if ch.isprintable() and unicodedata.category(ch) not in ("Cf", "Cc", "Zl", "Zp") else f"\\u{ord(ch):04x}"
        for ch in text
    )


AsOpt = typer.Option(
    None, "--as", help="Act as this person (admins only, recorded as 'admin YOU as NAME'; anyone in a demo database)."
)
JsonOpt = typer.Option(False, "--json", help="Print JSON instead of a table.")
DbOpt = typer.Option(None, "--db", help="Use this SQLite file instead of the configured database.")


# ---------------------------------------------------------------- options with a fixed set of values
STATES = tuple(s.value for s in State)
PLATFORMS = tuple(p.value for p in Platform)
ROUTES = tuple(r.value for r in Route)
ROLES = tuple(r.value for r in Role)
DECISIONS = ("approve", "hide", "escalate")
LOG_LEVELS = ("debug", "info", "warning", "error")
REPORT_FORMATS = ("html", "md", "csv", "json")
DATA_FORMATS = ("auto", "davidson", "olid", "jsonl")


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
