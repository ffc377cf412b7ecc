"""``modq notes add|list|redact``: private notes on authors, for staff who moderate.

Notes never appear in reports or public exports.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from moderation.cli.common import PLATFORMS, AsOpt, DbOpt, JsonOpt, actor, emit_json, handled, one_of, out, service

notes_app = typer.Typer(help="Private notes on authors (never in reports or public exports).", no_args_is_help=True)

PlatformArg = typer.Argument(..., callback=one_of(PLATFORMS, "platform", "PLATFORM"), help="facebook, instagram or x.")
AuthorArg = typer.Argument(..., help="The author's id on the platform ('modq show ID --json': item.author_id).")


def note_line(n: object) -> str:
    text = n.text if n.text is not None else f"[redacted by event {n.redacted_by}]"  # type: ignore[attr-defined]
    return (
        f"note {n.id} by {escape(n.created_by)} at {n.created_at:%Y-%m-%d %H:%M} UTC: "  # type: ignore[attr-defined]
        f"{escape(text)}"
    )


@notes_app.command("add")
@handled
def notes_add(
    platform: str = PlatformArg,
    author_id: str = AuthorArg,
    text: str = typer.Argument(..., help="The note (kept sealed in the ledger; redactable)."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Write a private note on an author (staff who moderate; not the committee)."""
    svc = service(db)
    n = svc.add_author_note(platform, author_id, text, actor(as_))
    if as_json:
        emit_json(n.to_dict())
        return
    out.print(note_line(n))


@notes_app.command("list")
@handled
def notes_list(
    platform: str = PlatformArg,
    author_id: str = AuthorArg,
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Notes on one author, oldest first, with who wrote them and when."""
    svc = service(db)
    notes = svc.author_notes(platform, author_id, actor(as_))
    if as_json:
        emit_json([n.to_dict() for n in notes])
        return
    for n in notes:
        out.print(note_line(n))
    if not notes:
        out.print("no notes on this author")


@notes_app.command("redact")
@handled
def notes_redact(
    note_id: int = typer.Argument(..., help="The note's id."),
    reason: str = typer.Option(..., "--reason", help="Why (kept in the ledger with who and when)."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Remove a note's text for good (legal and admins); the ledger still verifies."""
    if not reason.strip():
        raise typer.BadParameter("--reason must say why: it is kept in the ledger")
    done = service(db).redact_author_note(note_id, reason, actor(as_))
    out.print(f"note {note_id} redacted; recorded as event {done}")
