"""``modq alerts list|ack|send``: what needs a person, saying someone is on it, and mailing the digest from
outside the worker.

The worker finds the alerts and emails them as a digest (``moderation.alerting``); ``send`` does the same once,
for a timer beside the worker, so that a worker which is not running at all is still noticed.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from moderation.cli.common import AsOpt, DbOpt, JsonOpt, actor, emit_json, handled, out, service

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


@alerts_app.command("send")
@handled
def alerts_send(db: Path | None = DbOpt, as_json: bool = JsonOpt) -> None:
    """Find alerts and email the digest once, as the worker's alerts job does. Run it from a timer (cron,
    systemd) beside the worker: an account nobody has polled for twice its interval is an alert even when no
    worker is running. Exit 1 when the mail server could not take the digest (the alerts wait for the next run);
    exit 2 for bad mail settings."""
    from moderation.alerting import mail_settings, run_alerts

    settings = mail_settings()  # bad settings: exit 2 before anything is recorded
    result = run_alerts(service(db), settings)
    if as_json:
        emit_json({**result.to_dict(), "error": result.error})
    elif result.mail == "sent":
        out.print(f"{result.new} new alert(s); digest of {result.emailed} sent to {', '.join(settings.recipients())}")
    elif result.mail == "off":
        out.print(f"{result.new} new alert(s); mail is off (MODQ_SMTP_HOST unset): {result.waiting} waiting")
    elif result.mail == "nothing":
        out.print(f"{result.new} new alert(s); nothing to mail")
    else:
        out.print(
            f"error: the digest was not sent ({escape(result.error or 'unknown error')}); "
            f"{result.waiting} alert(s) wait for the next run"
        )
    if result.mail == "failed":
        raise typer.Exit(1)
