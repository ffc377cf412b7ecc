"""``modq init`` and ``modq db upgrade|backup``: setting up the database and copying it."""

from __future__ import annotations

import getpass
from pathlib import Path

import typer
from rich.markup import escape

from moderation.cli.common import DbOpt, handled, out, service

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)


@handled
def init(db: Path | None = DbOpt) -> None:
    """Create the database (or bring it up to date) and make you its first admin."""
    svc = service(db, create=True)
    me = getpass.getuser()
    made = svc.ensure_first_admin(me)
    out.print(f"database ready at {escape(str(svc.engine.url.render_as_string(hide_password=True)))}")
    if made:
        out.print(f"'{escape(me)}' is the first admin; add others with 'modq moderators add'")


@db_app.command("upgrade")
@handled
def db_upgrade(db: Path | None = DbOpt) -> None:
    """Apply any pending schema migrations."""
    from moderation.store.migrate import current

    svc = service(db, create=True)
    out.print(f"schema at revision {current(svc.engine)}")


@db_app.command("backup")
@handled
def db_backup(
    dest: Path = typer.Argument(..., help="The file to write (must not exist yet)."),
    db: Path | None = DbOpt,
) -> None:
    """Copy the SQLite database while the worker runs (SQLite's online backup). PostgreSQL: use pg_dump."""
    from moderation.store.backup import backup_sqlite

    svc = service(db)
    if dest.exists():
        raise typer.BadParameter(f"{dest} exists; give a new file name", param_hint="'DEST'")
    pages = backup_sqlite(svc.engine, dest)
    out.print(f"backed up {pages} pages to {escape(str(dest))}")
