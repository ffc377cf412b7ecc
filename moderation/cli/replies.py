"""``modq spokespeople add|remove|list``, ``modq reply`` and ``modq replies list|templates``.

Each command builds the service, makes one call and prints.
``modq reply`` shows what would be published and asks before it queues anything (``--yes`` to skip the question,
``--preview`` to only look). Declining sends nothing and exits 1.
"""

from __future__ import annotations

from pathlib import Path

import click
import typer
from rich.markup import escape
from rich.table import Table

from moderation.cli.common import AsOpt, DbOpt, JsonOpt, actor, emit_json, err, handled, out, service

spokespeople_app = typer.Typer(
    help="People authorised to reply to authors on the department's accounts.", no_args_is_help=True
)
replies_app = typer.Typer(help="Templated replies to authors, and the templates.", no_args_is_help=True)


# ---------------------------------------------------------------- spokespeople
@spokespeople_app.command("add")
@handled
def spokespeople_add(
    name: str = typer.Argument(..., help="The person (already added with 'modq moderators add')."),
    reason: str = typer.Option("", "--reason", help="Why (kept in the ledger)."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Authorise a person to reply on the department's accounts (admins only; recorded in the ledger)."""
    m = service(db).set_spokesperson(name, True, actor(as_), reason)
    out.print(f"{escape(m.name)} ({m.role}) may now reply to authors with the reply templates")


@spokespeople_app.command("remove")
@handled
def spokespeople_remove(
    name: str = typer.Argument(..., help="The person."),
    reason: str = typer.Option("", "--reason", help="Why (kept in the ledger)."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Withdraw a person's authority to reply (admins only; recorded in the ledger). Replies already queued go."""
    m = service(db).set_spokesperson(name, False, actor(as_), reason)
    out.print(f"{escape(m.name)} may no longer reply to authors")


@spokespeople_app.command("list")
@handled
def spokespeople_list(db: Path | None = DbOpt, as_json: bool = JsonOpt) -> None:
    """Everyone authorised to reply, with their role."""
    people = service(db).spokespeople()
    if as_json:
        emit_json([m.to_dict() for m in people])
        return
    for m in people:
        out.print(f"{escape(m.name):20} {m.role}{'' if m.active else ' (inactive: cannot reply)'}")
    if not people:
        out.print("nobody is authorised to reply; an admin can add someone with 'modq spokespeople add NAME'")


# ---------------------------------------------------------------- reply
@handled
def reply(
    ref: str = typer.Argument(..., help="The comment to reply under: modq id or platform comment id."),
    template: str = typer.Argument(..., help="The reply template (see 'modq replies templates')."),
    preview: bool = typer.Option(False, "--preview", help="Only show what would be published; send nothing."),
    yes: bool = typer.Option(False, "--yes", help="Send without asking (the preview is still printed)."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Reply to the author of a hidden or queued comment with a template citing the policy (authorised
    spokespeople only). Shows exactly what will be published and asks first; the worker or 'modq apply' sends it."""
    svc = service(db)
    comment_id = svc.find_comment(ref)
    who = actor(as_)
    seen = svc.preview_reply(comment_id, template, who)
    if as_json and preview:
        emit_json(seen.to_dict())
        return
    shown = err if as_json else out
    shown.print(
        f"reply under comment {seen.comment_id} ({seen.state}) on {seen.platform} {escape(seen.account_name)}, "
        f"template '{escape(seen.template)}', clause {seen.clause} ({escape(seen.clause_title)}), "
        f"{len(seen.text)} characters:"
    )
    shown.print("  " + escape(seen.text), markup=True)
    if preview:
        return
    if not yes:
        try:
            agreed = typer.confirm("Publish this reply on the department's account?", default=False, err=True)
        except click.exceptions.Abort:  # no answer (end of input)
            agreed = False
        if not agreed:
            err.print("not sent")
            raise typer.Exit(1)
    sent = svc.send_reply(comment_id, template, who, expected_sha256=seen.text_sha256, expected_version=seen.version)
    if as_json:
        emit_json(sent.to_dict())
        return
    out.print(f"reply {sent.id} queued; the worker (or 'modq apply') publishes it once")


# ---------------------------------------------------------------- replies
@replies_app.command("list")
@handled
def replies_list(
    ref: str | None = typer.Option(None, "--comment", help="Only replies under this comment."),
    db: Path | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Replies sent or being sent, newest first, with who sent them and whether the platform has them."""
    svc = service(db)
    rows = svc.replies(svc.find_comment(ref) if ref is not None else None)
    if as_json:
        emit_json([r.to_dict() for r in rows])
        return
    table = Table("id", "comment", "template", "clause", "by", "at (UTC)", "status", "platform id", box=None)
    for r in rows:
        table.add_row(
            str(r.id),
            str(r.comment_id),
            escape(r.template),
            r.clause,
            escape(r.created_by),
            f"{r.created_at:%Y-%m-%d %H:%M}",
            r.status + (f": {escape(r.last_error)}" if r.last_error and r.status != "confirmed" else ""),
            escape(r.platform_id or ""),
        )
    out.print(table)


@replies_app.command("templates")
@handled
def replies_templates(db: Path | None = DbOpt, as_json: bool = JsonOpt) -> None:
    """The usable reply templates in policies/replies/ ('modq policy check' names any with a problem)."""
    templates = service(db).reply_templates()
    if as_json:
        emit_json(
            [
                {"name": t.name, "clause": t.clause, "for": list(t.states), "title": t.title, "text": t.body}
                for t in templates
            ]
        )
        return
    for t in templates:
        out.print(f"[bold]{escape(t.name)}[/bold]  clause {t.clause}, for {' or '.join(t.states)}  {escape(t.title)}")
        out.print("  " + escape(t.body))
