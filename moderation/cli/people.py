"""``modq moderators add|set-role|deactivate|reactivate|list``: people who moderate, review or read."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from moderation.cli.common import ROLES, AsOpt, DbOpt, JsonOpt, actor, emit_json, handled, one_of, out, service

moderators_app = typer.Typer(help="People who moderate, review or read.", no_args_is_help=True)


@moderators_app.command("add")
@handled
def moderators_add(
    name: str,
    role: str = typer.Option(
        "moderator", callback=one_of(ROLES, "role", "--role"), help="moderator, legal, committee or admin."
    ),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Add a person (admins only)."""
    m = service(db).add_moderator(name, role, actor(as_))
    out.print(f"{escape(m.name)} is a {m.role}")


@moderators_app.command("set-role")
@handled
def moderators_set_role(
    name: str = typer.Argument(..., help="The person."),
    role: str = typer.Argument(
        ..., callback=one_of(ROLES, "role", "ROLE"), help="moderator, legal, committee or admin."
    ),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Change a person's role (admins only; recorded in the ledger)."""
    m = service(db).set_role(name, role, actor(as_))
    out.print(f"{escape(m.name)} is now a {m.role}")


@moderators_app.command("deactivate")
@handled
def moderators_deactivate(
    name: str = typer.Argument(..., help="The person."),
    reason: str = typer.Option("", help="Why (kept in the ledger)."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Stop a person acting (admins only). They stay in the records with their decisions."""
    m = service(db).deactivate_moderator(name, actor(as_), reason)
    out.print(f"{escape(m.name)} ({m.role}) is deactivated; their decisions stay in the records")


@moderators_app.command("reactivate")
@handled
def moderators_reactivate(
    name: str = typer.Argument(..., help="The person."),
    reason: str = typer.Option("", help="Why (kept in the ledger)."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Let a deactivated person act again, with the role they had (admins only)."""
    m = service(db).reactivate_moderator(name, actor(as_), reason)
    out.print(f"{escape(m.name)} is active again as a {m.role}")


@moderators_app.command("list")
@handled
def moderators_list(db: Path | None = DbOpt, as_json: bool = JsonOpt) -> None:
    """Everyone who can use modq, with their role."""
    people = service(db).moderators()
    if as_json:
        emit_json([m.to_dict() for m in people])
        return
    for m in people:
        extra = ("" if m.active else " (inactive)") + (", spokesperson" if m.spokesperson else "")
        out.print(f"{escape(m.name):20} {m.role}{extra}")
