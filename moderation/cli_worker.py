"""Worker commands: ``modq run`` (the long-running worker), ``modq status``, ``modq orders ...`` (suppression
orders, legal and admin only), ``modq limits ...`` (circuit breaker and calibration limits) and
``modq overrides ...`` (rules automation demoted). Registered by ``moderation.cli`` through ``register(app)``.
"""

from __future__ import annotations

import signal
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from moderation.cli import AsOpt, DbOpt, JsonOpt, actor, emit_json, err, handled, out, service
from moderation.cli_choices import LOG_LEVELS, one_of

orders_app = typer.Typer(help="Court suppression orders (legal and admin only).", no_args_is_help=True)
limits_app = typer.Typer(
    help="Limits of the circuit breaker, overturn calibration and reconciliation.", no_args_is_help=True
)
overrides_app = typer.Typer(
    help="Rules automation demoted (circuit breaker, overturn calibration).", no_args_is_help=True
)
workers_app = typer.Typer(help="The 'modq run' workers serving this database.", no_args_is_help=True)


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}" if value else "never"


# ---------------------------------------------------------------- run
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
    from moderation import worker_log
    from moderation.alerting import mail_settings
    from moderation.scheduler import WorkerBusy, WorkerOptions, run_worker

    mail_settings()  # a mail setting that is wrong stops the worker now, not at its first alert
    worker_log.configure(log_level)
    svc = service(db)
    stop = threading.Event()
    hits = {"n": 0}

    def on_signal(signum: int, _frame: Any) -> None:
        hits["n"] += 1
        if hits["n"] > 1:
            # A second Ctrl-C: leave now. Every step is transactional and the outbox is crash-safe.
            sys.stderr.write('{"event":"worker_killed_by_second_signal"}\n')
            raise SystemExit(130)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    options = WorkerOptions(
        outbox_seconds=outbox_seconds,
        reconcile_seconds=reconcile_seconds,
        calibration_seconds=calibration_seconds,
        threads=threads,
        lease_seconds=lease_seconds,
    )
    try:
        run_worker(svc, stop, options)
    except WorkerBusy as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(3) from None


def status(db: Path | None = DbOpt, as_json: bool = JsonOpt) -> None:
    """Per account: last successful poll, next run, outbox backlog, last error and the worker polling it; the
    workers (host, pid, started, last heartbeat, accounts held) and which one leads."""
    from moderation.scheduler import next_runs, shared_database

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
    from moderation.scheduler import shared_database

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


# ---------------------------------------------------------------- orders
def _progress() -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("sweeping stored comments"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not err.is_terminal,
    )


def _days(view: Any) -> str:
    last = f"to {view.last_day}" if view.last_day else "until revoked"
    return f"from {view.first_day} {last} ({view.timezone} days, inclusive)"


def _print_sweep(rep: Any) -> None:
    if rep is None:
        out.print("sweep: nothing to do (no active order changed)")
        return
    out.print(
        f"sweep: {rep.scanned} comments checked in {rep.seconds:.1f}s, {rep.matched} matched, "
        f"{rep.escalated} hidden and escalated to legal, {rep.already} already with legal"
    )


