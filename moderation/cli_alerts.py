"""``modq alerts list|ack``: what needs a person, and saying someone is on it. Registered by ``moderation.cli``.

The worker finds the alerts and emails them as a digest (``moderation.alerting``); these commands only read
and acknowledge them.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from moderation.cli import AsOpt, DbOpt, JsonOpt, actor, emit_json, handled, out, service

alerts_app = typer.Typer(
    help="Alerts that need a person (also emailed by the worker as a digest).", no_args_is_help=True
)


@alerts_app.command("list")
@handled
def alerts_list(
    every: bool = typer.Option(False, "--all", help="Include alerts already acknowledged."),
    limit: int = typer.Option(200, min=1, help="At most this many, newest first."),
    db: Path | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Alerts nobody has acknowledged yet (--all: every alert), newest first, times in UTC."""
    rows = service(db).alerts(include_acknowledged=every, limit=limit)
    if as_json:
        emit_json([r.to_dict() for r in rows])
        return
    if not rows:
        out.print("no alerts" if every else "no alert waiting to be acknowledged")
        return
    table = Table("id", "when (UTC)", "kind", "emailed", "state", "message", box=None)
    for r in rows:
        state = (
            f"acknowledged by {escape(r.acknowledged_by)}"
            if r.acknowledged_by
            else ("ended" if r.cleared_at else "open")
        )
        table.add_row(
            str(r.id),
            f"{r.created_at:%Y-%m-%d %H:%M}",
            r.kind,
            f"{r.emailed_at:%H:%M}" if r.emailed_at else "-",
            state,
            escape(r.message),
        )
    out.print(table)


@alerts_app.command("ack")
@handled
def alerts_ack(
    ids: list[int] = typer.Argument(None, help="Alert ids (from 'modq alerts list')."),
    every: bool = typer.Option(False, "--all", help="Acknowledge every alert waiting."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Say that someone is on these alerts: they leave the list, and the digest does not send them."""
    svc = service(db)
    done = svc.acknowledge_alerts(list(ids or []), actor(as_), every=every)
    out.print(
        f"acknowledged {len(done)} alert{'s' if len(done) != 1 else ''}"
        + (f": {', '.join(map(str, done))}" if done else "")
    )


def register(app: typer.Typer) -> None:
    app.add_typer(alerts_app, name="alerts")
