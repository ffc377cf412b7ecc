"""The ``modq`` command line: parse, build the service, make one call, print.

Exit codes: 0 success; 1 a check failed (e.g. the ledger does not verify); 2 bad settings, input or
policy; 3 a domain rule refused the action (role, state); 4 not found; 5 conflict with another person.
"""

from __future__ import annotations

import functools
import getpass
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from moderation.cli_choices import PLATFORMS, ROLES, STATES, check_clauses, one_of, states_option
from moderation.config import Settings
from moderation.domain import ModqError
from moderation.domain.errors import exit_code

app = typer.Typer(
    help="modq: the moderation queue for the department's official social accounts.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
ledger_app = typer.Typer(help="The public record of every state change.", no_args_is_help=True)
moderators_app = typer.Typer(help="People who moderate, review or read.", no_args_is_help=True)
accounts_app = typer.Typer(help="The official accounts modq watches.", no_args_is_help=True)
automation_app = typer.Typer(help="The global switch for automatic hiding.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(ledger_app, name="ledger")
app.add_typer(moderators_app, name="moderators")
app.add_typer(accounts_app, name="accounts")
app.add_typer(automation_app, name="automation")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)

F = TypeVar("F", bound=Callable[..., Any])


def handled(fn: F) -> F:
    """Turn the engine's errors into a clear message and a meaningful exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ModqError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(exit_code(exc)) from None
        finally:
            tell_notices()

    return wrapper  # type: ignore[return-value]


_built: list[Any] = []


def service(db: Path | None = None, *, create: bool = False):  # type: ignore[no-untyped-def]
    """The service over ``--db`` or the configured database.

    Only commands that set a database up (``init``, ``db upgrade``, ``ingest``, ``demo``) pass ``create``; every
    other command refuses a SQLite file that does not exist, so a mistyped ``--db`` never leaves an empty database
    (and folders) behind and never shows an empty queue as if it were the real one.
    """
    from moderation.bootstrap import make_service
    from moderation.store.db import sqlite_path

    settings = Settings()
    url = f"sqlite:///{db}" if db else settings.resolved_database_url()
    path = sqlite_path(url)
    if path is not None and not create:
        if path.is_dir():
            raise typer.BadParameter(f"{path} is a folder, not a database file", param_hint="'--db'")
        if not path.exists():
            raise typer.BadParameter(
                f"no database at {path}; check the path, or create one with 'modq init --db {path}'",
                param_hint="'--db'",
            )
    svc = make_service(settings, database_url=url)
    _built.append(svc)
    return svc


def tell_notices() -> None:
    """What the service had to tell the person (e.g. a note withheld from the public ledger), on stderr."""
    while _built:
        for notice in _built.pop().take_notices():
            err.print(f"[yellow]note:[/yellow] {escape(notice)}")


def actor(name: str | None) -> str:
    """Who this command acts as: the operating-system user, or ``--as NAME`` for an admin (recorded as "admin ME
    as NAME") and in a demo database. Call it after ``service()``."""
    me = getpass.getuser()
    if name is None or name == me:
        return me
    return _built[-1].act_as(me, name) if _built else service().act_as(me, name)


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def parse_day(value: str, end: bool = False) -> datetime:
    try:
        if len(value) == 10:
            day = datetime.combine(datetime.fromisoformat(value).date(), time(0), tzinfo=UTC)
            return day + timedelta(days=1) if end else day
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date (YYYY-MM-DD)") from None


AsOpt = typer.Option(
    None, "--as", help="Act as this person (admins only, recorded as 'admin YOU as NAME'; anyone in a demo database)."
)
JsonOpt = typer.Option(False, "--json", help="Print JSON instead of a table.")
DbOpt = typer.Option(None, "--db", help="Use this SQLite file instead of the configured database.")


# ---------------------------------------------------------------- setup
@app.command()
@handled
def init(db: Path | None = DbOpt) -> None:
    """Create the database (or bring it up to date) and make you its first admin."""
    svc = service(db, create=True)
    me = getpass.getuser()
    made = svc.ensure_first_admin(me)
    out.print(f"database ready at {escape(str(svc.engine.url.render_as_string(hide_password=True)))}")
    if made:
        out.print(f"'{escape(me)}' is the first admin; add others with 'modq moderators add'")


@db_app.command("upgrade")
@handled
def db_upgrade(db: Path | None = DbOpt) -> None:
    """Apply any pending schema migrations."""
    from moderation.store.migrate import current

    svc = service(db, create=True)
    out.print(f"schema at revision {current(svc.engine)}")


@db_app.command("backup")
@handled
def db_backup(
    dest: Path = typer.Argument(..., help="The file to write (must not exist yet)."),
    db: Path | None = DbOpt,
) -> None:
    """Copy the SQLite database while the worker runs (SQLite's online backup). PostgreSQL: use pg_dump."""
    from moderation.store.backup import backup_sqlite

    svc = service(db)
    if dest.exists():
        raise typer.BadParameter(f"{dest} exists; give a new file name", param_hint="'DEST'")
    pages = backup_sqlite(svc.engine, dest)
    out.print(f"backed up {pages} pages to {escape(str(dest))}")


# ---------------------------------------------------------------- comments
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


@app.command()
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


@app.command()
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


@app.command()
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
            escape(_safe(i.preview)[:70]),
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


def _safe(text: str) -> str:
    """Printable form of hostile text: control and format characters shown as escapes."""
    import unicodedata

    return "".join(
        ch if ch.isprintable() and unicodedata.category(ch) not in ("Cf", "Cc", "Zl", "Zp") else f"\\u{ord(ch):04x}"
        for ch in text
    )


@app.command()
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
        f"by {escape(_safe(i.author_name))} @{escape(_safe(i.author_handle))} at {i.created_at:%Y-%m-%d %H:%M} UTC"
    )
    out.print(f"on: {escape(_safe(d.post_text[:100]))}   (arrived by {arrival})")
    out.print(escape(_safe(d.text)))
    for f in d.findings + d.shadow_findings:
        out.print(
            f"  [{f.mode}] {f.rule_id} clause {f.clause} {f.severity} → {f.action}: "
            f"{escape(_safe(f.match))!s} [{f.start}:{f.end}] {escape(f.explanation)}"
        )
    for dec in d.decisions:
        out.print(
            f"  {dec.created_at:%Y-%m-%d %H:%M} {escape(dec.actor)} {dec.action} {dec.from_state}→{dec.to_state}"
            f"{' (undone)' if dec.undone else ''} {escape(dec.note)}"
        )
    for e in d.escalations:
        out.print(f"  escalation #{e.id} to {e.route}: {e.status}, due {e.due_at:%Y-%m-%d %H:%M} UTC")
    if notes:
        from moderation.cli_notes import note_line

        out.print("notes on this author (private):")
        for n in notes:
            out.print("  " + note_line(n))
    hidden = {True: "hidden", False: "visible", None: "unknown"}[d.platform_hidden]
    out.print(
        f"  platform: {hidden}{' (deleted)' if d.platform_deleted else ''}; intended: "
        f"{'hidden' if d.intended_hidden else 'visible'}"
    )


@app.command()
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


@app.command()
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


# ---------------------------------------------------------------- ledger
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


# ---------------------------------------------------------------- people
@moderators_app.command("add")
@handled
def moderators_add(
    name: str,
    role: str = typer.Option(
        "moderator", callback=one_of(ROLES, "role", "--role"), help="moderator, legal, committee or admin."
    ),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Add a person (admins only)."""
    m = service(db).add_moderator(name, role, actor(as_))
    out.print(f"{escape(m.name)} is a {m.role}")


@moderators_app.command("set-role")
@handled
def moderators_set_role(
    name: str = typer.Argument(..., help="The person."),
    role: str = typer.Argument(
        ..., callback=one_of(ROLES, "role", "ROLE"), help="moderator, legal, committee or admin."
    ),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Change a person's role (admins only; recorded in the ledger)."""
    m = service(db).set_role(name, role, actor(as_))
    out.print(f"{escape(m.name)} is now a {m.role}")


@moderators_app.command("deactivate")
@handled
def moderators_deactivate(
    name: str = typer.Argument(..., help="The person."),
    reason: str = typer.Option("", help="Why (kept in the ledger)."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Stop a person acting (admins only). They stay in the records with their decisions."""
    m = service(db).deactivate_moderator(name, actor(as_), reason)
    out.print(f"{escape(m.name)} ({m.role}) is deactivated; their decisions stay in the records")


@moderators_app.command("reactivate")
@handled
def moderators_reactivate(
    name: str = typer.Argument(..., help="The person."),
    reason: str = typer.Option("", help="Why (kept in the ledger)."),
    as_: str | None = AsOpt,
    db: Path | None = DbOpt,
) -> None:
    """Let a deactivated person act again, with the role they had (admins only)."""
    m = service(db).reactivate_moderator(name, actor(as_), reason)
    out.print(f"{escape(m.name)} is active again as a {m.role}")


@moderators_app.command("list")
@handled
def moderators_list(db: Path | None = DbOpt, as_json: bool = JsonOpt) -> None:
    """Everyone who can use modq, with their role."""
    people = service(db).moderators()
    if as_json:
        emit_json([m.to_dict() for m in people])
        return
    for m in people:
        extra = ("" if m.active else " (inactive)") + (", spokesperson" if m.spokesperson else "")
        out.print(f"{escape(m.name):20} {m.role}{extra}")


# ---------------------------------------------------------------- accounts
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
    from moderation.connecting import connector_for

    svc = service(db)
    with svc.tx() as session:
        account = svc.account_row(session, ref)
        connector = connector_for(account)
    report = connector.check_access()
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


@app.command()
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


@app.command()
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


# ---------------------------------------------------------------- demo
@app.command()
@handled
def demo(
    no_tui: bool = typer.Option(False, "--no-tui", help="Print the queue summary instead of opening the TUI."),
    db: Path | None = DbOpt,
    force: bool = typer.Option(
        False, "--force", help="Replace the file at --db even though it is not a demo database."
    ),
) -> None:
    """Load the demo corpus into a fresh embedded database, triage it, and open the queue. An existing file at
    --db is replaced only if it is a demo database (or with --force)."""
    from moderation.demo_loader import load_demo

    svc, summary = load_demo(db, force=force)
    if no_tui or not sys.stdout.isatty() or not sys.stdin.isatty():
        out.print(summary)
        items = svc.queue(limit=15)
        table = Table("id", "state", "pri", "clause", "platform", "preview", box=None, title="Top of the queue")
        for i in items:
            table.add_row(
                str(i.id), i.state, str(i.priority), ",".join(i.clauses), i.platform, escape(_safe(i.preview)[:80])
            )
        out.print(table)
        return
    from tui.app import run_tui

    run_tui(svc, actor(None))


def _register_extensions() -> None:
    """Commands that live beside the modules they drive."""
    import importlib

    for module in (
        "moderation.cli_rules",
        "moderation.cli_worker",
        "moderation.cli_report",
        "moderation.cli_webhooks",
        "moderation.cli_complaints",
        "moderation.cli_notes",
        "moderation.cli_records",
        "moderation.cli_alerts",
        "moderation.cli_replies",
        "tui.cli",
    ):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        mod.register(app)


_register_extensions()


def main() -> None:
    app()