@orders_app.command("add")
@handled
def orders_add(
    case: str = typer.Option(..., help="The case, as the court names it."),
    court: str = typer.Option(..., help="The court that made the order."),
    term: list[str] = typer.Option(..., "--term", help="A protected name or alias (repeatable)."),
    from_: str = typer.Option(
        ..., "--from", help="First day the order applies (YYYY-MM-DD, a day in MODQ_TIMEZONE), inclusive."
    ),
    until: str | None = typer.Option(
        None, "--until", help="Last day it applies (YYYY-MM-DD, in MODQ_TIMEZONE), inclusive; omit: until revoked."
    ),
    sweep: bool = typer.Option(True, help="Check every stored comment now (default)."),
    note: str = typer.Option("", help="A note for the public record (must not contain a protected name)."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Register an order and apply it to every stored comment: matches are hidden and escalated to legal."""
    svc = service(db)
    starts, ends = svc.order_window(from_, until)
    with _progress() as progress:
        task = progress.add_task("sweep", total=None)

        def tick(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        view = svc.add_order(
            case,
            court,
            term,
            starts,
            ends,
            actor=actor(as_),
            sweep=False,
            note=note,
        )
        rep = svc.sweep(order_ids=[view.id], progress=tick) if sweep else None
    out.print(
        f"order {view.id}: {escape(view.case)} ({escape(view.court)}), {len(view.terms)} term(s), "
        f"{_days(view)}: {view.status}"
    )
    if sweep:
        _print_sweep(rep)


@orders_app.command("list")
@handled
def orders_list(as_: str | None = AsOpt, db: Path | None = DbOpt, as_json: bool = JsonOpt) -> None:
    """The register of orders, with their protected names (legal and admin only)."""
    rows = service(db).orders(actor(as_))
    if as_json:
        emit_json([r.to_dict() for r in rows])
        return
    table = Table("id", "case", "court", "terms", "first day", "last day", "status", box=None)
    for r in rows:
        table.add_row(
            str(r.id),
            escape(r.case),
            escape(r.court),
            escape("; ".join(r.terms)),
            f"{r.first_day}",
            f"{r.last_day}" if r.last_day else "until revoked",
            r.status,
        )
    out.print(table)
    if rows:
        out.print(f"days are {escape(rows[0].timezone)} days (MODQ_TIMEZONE), both inclusive")


@orders_app.command("revoke")
@handled
def orders_revoke(
    order_id: int = typer.Argument(..., help="The order's id (see 'modq orders list')."),
    reason: str = typer.Option("", help="Why (kept in the ledger)."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Stop an order matching new comments. What it hid stays hidden until legal decides."""
    view = service(db).revoke_order(order_id, actor(as_), reason)
    out.print(f"order {view.id} revoked")


@orders_app.command("import")
@handled
def orders_import(
    file: Path = typer.Argument(..., help="CSV with columns case,court,terms,from,until (terms separated by ';')."),
    sweep: bool = typer.Option(True, help="Check every stored comment against new or changed orders."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Import a register. Rows matching an order's case and court update it; identical rows change nothing."""
    if not file.exists():
        err.print(f"[red]error:[/red] no such file: {escape(str(file))}")
        raise typer.Exit(2)
    svc = service(db)
    with _progress() as progress:
        task = progress.add_task("sweep", total=None)
        rep = svc.import_orders(
            file, actor(as_), sweep=sweep, progress=lambda d, t: progress.update(task, completed=d, total=t)
        )
    out.print(f"{rep.added} added, {rep.changed} changed, {rep.unchanged} unchanged, {len(rep.errors)} rejected")
    for e in rep.errors:
        err.print(f"[yellow]skipped[/yellow] {escape(e)}")
    if sweep:
        _print_sweep(rep.sweep)
    if rep.errors:
        raise typer.Exit(2)


# ---------------------------------------------------------------- limits and overrides
@limits_app.command("show")
@handled
def limits_show(db: Path | None = DbOpt, as_json: bool = JsonOpt) -> None:
    """The current limits."""
    limits = service(db).limits()
    if as_json:
        emit_json(limits)
        return
    for k, v in limits.items():
        out.print(f"{k:28} {v:g}")


@limits_app.command("set")
@handled
def limits_set(key: str, value: float, as_: str | None = AsOpt, db: Path | None = DbOpt) -> None:
    """Change a limit (admins only), e.g. 'modq limits set breaker.share 0.4'."""
    service(db).set_limit(key, value, actor(as_))
    out.print(f"{key} = {value:g}")


@overrides_app.command("list")
@handled
def overrides_list(db: Path | None = DbOpt, as_json: bool = JsonOpt) -> None:
    """Rules running in shadow or queue-only because automation demoted them, and why."""
    rows = service(db).overrides()
    if as_json:
        emit_json([r.to_dict() for r in rows])
        return
    if not rows:
        out.print("no rule is demoted")
    for r in rows:
        out.print(f"{escape(r.rule_id)}: {r.mode} since {r.created_at:%Y-%m-%d %H:%M} UTC — {escape(r.reason)}")


@overrides_app.command("clear")
@handled
def overrides_clear(
    rule: str,
    reason: str = typer.Option("", help="Why (kept in the ledger)."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Give a demoted rule back its own mode (admins only)."""
    service(db).clear_override(rule, actor(as_), reason)
    out.print(f"rule {rule} restored")


def register(app: typer.Typer) -> None:
    app.command("run")(handled(run))
    app.command("status")(handled(status))
    app.add_typer(orders_app, name="orders")
    app.add_typer(limits_app, name="limits")
    app.add_typer(overrides_app, name="overrides")
    app.add_typer(workers_app, name="workers")
