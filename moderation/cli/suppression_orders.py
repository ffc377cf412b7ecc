"""``modq orders add|list|revoke|import``: court suppression orders (legal and admin only), each applied at once
to every stored comment (the sweep)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from moderation.cli.common import AsOpt, DbOpt, JsonOpt, actor, emit_json, err, handled, out, service

orders_app = typer.Typer(help="Court suppression orders (legal and admin only).", no_args_is_help=True)


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
