"""Worker commands: ``modq run`` (the long-running worker), ``modq status`` and ``modq workers list|drain``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from moderation.cli.common import (
    LOG_LEVELS,
    DbOpt,
    JsonOpt,
    emit_json,
    err,
    handled,
    one_of,
    out,
    service,
)

workers_app = typer.Typer(help="The 'modq run' workers serving this database.", no_args_is_help=True)


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}" if value else "never"


@handled
def run(
    db: Path | None = DbOpt,
    log_level: str = typer.Option(
        "info", callback=one_of(LOG_LEVELS, "log level", "--log-level"), help="debug, info, warning or error."
    ),
    outbox_seconds: float = typer.Option(5.0, help="How often to apply pending platform actions."),
    reconcile_seconds: float = typer.Option(600.0, help="How often to re-read recently acted comments."),
    calibration_seconds: float = typer.Option(900.0, help="How often to check overturn rates."),
    threads: int = typer.Option(4, help="Jobs that may run at the same time (one instance of each)."),
    lease_seconds: float = typer.Option(
        15.0,
        envvar="MODQ_LEASE_SECONDS",
        min=1.0,
        max=600.0,
        help="PostgreSQL: how long an account lease lasts unless renewed; a dead worker's accounts are taken "
        "over within two of these.",
    ),
) -> None:
    """The worker: poll every account, triage, auto-hide clear violations, apply platform actions, reconcile,
    and snapshot statistics nightly. Stops cleanly on SIGTERM or Ctrl-C. Logs are JSON lines on stderr."""
    from moderation.worker import run as runtime
    from moderation.worker.lock import WorkerBusy
    from moderation.worker.scheduler import WorkerOptions

    runtime.prepare(log_level)
    svc = service(db)
    options = WorkerOptions(
        outbox_seconds=outbox_seconds,
        reconcile_seconds=reconcile_seconds,
        calibration_seconds=calibration_seconds,
        threads=threads,
        lease_seconds=lease_seconds,
    )
    try:
        runtime.serve(svc, options)
    except WorkerBusy as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(3) from None


@handled
def status(db: Path | None = DbOpt, as_json: bool = JsonOpt) -> None:
    """Per account: last successful poll, next run, outbox backlog, last error and the worker polling it; the
    workers (host, pid, started, last heartbeat, accounts held) and which one leads."""
    from moderation.worker.lock import shared_database
    from moderation.worker.scheduler import next_runs

    svc = service(db)
    rows = svc.account_status()
    shared = shared_database(svc.engine)
    # Workers sharing PostgreSQL keep their schedules in memory; the stored job table is a single worker's.
    runs = {} if shared else next_runs(svc.engine)
    workers = svc.workers()
    holder = {a: w.id for w in workers for a in w.accounts}
    leader = next((w.id for w in workers if w.leader), None)
    beat = svc.last_heartbeat()
    alerts = svc.open_alerts(limit=5)
    overrides = svc.overrides()
    paused = svc.automation_paused()
    webhooks = svc.last_webhooks()
    if as_json:
        emit_json(
            {
                "automation_paused": paused,
                "heartbeat": beat,
                "mode": "shared" if shared else "single",
                "workers": [w.to_dict() for w in workers],
                "leader": leader,
                "accounts": [
                    {
                        **r.to_dict(),
                        "worker": holder.get(r.id) if shared else _single_holder(workers, r.enabled),
                        "last_webhook": webhooks[r.id].isoformat() if r.id in webhooks else None,
                        "next_run": (
                            runs.get(f"poll:{r.id}").isoformat()  # type: ignore[union-attr]
                            if runs.get(f"poll:{r.id}")
                            else None
                        ),
                    }
                    for r in rows
                ],
                "jobs": {k: v.isoformat() for k, v in runs.items()},
                "overrides": [o.to_dict() for o in overrides],
                "alerts": alerts,
            }
        )
        return
    if shared:
        _print_workers(workers, leader)
    elif beat and beat.get("stopped"):
        at = datetime.fromisoformat(str(beat["stopped"]))
        out.print(f"worker: stopped (pid {beat.get('pid')} stopped cleanly at {at:%Y-%m-%d %H:%M:%S} UTC)")
    elif beat:
        at = datetime.fromisoformat(str(beat["at"]))
        age = (datetime.now(UTC) - at).total_seconds()
        state = "running" if age < 120 else "not seen for a while"
        out.print(f"worker: {state} (pid {beat.get('pid')}, last heartbeat {at:%Y-%m-%d %H:%M:%S} UTC)")
    else:
        out.print("worker: never started on this database ('modq run')")
    if not shared and workers:
        _print_workers(workers, leader, shared=False)
    out.print("automation: " + ("[red]PAUSED[/red]" if paused else "on"))
    table = Table(
        "id",
        "platform",
        "name",
        "enabled",
        "every",
        "last poll (UTC)",
        "next run (UTC)",
        "last webhook (UTC)",
        "backlog",
        "failed",
        "last error",
        "worker",
        box=None,
    )
    for r in rows:
        nxt = runs.get(f"poll:{r.id}")
        if shared and r.last_poll_at and r.enabled and r.id in holder:
            nxt = r.last_poll_at + timedelta(seconds=r.poll_seconds)
        who = holder.get(r.id) if shared else _single_holder(workers, r.enabled)
        table.add_row(
            str(r.id),
            r.platform,
            escape(r.name),
            "yes" if r.enabled else "no",
            f"{r.poll_seconds}s",
            _when(r.last_poll_at),
            _when(nxt) if r.enabled else "-",
            _when(webhooks.get(r.id)),
            str(r.backlog),
            str(r.failed),
            escape((r.last_error or "")[:60]),
            "-" if who is None else str(who),
        )
    out.print(table)
    for o in overrides:
        out.print(f"[yellow]rule {escape(o.rule_id)} demoted to {o.mode}[/yellow]: {escape(o.reason)}")
    for a in alerts:
        out.print(f"alert #{a['id']} {a['kind']}: {escape(str(a['message']))}")


def _single_holder(workers: list[Any], enabled: bool) -> int | None:
    """SQLite: the one running worker polls every enabled account."""
    running = [w.id for w in workers if w.state in ("running", "draining")]
    return running[0] if running and enabled else None


def _accounts_text(ids: list[int]) -> str:
    if not ids:
        return "-"
    shown = ",".join(str(i) for i in ids[:12])
    return f"{len(ids)}: {shown}" + (" …" if len(ids) > 12 else "")


def _print_workers(workers: list[Any], leader: int | None, shared: bool = True) -> None:
    running = [w for w in workers if w.state in ("running", "draining")]
    if shared:
        out.print(
            f"workers: {len(running)} running on this PostgreSQL database; leader: "
            + (f"worker {leader}" if leader is not None else "none (taken at the next heartbeat)")
        )
    else:
        out.print("single-worker mode (SQLite): one 'modq run' polls every account; PostgreSQL allows several")
    if not workers:
        out.print("no worker has started on this database ('modq run')")
        return
    table = Table("worker", "host", "pid", "started (UTC)", "last heartbeat (UTC)", "state", "accounts", box=None)
    for w in workers:
        table.add_row(
            str(w.id) + (" (leader)" if w.leader else ""),
            escape(w.host),
            str(w.pid),
            _when(w.started_at),
            _when(w.heartbeat_at),
            w.state,
            _accounts_text(w.accounts),
        )
    out.print(table)


@workers_app.command("list")
@handled
def workers_list(db: Path | None = DbOpt, as_json: bool = JsonOpt) -> None:
    """The workers: host, pid, started, last heartbeat, state and the accounts each holds; the leader."""
    svc = service(db)
    workers = svc.workers()
    if as_json:
        emit_json([w.to_dict() for w in workers])
        return
    from moderation.worker.lock import shared_database

    _print_workers(workers, next((w.id for w in workers if w.leader), None), shared_database(svc.engine))


@workers_app.command("drain")
@handled
def workers_drain(
    worker_id: int = typer.Argument(..., help="The worker's id (see 'modq status' or 'modq workers list')."),
    db: Path | None = DbOpt,
) -> None:
    """Ask a worker to give back its accounts and stop cleanly (at its next heartbeat); the others take them."""
    view = service(db).drain_worker(worker_id)
    out.print(
        f"worker {view.id} ({escape(view.host)}, pid {view.pid}) asked to drain: it gives back "
        f"{len(view.accounts)} account(s) and stops within a few seconds"
    )
