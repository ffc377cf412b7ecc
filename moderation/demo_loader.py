"""``modq demo``: a fresh embedded database holding the demo corpus, polled through the replay connector.

The three demo accounts are real accounts in the database whose connector is the replay connector,
so the demo runs the same path as production: poll → ingest → triage → outbox → platform.
"""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from pathlib import Path

from moderation.config import Settings, default_data_dir
from moderation.services import ModerationService

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


def load_demo(db: Path | None = None) -> tuple[ModerationService, str]:
    from moderation.bootstrap import make_service

    path = db or (default_data_dir() / "demo.db")
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    hides = path.with_name(path.stem + "-platform.json")
    hides.unlink(missing_ok=True)
    svc = make_service(Settings(), database_url=f"sqlite:///{path}")
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
    applied = svc.apply_outbox(limit=10_000)
    counts = svc.counts()
    lines.append("states: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    lines.append(f"platform actions confirmed: {applied.confirmed}")
    lines.append(f"demo database: {path}")
    return svc, "\n".join(lines)
