"""``modq ingest|triage|queue|show|decide|undo``: comments in, through the policy, and decided by people."""

from __future__ import annotations

import getpass
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from moderation.cli.common import (
    PLATFORMS,
    STATES,
    AsOpt,
    DbOpt,
    JsonOpt,
    actor,
    check_clauses,
    emit_json,
    err,
    handled,
    one_of,
    out,
    printable,
    service,
    states_option,
)


@contextmanager
def ingest_progress(file: Path | None) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal (lines read, through the file's size); nothing when not on a terminal."""
    if not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    total = file.stat().st_size if file is not None else None
    with Progress(
        TextColumn("ingest"), BarColumn(), TextColumn("{task.fields[lines]:,} lines"), TimeRemainingColumn(),
        console=err, transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("ingest", total=total, lines=0)

        def told(lines: int, chars: int) -> None:
            bar.update(task, completed=chars, lines=lines)

        yield told


@handled
def ingest(
    file: Path = typer.Argument(..., help="A JSON Lines file in the interchange format ('-' for standard input)."),
    triage: bool = typer.Option(True, help="Run the policy over the new comments afterwards."),
    db: Path | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Store comments from a JSON Lines file. Safe to repeat; bad lines are reported and skipped."""
    if str(file) != "-":
        if not file.exists():
            err.print(f"[red]error:[/red] no such file: {escape(str(file))}")
            raise typer.Exit(2)
        if not file.is_file():
            err.print(f"[red]error:[/red] {escape(str(file))} is not a file; give one JSON Lines file, or '-'")
            raise typer.Exit(2)
    svc = service(db, create=True)
    with ingest_progress(None if str(file) == "-" else file) as progress:
        if str(file) == "-":
            report = svc.ingest_stream(sys.stdin, triage=triage, progress=progress)
        else:
            report = svc.ingest_file(file, triage=triage, progress=progress)
    # Each batch's new comments were triaged with it; this catches any left from before.
    tri = svc.triage_pending() if triage else None
    if tri is not None:
        from moderation.services.views import TriageReport

        states = Counter(report.triaged)
        states.update(tri.by_state)
        tri = TriageReport(triaged=sum(states.values()), by_state=dict(states))
    if as_json:
        emit_json({**report.to_dict(), "triage": tri.to_dict() if tri else None})
    else:
        out.print(
            f"{report.lines} lines: {report.added} new, {report.updated} edited, {report.unchanged} unchanged, "
            f"{len(report.errors)} rejected"
        )
        if tri:
            out.print(f"triaged {tri.triaged}: " + ", ".join(f"{k} {v}" for k, v in sorted(tri.by_state.items())))
    for e in report.errors:
        err.print(f"[yellow]skipped[/yellow] {escape(e)}")
    if report.errors:
        raise typer.Exit(2)


@handled
def triage(
    db: Path | None = DbOpt,
    backfill: bool = typer.Option(
        False, "--force-backfill", help="Let automation act on comments older than their account's activation."
    ),
) -> None:
    """Run the policy over every comment not yet triaged."""
    rep = service(db).triage_pending(force_backfill=backfill)
    out.print(f"triaged {rep.triaged}: " + ", ".join(f"{k} {v}" for k, v in sorted(rep.by_state.items())))


@handled
def queue(
    state: list[str] = typer.Option(
        None, "--state", callback=states_option, help=f"Only these states (repeatable): {', '.join(STATES)}, or all."
    ),
    clause: str | None = typer.Option(None, help="Only comments citing this clause of the policy (e.g. 3.1)."),
    platform: str | None = typer.Option(
        None, callback=one_of(PLATFORMS, "platform", "--platform"), help="facebook, instagram or x."
    ),
    limit: int = typer.Option(50, help="At most this many rows."),
    db: Path | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """The queue: most urgent first, then oldest."""
    svc = service(db)
    check_clauses(clause, svc.policy.clauses)
    items = svc.queue(state or None, clause=clause, platform=platform, limit=limit)
    if as_json:
        emit_json({"counts": svc.counts(), "items": [i.to_dict() for i in items]})
        return
    table = Table("id", "state", "pri", "sev", "clause", "platform", "age", "preview", box=None)
    now = datetime.now(UTC)
    for i in items:
        age = now - i.created_at
        table.add_row(
            str(i.id),
            i.state,
            str(i.priority),
            i.severity or "",
            ",".join(i.clauses),
            i.platform,
            _age(age),
            escape(printable(i.preview)[:70]),
        )
    out.print(table)
    counts = svc.counts()
    out.print("  ".join(f"{k}: {v}" for k, v in sorted(counts.items())))


def _age(delta: timedelta) -> str:
    s = int(delta.total_seconds())
    if s < 3600:
        return f"{s // 60}m"
    if s < 86400:
        return f"{s // 3600}h"
    return f"{s // 86400}d"


@handled
def show(
    ref: str = typer.Argument(..., help="modq id or platform comment id."),
    db: Path | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """One comment: text, findings, decisions, escalations, platform state and its ledger events."""
    svc = service(db)
    d = svc.detail(svc.find_comment(ref))
    arrival = svc.arrival_of(d.item.id)
    notes = svc.notes_for_comment(d.item.id, getpass.getuser())  # private: only for staff who moderate
    if as_json:
        emit_json({**d.to_dict(), "arrived_by": arrival, "author_notes": [n.to_dict() for n in notes]})
        return
    i = d.item
    out.print(f"[bold]#{i.id}[/bold] {i.platform} {escape(i.account_name)} — {i.state} (priority {i.priority})")
    out.print(
        f"by {escape(printable(i.author_name))} @{escape(printable(i.author_handle))} "
        f"at {i.created_at:%Y-%m-%d %H:%M} UTC"
    )
    out.print(f"on: {escape(printable(d.post_text[:100]))}   (arrived by {arrival})")
    out.print(escape(printable(d.text)))
    for f in d.findings + d.shadow_findings:
        out.print(
            f"  [{f.mode}] {f.rule_id} clause {f.clause} {f.severity} → {f.action}: "
            f"{escape(printable(f.match))!s} [{f.start}:{f.end}] {escape(f.explanation)}"
        )
    for dec in d.decisions:
        out.print(
            f"  {dec.created_at:%Y-%m-%d %H:%M} {escape(dec.actor)} {dec.action} {dec.from_state}→{dec.to_state}"
            f"{' (undone)' if dec.undone else ''} {escape(dec.note)}"
        )
    for e in d.escalations:
        out.print(f"  escalation #{e.id} to {e.route}: {e.status}, due {e.due_at:%Y-%m-%d %H:%M} UTC")
    if notes:
        from moderation.cli.notes import note_line

        out.print("notes on this author (private):")
        for n in notes:
            out.print("  " + note_line(n))
    hidden = {True: "hidden", False: "visible", None: "unknown"}[d.platform_hidden]
    out.print(
        f"  platform: {hidden}{' (deleted)' if d.platform_deleted else ''}; intended: "
        f"{'hidden' if d.intended_hidden else 'visible'}"
    )


@handled
def decide(
    ref: str = typer.Argument(..., help="modq id or platform comment id."),
    action: str = typer.Argument(..., help="approve, hide or escalate."),
    clause: str | None = typer.Option(None, help="Policy clause(s) cited, e.g. 3.1 (comma-separated)."),
    route: str | None = typer.Option(None, help="For escalate: media, privacy or legal."),
    note: str = typer.Option("", help="A note kept with the decision."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Approve, hide or escalate a comment (on an escalated one, approve/hide resolve it)."""
    svc = service(db)
    comment_id = svc.find_comment(ref)
    # What this command saw: if someone else decides between here and the write, this one is refused (exit 5).
    seen = svc.version_of(comment_id)
    dec = svc.decide(comment_id, action, actor(as_), clause=clause, route=route, note=note, expected_version=seen)
    if as_json:
        emit_json({"decision": dec.id, "action": dec.action, "from": dec.from_state, "to": dec.to_state})
    else:
        out.print(f"decision {dec.id}: {dec.from_state} → {dec.to_state}")


@handled
def undo(
    ref: str = typer.Argument(..., help="modq id or platform comment id."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Undo the last decision a person made on a comment."""
    svc = service(db)
    dec = svc.undo(svc.find_comment(ref), actor(as_))
    out.print(f"decision {dec.id}: {dec.from_state} → {dec.to_state}")
