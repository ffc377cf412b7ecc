"""``modq complaints add|list|review``: complaints about moderation decisions and their independent review.

Each command builds the service, makes one call and prints.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from moderation.cli.common import AsOpt, DbOpt, JsonOpt, actor, emit_json, handled, one_of, out, service
from moderation.domain.complaints import CHANNELS, STATES

complaints_app = typer.Typer(
    help="Complaints about moderation decisions, reviewed by someone else within five business days.",
    no_args_is_help=True,
)


def _clock(due: datetime, state: str, now: datetime) -> str:
    if state != "open":
        return ""
    left = due - now
    hours = int(left.total_seconds() // 3600)
    if hours < 0:
        return f"OVERDUE {-hours // 24}d {-hours % 24}h"
    return f"{hours // 24}d {hours % 24}h left"


@complaints_app.command("add")
@handled
def complaints_add(
    ref: str = typer.Argument(..., help="The comment complained about: modq id or platform comment id."),
    channel: str = typer.Option(
        ..., "--channel", callback=one_of(CHANNELS, "channel", "--channel"), help="email, message, phone or other."
    ),
    received: str = typer.Option(..., "--received", help="The day it was received (YYYY-MM-DD, MODQ_TIMEZONE)."),
    note: str = typer.Option("", "--note", help="What the complaint says (kept in the ledger; no contact details)."),
    contact: str = typer.Option(
        "", "--contact", help="How to reply to the complainant: sealed, never in a public export, redactable."
    ),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Record a complaint about the decision that settled a comment; due five business days after receipt."""
    svc = service(db)
    c = svc.add_complaint(svc.find_comment(ref), channel, received, actor(as_), note=note, contact=contact)
    if as_json:
        emit_json(c.to_dict())
        return
    out.print(
        f"complaint {c.id} about comment {c.comment_id} (disputes decision {c.decision_id}: "
        f"{c.disputed_action.replace('_', ' ')} by {escape(c.disputed_by)}); due {c.due_on}"
    )


@complaints_app.command("list")
@handled
def complaints_list(
    state: str | None = typer.Option(
        None, "--state", callback=one_of(STATES, "complaint state", "--state"), help="open, upheld or dismissed."
    ),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Complaints, open ones first, soonest due first, with the time left (contact details for staff who review)."""
    svc = service(db)
    rows = svc.complaints(state, actor=actor(as_))
    if as_json:
        emit_json([c.to_dict() for c in rows])
        return
    now = datetime.now(UTC)
    table = Table("id", "comment", "disputes", "by", "received", "due", "state", "clock", box=None)
    for c in rows:
        table.add_row(
            str(c.id),
            str(c.comment_id),
            c.disputed_action.replace("_", " "),
            escape(c.disputed_by),
            c.received_on,
            c.due_on,
            c.state + ("" if c.on_time is None else (" on time" if c.on_time else " late")),
            _clock(c.due_at, c.state, now),
        )
    out.print(table)


@complaints_app.command("review")
@handled
def complaints_review(
    complaint_id: int = typer.Argument(..., help="The complaint's id."),
    outcome: str = typer.Argument(
        ..., callback=one_of(("uphold", "dismiss"), "outcome", "OUTCOME"), help="uphold or dismiss."
    ),
    note: str = typer.Option(..., "--note", help="The reasons (kept in the ledger, told to the complainant)."),
    clause: str | None = typer.Option(None, "--clause", help="The policy clause relied on (default: the decision's)."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Uphold (reverse the decision: a hidden comment is restored and shown) or dismiss a complaint. Whoever made or
    confirmed a decision on the comment cannot review it (exit 3)."""
    svc = service(db)
    c = svc.review_complaint(complaint_id, outcome, actor(as_), note=note, clause=clause)
    if as_json:
        emit_json(c.to_dict())
        return
    timing = "on time" if c.on_time else f"late (due {c.due_on})"
    out.print(f"complaint {c.id} {c.state} by {escape(c.reviewer or '')}, {timing}; clause {c.clause or 'none'}")
