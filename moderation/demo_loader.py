"""``modq demo``: a fresh embedded database holding the demo corpus, polled through the replay connector.

The three demo accounts are real accounts in the database whose connector is the replay connector,
so the demo runs the same path as production: poll → ingest → triage → outbox → platform.
"""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from pathlib import Path

from moderation.config import Settings, default_data_dir
from moderation.domain import InputError
from moderation.services import ModerationService
from moderation.services.admin import DEMO_SETTING

CORPUS = Path(__file__).parent / "demo" / "corpus.jsonl"
ACCOUNTS = [
    ("facebook", "1000000001", "DCW Victoria"),
    ("instagram", "17841400000000001", "dcw.vic"),
    ("x", "1500000000000000001", "@DCWVic"),
]
DEMO_ORDER = {
    "case": "DPP v J.M. (a minor)",
    "court": "County Court of Victoria",
    "terms": ["Jordan Mills", "J-Mills"],
    "starts": datetime(2026, 1, 1, tzinfo=UTC),
    "until": datetime(2027, 12, 31, tzinfo=UTC),
}


def demo_database(path: Path) -> bool | None:
    """Whether the file at ``path`` is a database ``modq demo`` made: True, False (another modq database, or any
    other file), or None when there is no file. Read-only: nothing at ``path`` is changed."""
    if not path.exists():
        return None
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM setting WHERE key = ?", (DEMO_SETTING,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return bool(row and row[0] == "1")


def load_demo(db: Path | None = None, force: bool = False) -> tuple[ModerationService, str]:
    """Replace the demo database at ``db`` (default: the data folder's demo.db) with a fresh one.

    Raises:
        InputError: a file is at ``db`` and it is not a demo database (unless ``force``): modq demo never replaces
            a real database or any other file without being told to.
    """
    from moderation.bootstrap import make_service

    path = db or (default_data_dir() / "demo.db")
    if demo_database(path) is False and not force:
        raise InputError(
            f"{path} exists and is not a demo database (modq demo replaces the file it is given); "
            "choose another --db path, or pass --force to replace it"
        )
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    hides = path.with_name(path.stem + "-platform.json")
    hides.unlink(missing_ok=True)
    svc = make_service(Settings(), database_url=f"sqlite:///{path}")
    svc.mark_demo()
    me = getpass.getuser()
    svc.ensure_first_admin(me)
    for role in ("legal", "committee"):
        svc.add_moderator(f"demo-{role}", role, me)
    svc.add_moderator("demo-moderator", "moderator", me)
    add_order = getattr(svc, "add_order", None)
    if add_order is not None:
        add_order(actor=me, sweep=False, **DEMO_ORDER)
    for platform, external_id, name in ACCOUNTS:
        svc.add_account(
            platform,
            external_id,
            name,
            me,
            poll_seconds=60,
            settings={"connector": "replay", "path": str(CORPUS), "hides_path": str(hides)},
            activated_at=datetime(1970, 1, 1, tzinfo=UTC),
        )
    lines = []
    for account in svc.accounts():
        report = svc.poll_account(account.id)
        lines.append(f"{account.name}: {report.added} comments" + (f" ({report.error})" if report.error else ""))
    decided = morning_shift(svc, me)
    applied = svc.apply_outbox(limit=10_000)
    counts = svc.counts()
    lines.append("states: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    lines.append(f"decisions by people (a first morning's work): {decided}")
    lines.append(f"platform actions confirmed: {applied.confirmed}")
    lines.append(f"demo database: {path}")
    return svc, "\n".join(lines)


def morning_shift(svc: ModerationService, admin: str) -> int:
    """A few decisions by people, so the queue, the statistics and the committee's report show every kind of
    figure: approvals, hides citing a clause, confirmed auto-hides, an escalation, and one resolved by legal.
    The rest of the queue is left for whoever opens the demo."""
    count = 0
    queued = svc.queue(["queued"], limit=1000)
    plain = [i for i in queued if not i.clauses][-8:]  # the newest ordinary comments
    flagged = [i for i in queued if i.clauses][:3]  # the most urgent flagged ones
    for item in plain[:6]:
        svc.decide(item.id, "approve", "demo-moderator", note="fine")
        count += 1
    for item in flagged:
        svc.decide(item.id, "hide", "demo-moderator", note="checked in the morning review")
        count += 1
    if len(plain) > 6:
        svc.decide(plain[6].id, "escalate", "demo-moderator", route="media", note="a journalist asking; media to reply")
        count += 1
    for item in svc.queue(["auto_hidden"], limit=3):
        svc.decide(item.id, "hide", "demo-moderator", note="automation was right")
        count += 1
    legal = svc.escalations(route="legal")
    if legal:
        svc.decide(legal[0].comment_id, "hide", "demo-legal", note="breach of the order; kept hidden")
        count += 1
    return count
