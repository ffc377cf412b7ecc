"""``modq demo``: the demo corpus in a fresh embedded database, opened in the TUI."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from moderation.cli.common import DbOpt, actor, handled, out, printable


@handled
def demo(
    no_tui: bool = typer.Option(False, "--no-tui", help="Print the queue summary instead of opening the TUI."),
    db: Path | None = DbOpt,
    force: bool = typer.Option(
        False, "--force", help="Replace the file at --db even though it is not a demo database."
    ),
) -> None:
    """Load the demo corpus into a fresh embedded database, triage it, and open the queue. An existing file at
    --db is replaced only if it is a demo database (or with --force)."""
    from moderation.demo_loader import load_demo

    svc, summary = load_demo(db, force=force)
    if no_tui or not sys.stdout.isatty() or not sys.stdin.isatty():
        out.print(summary)
        items = svc.queue(limit=15)
        table = Table("id", "state", "pri", "clause", "platform", "preview", box=None, title="Top of the queue")
        for i in items:
            table.add_row(
                str(i.id), i.state, str(i.priority), ",".join(i.clauses), i.platform, escape(printable(i.preview)[:80])
            )
        out.print(table)
        return
    from tui.app import run_tui

    run_tui(svc, actor(None))
