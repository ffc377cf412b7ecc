"""``modq tui``: open the moderator's terminal on the configured database (or ``--db``).

Registered by ``moderation.cli`` (it imports ``tui.cli`` and calls ``register``), so the engine's CLI does not
depend on Textual being importable for its other commands.
"""

from __future__ import annotations

import getpass
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def tui(
        db: Path | None = typer.Option(None, "--db", help="Use this SQLite file instead of the configured database."),
        as_: str | None = typer.Option(None, "--as", help="Act as this moderator (default: your OS user name)."),
        high_contrast: bool = typer.Option(False, "--high-contrast", help="Start with the high-contrast theme."),
        break_every: float = typer.Option(
            0, "--break-every", help="Remind me to take a break every N minutes (0: never)."
        ),
        refresh: float = typer.Option(3.0, "--refresh", help="Seconds between checks for new comments."),
    ) -> None:
        """Open the moderation queue in the terminal (keys: ? shows them all)."""
        from moderation.bootstrap import make_service
        from moderation.config import Settings
        from moderation.domain import ModqError
        from moderation.domain.errors import exit_code
        from tui.app import run_tui

        url = f"sqlite:///{db}" if db else None
        try:
            svc = make_service(Settings(), database_url=url)
        except ModqError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exit_code(exc)) from None
        try:
            actor = svc.act_as(getpass.getuser(), as_)
            run_tui(svc, actor, high_contrast=high_contrast, break_minutes=break_every, refresh_seconds=refresh)
        except ModqError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exit_code(exc)) from None
