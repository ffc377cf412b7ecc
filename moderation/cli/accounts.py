"""``modq accounts add|list|test|remove``, ``modq poll``, ``modq apply`` and ``modq automation pause|resume``:
the official accounts modq watches, polling them and acting on the platforms."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from moderation.cli.common import PLATFORMS, AsOpt, DbOpt, JsonOpt, actor, emit_json, err, handled, one_of, out, service

accounts_app = typer.Typer(help="The official accounts modq watches.", no_args_is_help=True)
automation_app = typer.Typer(help="The global switch for automatic hiding.", no_args_is_help=True)


@accounts_app.command("add")
@handled
def accounts_add(
    platform: str = typer.Option(
        ..., callback=one_of(PLATFORMS, "platform", "--platform"), help="facebook, instagram or x."
    ),
    id: str = typer.Option(..., "--id", help="The account's id on the platform."),
    name: str = typer.Option(..., help="A display name."),
    token_env: str | None = typer.Option(None, help="Environment variable holding the access token."),
    api_base: str | None = typer.Option(None, help="Override the platform's API host (a proxy or a test server)."),
    poll_seconds: int = typer.Option(300, min=10, help="How often to poll, in seconds (at least 10)."),
    setting: list[str] = typer.Option(None, "--setting", help="Connector setting KEY=VALUE (repeatable)."),
    backlog: str | None = typer.Option(
        None,
        "--backlog",
        callback=one_of(("shadow", "act"), "backlog choice", "--backlog"),
        help="For an account modq already holds comments for: 'shadow' (default) records the platform actions held "
        "while it was not set up without sending them (hides for suppression orders are still sent); 'act' sends "
        "them. Asked when a terminal is attached.",
    ),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Watch an official account. Automation acts only on comments that arrive from now on."""
    settings: dict[str, str] = {}
    for item in setting or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"--setting {item!r} must be KEY=VALUE")
        settings[key] = value
    svc = service(db)
    comments, held = svc.account_history(platform, id)
    if backlog is None:
        backlog = "shadow"
        if held and sys.stdin.isatty():
            question = (
                f"modq holds {comments} comments of this account and {held} platform actions decided while it was "
                "not set up. Send those actions now? (no: record them as not sent)"
            )
            backlog = "act" if typer.confirm(question, default=False) else "shadow"
    a = svc.add_account(
        platform,
        id,
        name,
        actor(as_),
        token_env=token_env,
        api_base=api_base,
        poll_seconds=poll_seconds,
        settings=settings,
        backlog=backlog,
    )
    out.print(f"account {a.id}: {a.platform} {escape(a.name)} ({a.external_id}), polled every {a.poll_seconds}s")
    if held:
        what = (
            "sent by the worker" if backlog == "act" else "recorded as not sent, except hides suppression orders need"
        )
        out.print(f"{held} platform actions held while it was not set up: {what} (--backlog {backlog})")


@accounts_app.command("list")
@handled
def accounts_list(db: Path | None = DbOpt, as_json: bool = JsonOpt) -> None:
    """The accounts modq knows, with their last poll and last error."""
    rows = service(db).accounts()
    if as_json:
        emit_json([a.to_dict() for a in rows])
        return
    table = Table("id", "platform", "external id", "name", "enabled", "last poll", "last error", box=None)
    for a in rows:
        table.add_row(
            str(a.id),
            a.platform,
            a.external_id,
            escape(a.name),
            "yes" if a.enabled else "no",
            f"{a.last_poll_at:%Y-%m-%d %H:%M}" if a.last_poll_at else "never",
            escape(a.last_error or ""),
        )
    out.print(table)


@accounts_app.command("test")
@handled
def accounts_test(
    ref: str = typer.Argument(..., help="Account id, external id or name."), db: Path | None = DbOpt
) -> None:
    """Check the token and the permissions needed to read and to hide; say exactly what is missing."""
    report = service(db).check_access(ref)
    out.print(f"read: {'ok' if report.can_read else 'NO'}   hide: {'ok' if report.can_hide else 'NO'}")
    for missing in report.missing:
        out.print(f"  missing: {escape(missing)}")
    if report.detail:
        out.print(escape(report.detail))
    if not report.ok:
        raise typer.Exit(1)


@accounts_app.command("remove")
@handled
def accounts_remove(ref: str, as_: str | None = AsOpt, db: Path | None = DbOpt) -> None:
    """Stop watching an account. Its comments and records are kept."""
    a = service(db).remove_account(ref, actor(as_))
    out.print(f"account {a.id} ({escape(a.name)}) will no longer be polled; its records are kept")


@handled
def poll(
    ref: str | None = typer.Argument(None, help="One account (default: every enabled account)."),
    db: Path | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """One polling pass: fetch new comments, store them, triage them."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    svc = service(db)
    targets = [a for a in svc.accounts() if a.enabled] if ref is None else [svc.account(ref)]
    reports = []
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
        disable=as_json or not err.is_terminal,
    ) as progress:
        for a in targets:
            task = progress.add_task(f"{a.name}: polling")

            def tick(pages: int, seen: int, note: str, task: Any = task, name: str = a.name) -> None:
                progress.update(task, description=f"{name}: {pages} pages, {seen} comments {note}")

            reports.append(svc.poll_account(a.id, progress=tick))
    if as_json:
        emit_json([r.to_dict() for r in reports])
    else:
        for r in reports:
            status = f"error: {r.error}" if r.error else "ok"
            out.print(
                f"{escape(r.account)}: {r.seen} seen, {r.added} new, {r.updated} edited, {r.triaged} triaged — "
                f"{escape(status)}"
            )
    if any(r.error for r in reports):
        raise typer.Exit(1)


@handled
def apply(limit: int = typer.Option(500, help="At most this many actions."), db: Path | None = DbOpt) -> None:
    """Send pending hides and unhides to the platforms (the worker does this on its own)."""
    rep = service(db).apply_outbox(limit=limit)
    out.print(f"{rep.confirmed} confirmed, {rep.retried} to retry, {rep.failed} failed")
    if rep.held:
        out.print(
            f"{rep.held} held for accounts that are not set up (see 'modq accounts list'; 'modq accounts add' "
            "decides whether to act on them)"
        )
    for e in rep.errors:
        err.print(escape(e))


@automation_app.command("pause")
@handled
def automation_pause(
    reason: str = typer.Option("", help="Why (kept in the ledger)."), as_: str | None = AsOpt, db: Path | None = DbOpt
) -> None:
    """Stop all automatic hiding; verdicts wait for people instead."""
    service(db).set_automation(True, actor(as_), reason)
    out.print("automation paused: nothing will be hidden without a person")


@automation_app.command("resume")
@handled
def automation_resume(
    reason: str = typer.Option("", help="Why (kept in the ledger)."), as_: str | None = AsOpt, db: Path | None = DbOpt
) -> None:
    """Let enforce-mode auto-hide rules act again."""
    service(db).set_automation(False, actor(as_), reason)
    out.print("automation resumed")
