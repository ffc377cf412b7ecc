"""``modq ledger verify|export|redact``: the public record of every state change."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from moderation.cli.common import AsOpt, DbOpt, actor, err, handled, out, parse_day, service

ledger_app = typer.Typer(help="The public record of every state change.", no_args_is_help=True)


@ledger_app.command("verify")
@handled
def ledger_verify(db: Path | None = DbOpt) -> None:
    """Check the hash chain and every kept value against its seal; list what was lawfully redacted; exit 1
    naming the first bad event."""
    res = service(db).ledger_verify()
    if not res.ok:
        err.print(f"[red]ledger broken at event {res.bad_seq}[/red]: {escape(res.problem)}")
        raise typer.Exit(1)
    out.print(f"ledger ok: {res.count} events, {len(res.redacted)} fields redacted, {res.withheld} withheld")
    for r in res.redacted:
        out.print(f"  event {r.seq}: '{escape(r.field)}' redacted by event {r.by} at {r.at}")


@ledger_app.command("export")
@handled
def ledger_export(
    form: str = typer.Option(
        ...,
        "--form",
        help="public (for a records request: pseudonyms for people, nothing sealed, withheld or redacted) or "
        "internal (everything kept, for legal; legal and admins only).",
    ),
    from_: str = typer.Option(..., "--from", help="First day (YYYY-MM-DD), inclusive."),
    to: str = typer.Option(..., "--to", help="Last day (YYYY-MM-DD), inclusive."),
    format: str = typer.Option("jsonl", "--format", help="jsonl or csv."),
    output: Path | None = typer.Option(None, "--out", help="Write here instead of standard output."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Export ledger events for a records request, in the public or the internal form (no default)."""
    import csv

    if form not in ("public", "internal"):
        raise typer.BadParameter("--form must be public or internal")
    if format not in ("jsonl", "csv"):
        raise typer.BadParameter("--format must be jsonl or csv")
    start, end = parse_day(from_), parse_day(to, end=True)
    if start > end:
        err.print(f"[red]error:[/red] --from {escape(from_)} is after --to {escape(to)}; give the earlier day first")
        raise typer.Exit(2)
    rows = service(db).ledger_export(form, start, end, actor(as_))
    first = next(rows, None)  # role and form are checked before anything is written
    stream = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        writer = csv.writer(stream) if format == "csv" else None
        if writer:
            writer.writerow(["seq", "at", "kind", "actor", "comment_id", "payload", "redacted", "hash"])
        n = 0
        for row in [first] if first is not None else []:
            n += _write_event(stream, writer, row)
        for row in rows:
            n += _write_event(stream, writer, row)
    finally:
        if output:
            stream.close()
    if output:
        err.print(f"{n} events written to {output} ({form} form)")


def _write_event(stream: Any, writer: Any, row: dict[str, Any]) -> int:
    if writer is None:
        stream.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        return 1
    writer.writerow(
        [
            row["seq"],
            row["at"],
            row["kind"],
            row["actor"],
            row["comment_id"] if row["comment_id"] is not None else "",
            json.dumps(row["payload"], ensure_ascii=False, sort_keys=True),
            json.dumps(row["redacted"], ensure_ascii=False, sort_keys=True),
            row["hash"],
        ]
    )
    return 1


@ledger_app.command("redact")
@handled
def ledger_redact(
    seq: int = typer.Argument(..., help="The ledger event's number."),
    field: str = typer.Option(..., "--field", help="The sealed field to remove, e.g. note, case, author_name, actor."),
    reason: str = typer.Option(..., "--reason", help="Why (kept in the ledger with who and when)."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Remove one sensitive value from a ledger event (legal and admins only); the chain still verifies."""
    if not reason.strip():
        raise typer.BadParameter("--reason must say why: it is kept in the ledger")
    done = service(db).redact_ledger(seq, field, reason, actor(as_))
    out.print(f"'{escape(field)}' of event {seq} redacted; recorded as event {done}")
