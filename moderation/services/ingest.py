"""Ingest of comments: from interchange-format JSON Lines and from connectors.

Idempotent by (platform, external id): the same comment seen again only moves its last-seen time;
a changed text becomes a new version (every earlier text is kept). A comment never edited keeps its one
text in ``comment`` alone; its first edit writes both versions to ``comment_version``, each later edit its
own. A malformed line is reported with its line number and skipped; every other line is kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sqlmodel import Session, select

from moderation.domain import SuppressionOrder
from moderation.domain.lifecycle import Edited
from moderation.ports import RemoteComment
from moderation.store import ledger
from moderation.store.bulk import insert_dicts, reserve_ids
from moderation.store.tables import Account, Comment, CommentVersion

from .base import Component, Core, text_key
from .parsing import read_jsonl_sized
from .stored import Stored, load_versions, mark_seen, posts_for, stored_comments, text_digest
from .views import IngestReport

if TYPE_CHECKING:
    from .transitions import Lifecycle
    from .triage import Triage

_COMMENTS = Comment.__table__  # type: ignore[attr-defined]


class Ingest(Component):
    """Comments in: from interchange files and from connectors, stored once, edits kept as versions."""

    def __init__(self, core: Core, lifecycle: Lifecycle, triage: Triage) -> None:
        super().__init__(core)
        self.lifecycle = lifecycle
        self.triage = triage

    def ingest_file(
        self,
        path: Path,
        actor: str = "system:ingest",
        batch: int = 1000,
        triage: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> IngestReport:
        with open(path, encoding="utf-8", errors="replace") as stream:
            return self.ingest_stream(stream, actor=actor, batch=batch, triage=triage, progress=progress)

    def ingest_stream(
        self,
        stream: IO[str],
        actor: str = "system:ingest",
        batch: int = 1000,
        triage: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> IngestReport:
        """Store every line of ``stream``, ``batch`` lines to a transaction; with ``triage``, each batch's new
        comments are triaged in the same transaction. ``progress(lines, bytes)`` is told after each batch."""
        added = updated = unchanged = lines = 0
        errors: list[str] = []
        pending: list[RemoteComment] = []
        read = 0
        triaged: Counter[str] = Counter()

        def flush() -> None:
            nonlocal added, updated, unchanged
            if pending:
                counts = self.ingest_comments(pending, actor=actor, triage=triage)
                added += counts.added
                updated += counts.updated
                unchanged += counts.unchanged
                triaged.update(counts.triaged)
                pending.clear()
            if progress is not None:
                progress(lines, read)

        for _number, record, error, size in read_jsonl_sized(stream):
            lines += 1
            read += size
            if record is None:
                errors.append(error)
                continue
            pending.append(record)
            if len(pending) >= batch:
                flush()
        flush()
        return IngestReport(
            added=added, updated=updated, unchanged=unchanged, errors=errors, lines=lines, triaged=dict(triaged)
        )

    def ingest_comments(
        self,
        records: Iterable[RemoteComment],
        actor: str = "system:ingest",
        account_id: int | None = None,
        triage: bool = False,
    ) -> IngestReport:
        """Store a batch in one transaction. Safe to repeat: only new texts and new comments change anything.

        New comments, their first versions and their ``comment_received`` events are written with one statement
        per table; an edit goes through the lifecycle's applier one at a time (edits are rare). With ``triage``,
        the batch's comments still ``new`` are triaged in the same transaction.
        """
        with self.core.tx() as session:
            report, touched = self._ingest_batch(session, list(records), actor, account_id)
            if triage and touched:
                states = self.triage.triage_rows(session, self.triage.pending_rows(session, touched))
                report = replace(report, triaged=dict(states))
        return report

    def _ingest_batch(
        self, session: Session, records: list[RemoteComment], actor: str, account_id: int | None
    ) -> tuple[IngestReport, list[int]]:
        conn = session.connection()
        now = self.core.now()
        accounts: dict[tuple[str, str], Account] = {}
        fixed = session.get(Account, account_id) if account_id is not None else None
        if account_id is not None and fixed is None:
            raise ValueError(f"no account with id {account_id}")
        by_rec: list[Account] = []
        for rec in records:
            by_rec.append(fixed if fixed is not None else self._account_for(session, accounts, rec, actor))
        posts = posts_for(session, records, by_rec)
        existing = stored_comments(conn, records)
        added = updated = unchanged = 0
        new_rows: list[dict[str, Any]] = []
        named: list[tuple[str, str]] = []  # each new row's account and post, as the platform names them
        first: set[tuple[str, str]] = set()
        later: list[int] = []  # records for comments already stored or earlier in this batch, in order
        for i, rec in enumerate(records):
            key = (rec.platform, rec.id)
            if key in existing or key in first:
                later.append(i)
                continue
            account = by_rec[i]
            first.add(key)
            named.append((account.external_id, rec.post_id))
            new_rows.append(
                {
                    "platform": rec.platform,
                    "external_id": rec.id,
                    "account_id": account.id or 0,
                    "post_id": posts[(account.id or 0, rec.post_id)],
                    "parent_external_id": rec.parent_id,
                    "author_id": rec.author_id,
                    "author_handle": rec.author_handle,
                    "author_name": rec.author_name,
                    "text": rec.text,
                    "text_version": 1,
                    "text_key": text_key(rec.text),
                    "created_at": rec.created_at,
                    "fetched_at": now,
                    "last_seen_at": now,
                    "url": rec.url,
                    "platform_hidden": rec.hidden,
                    "platform_deleted": False,
                    "own_conversation": rec.own_conversation,
                    "intended_hidden": False,
                    "state": "new",
                    "priority": 0,
                    "severity": None,
                    "clauses": "",
                    "shadow": False,
                    "first_decided_at": None,
                    "claimed_by": None,
                    "claimed_until": None,
                    "version": 1,
                    "updated_at": now,
                }
            )
        touched: list[int] = []
        if new_rows:
            ids = reserve_ids(conn, "comment", len(new_rows))
            for cid, r in zip(ids, new_rows, strict=True):
                r["id"] = cid
            insert_dicts(conn, _COMMENTS, new_rows)  # a first text is stored once, in the comment
            events = []
            for cid, r, (account_ext, post_ext) in zip(ids, new_rows, named, strict=True):
                existing[(r["platform"], r["external_id"])] = Stored(cid, r["text"], 1, {r["text"]})
                events.append(
                    ledger.Pending(
                        "comment_received",
                        actor,
                        {
                            "platform": r["platform"],
                            "external_id": r["external_id"],
                            "account": account_ext,
                            "post": post_ext,
                            "created_at": r["created_at"].isoformat(),
                            "author_name": r["author_name"],
                            "text_sha256": text_digest(r["text"]),
                        },
                        cid,
                    )
                )
            self.core.record_many(session, events)
            touched.extend(ids)
            added = len(ids)
        seen_only: dict[int, bool | None] = {}
        load_versions(conn, existing, [records[i] for i in later])
        orders: list[SuppressionOrder] | None = None  # read once, at the batch's first edit
        edit_events: list[ledger.Pending] = []  # the edits' ledger events, chained together after the last
        for i in later:
            rec = records[i]
            stored = existing[(rec.platform, rec.id)]
            if rec.text in stored.texts:
                # Seen before (the current text, or an earlier one delivered again): only the last-seen time moves.
                unchanged += 1
                if stored.id not in seen_only or rec.hidden is not None:
                    seen_only[stored.id] = rec.hidden
                continue
            if orders is None:
                orders = self.lifecycle.orders_in_force(session)
            self._edit(session, stored, rec, actor, orders, edit_events)
            touched.append(stored.id)
            updated += 1
        self.core.record_many(session, edit_events)
        if seen_only:
            mark_seen(conn, seen_only, now)
        report = IngestReport(added=added, updated=updated, unchanged=unchanged, lines=added + updated + unchanged)
        return report, touched

    # ------------------------------------------------------------ helpers

    def _edit(
        self,
        session: Session,
        stored: Stored,
        rec: RemoteComment,
        actor: str,
        orders: list[SuppressionOrder],
        events: list[ledger.Pending],
    ) -> None:
        """A new text for a stored comment: a new version, and the lifecycle's ``Edited`` event."""
        now = self.core.now()
        row = session.get(Comment, stored.id, populate_existing=True)
        assert row is not None
        row.last_seen_at = now
        if rec.hidden is not None:
            row.platform_hidden = rec.hidden
        if row.text_version == 1:
            # The first edit: the first text, until now only in the comment, is kept as version 1.
            session.add(CommentVersion(comment_id=row.id or 0, version=1, text=row.text, seen_at=row.fetched_at))
        row.text_version += 1
        row.text = rec.text
        row.text_key = text_key(rec.text)
        session.add(CommentVersion(comment_id=row.id or 0, version=row.text_version, text=rec.text, seen_at=now))
        # An edited comment is looked at again (the lifecycle says how): re-triaged if nobody decided yet,
        # else back to a person; hidden and with legal at once if it now names a protected person.
        previous = row.state
        self.lifecycle.apply_event(
            session,
            row,
            Edited(),
            actor=actor,
            escalation_note="edited to name a person protected by a suppression order",
            orders=orders,
            ledger_out=events,
            payload={"version": row.text_version, "text_sha256": text_digest(rec.text), "from_state": previous},
        )
        session.add(row)
        session.flush()
        stored.text, stored.version = rec.text, row.text_version
        stored.texts.add(rec.text)

    def _account_for(
        self, session: Session, cache: dict[tuple[str, str], Account], rec: RemoteComment, actor: str
    ) -> Account:
        key = (rec.platform, rec.account)
        if key in cache:
            return cache[key]
        account = session.exec(
            select(Account).where(Account.platform == rec.platform, Account.external_id == rec.account)
        ).first()
        if account is None:
            # A file names an account we have not met: register it so nothing in the file is lost.
            # Ingesting a file is a deliberate act, so automation may act on its comments.
            now = self.core.now()
            account = Account(
                platform=rec.platform,
                external_id=rec.account,
                name=rec.account,
                created_at=now,
                activated_at=datetime(1970, 1, 1, tzinfo=UTC),
                enabled=False,
            )
            session.add(account)
            session.flush()
            self.core.record(
                session,
                "account_added",
                actor,
                {"account": account.id, "platform": rec.platform, "external_id": rec.account, "via": "ingest"},
            )
        cache[key] = account
        return account
