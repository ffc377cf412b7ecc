"""``modq records due|dispose|hold|release|holds``: records retention and legal holds (legal and admins).

Nothing is disposed of without ``--confirm``.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from moderation.cli.common import AsOpt, DbOpt, JsonOpt, actor, emit_json, handled, one_of, out, service
from moderation.domain.retention import HOLD_SCOPES

records_app = typer.Typer(help="Records retention and legal holds (legal and admins).", no_args_is_help=True)


def _table(rows: list) -> Table:  # type: ignore[type-arg]
    table = Table("class", "id", "last activity", "due since", box=None)
    for r in rows:
        table.add_row(r.record_class, str(r.record_id), f"{r.last_activity:%Y-%m-%d}", f"{r.due_since:%Y-%m-%d}")
    return table


@records_app.command("due")
@handled
def records_due(as_: str | None = AsOpt, db: Path | None = DbOpt, as_json: bool = JsonOpt) -> None:
    """Records whose retention period has run and that no legal hold covers."""
    listed = service(db).records_due(actor(as_))
    if as_json:
        emit_json({"due": [r.to_dict() for r in listed.due], "held": listed.held})
        return
    out.print(_table(listed.due))
    out.print(f"{len(listed.due)} due; {listed.held} past their period but kept by a legal hold")


@records_app.command("dispose")
@handled
def records_dispose(
    dry_run: bool = typer.Option(False, "--dry-run", help="Only list what would be disposed of."),
    confirm: bool = typer.Option(False, "--confirm", help="Dispose of every record due (tombstones; recorded)."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Replace the content of every record due with a tombstone (ids, decisions and the ledger stay and verify).
    Give exactly one of --dry-run or --confirm."""
    if dry_run == confirm:
        raise typer.BadParameter("give exactly one of --dry-run or --confirm", param_hint="'--dry-run/--confirm'")
    done = service(db).dispose_records(actor(as_), confirm=confirm)
    if as_json:
        emit_json({"disposed" if confirm else "would_dispose": [r.to_dict() for r in done]})
        return
    out.print(_table(done))
    out.print(f"{len(done)} records {'disposed of' if confirm else 'would be disposed of (dry run)'}")


@records_app.command("hold")
@handled
def records_hold(
    scope: str = typer.Argument(
        ..., callback=one_of(HOLD_SCOPES, "hold scope", "SCOPE"), help="comment, author or case."
    ),
    ref: str = typer.Argument(
        ..., help="A comment id, PLATFORM:AUTHOR_ID, or a suppression order's id (the case: every comment naming it)."
    ),
    reason: str = typer.Option(..., "--reason", help="The matter the hold is for (kept in the ledger)."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Place a legal hold: nothing it covers is disposed of until it is released."""
    h = service(db).add_hold(scope, ref, reason, actor(as_))
    out.print(f"legal hold {h.id} on {h.scope} {escape(h.ref)}")


@records_app.command("release")
@handled
def records_release(
    hold_id: int = typer.Argument(..., help="The hold's id."),
    reason: str = typer.Option(..., "--reason", help="Why it is released (kept in the ledger)."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Release a legal hold."""
    h = service(db).release_hold(hold_id, reason, actor(as_))
    out.print(f"legal hold {h.id} released")


@records_app.command("holds")
@handled
def records_holds(
    all_: bool = typer.Option(False, "--all", help="Include released holds."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Legal holds in force (--all: released ones too)."""
    rows = service(db).holds(actor(as_), include_released=all_)
    if as_json:
        emit_json([h.to_dict() for h in rows])
        return
    for h in rows:
        state = f"released {h.released_at:%Y-%m-%d}" if h.released_at else "in force"
        out.print(f"{h.id}: {h.scope} {escape(h.ref)} — {escape(h.reason)} ({escape(h.created_by)}, {state})")
