"""Ingest of comments: from interchange-format JSON Lines and from connectors.

Idempotent by (platform, external id): the same comment seen again only moves its last-seen time;
a changed text becomes a new version (every earlier text is kept). A comment never edited keeps its one
text in ``comment`` alone; its first edit writes both versions to ``comment_version``, each later edit its
own. A malformed line is reported with its line number and skipped; every other line is kept.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from moderation.domain import Platform, SuppressionOrder
from moderation.domain.lifecycle import Edited
from moderation.ports import RemoteComment
from moderation.store import ledger
from moderation.store.bulk import insert_dicts, reserve_ids
from moderation.store.tables import Account, Comment, CommentVersion, Post

from .base import text_key
from .transitions import TransitionsMixin
from .views import IngestReport

PLATFORMS = {p.value for p in Platform}
# PostgreSQL text cannot hold NUL; it is stored as the visible symbol for it (U+2400).
NUL_STANDIN = "\u2400"
_COMMENTS = Comment.__table__  # type: ignore[attr-defined]


class RecordError(ValueError):
    pass


def _str(obj: dict[str, Any], key: str, *, required: bool = True, where: str = "") -> str:
    value = obj.get(key)
    if value is None:
        if required:
            raise RecordError(f"missing '{where}{key}'")
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise RecordError(f"'{where}{key}' must be a string")
    return clean_text(value)


def clean_text(value: str) -> str:
    """Text the databases can store: NUL shown as its symbol, lone surrogates as U+FFFD."""
    if "\x00" in value:
        value = value.replace("\x00", NUL_STANDIN)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def _time(value: Any, key: str) -> datetime:
    if not isinstance(value, str):
        raise RecordError(f"'{key}' must be an ISO 8601 time with a UTC offset")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise RecordError(f"'{key}' is not an ISO 8601 time: {value[:40]!r}") from exc
    if parsed.tzinfo is None:
        raise RecordError(f"'{key}' has no UTC offset: {value[:40]!r}")
    return parsed.astimezone(UTC)


def parse_record(obj: Any) -> RemoteComment:
    """Validate one interchange-format object; raise ``RecordError`` saying what is wrong."""
    if not isinstance(obj, dict):
        raise RecordError("each line must be a JSON object")
    platform = _str(obj, "platform")
    if platform not in PLATFORMS:
        raise RecordError(f"'platform' must be one of {', '.join(sorted(PLATFORMS))}, not {platform[:20]!r}")
    post = obj.get("post")
    if not isinstance(post, dict):
        raise RecordError("missing 'post' object")
    author = obj.get("author") or {}
    if not isinstance(author, dict):
        raise RecordError("'author' must be an object")
    parent = obj.get("parent_id")
    if parent is not None and not isinstance(parent, str | int):
        raise RecordError("'parent_id' must be a string or null")
    comment_id = _str(obj, "id")
    if not comment_id.strip():
        raise RecordError("'id' is empty")
    post_author = post.get("author_id")
    account = _str(obj, "account")
    return RemoteComment(
        platform=platform,
        account=account,
        id=comment_id,
        text=_str(obj, "text"),
        created_at=_time(obj.get("created_at"), "created_at"),
        post_id=_str(post, "id", where="post."),
        post_text=_str(post, "text", required=False, where="post."),
        post_url=_str(post, "url", required=False, where="post."),
        parent_id=str(parent) if parent is not None else None,
        author_id=_str(author, "id", required=False, where="author."),
        author_handle=_str(author, "handle", required=False, where="author."),
        author_name=_str(author, "name", required=False, where="author."),
        url=_str(obj, "url", required=False),
        hidden=None,
        own_conversation=post_author is None or str(post_author) == account,
    )


def read_jsonl(stream: IO[str]) -> Iterator[tuple[int, RemoteComment | None, str]]:
    """Yield (line number, record or None, error message) for each non-blank line."""
    for number, record, error, _size in read_jsonl_sized(stream):
        yield number, record, error


def read_jsonl_sized(stream: IO[str]) -> Iterator[tuple[int, RemoteComment | None, str, int]]:
    """``read_jsonl`` with the characters each yielded line took (blank lines before it included)."""
    skipped = 0
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            skipped += len(line)
            continue
        size, skipped = skipped + len(line), 0
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})", size
            continue
        try:
            yield number, parse_record(obj), "", size
        except RecordError as exc:
            yield number, None, f"line {number}: {exc}", size


class IngestMixin(TransitionsMixin):
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
        with self.tx() as session:
            report, touched = self._ingest_batch(session, list(records), actor, account_id)
            if triage and touched:
                states = self.triage_rows(session, self.pending_rows(session, touched))  # type: ignore[attr-defined]
                report = replace(report, triaged=dict(states))
        return report

    def _ingest_batch(
        self, session: Session, records: list[RemoteComment], actor: str, account_id: int | None
    ) -> tuple[IngestReport, list[int]]:
        conn = session.connection()
        now = self.now()
        accounts: dict[tuple[str, str], Account] = {}
        fixed = session.get(Account, account_id) if account_id is not None else None
        if account_id is not None and fixed is None:
            raise ValueError(f"no account with id {account_id}")
        by_rec: list[Account] = []
        for rec in records:
            by_rec.append(fixed if fixed is not None else self._account_for(session, accounts, rec, actor))
        posts = self._posts_for(session, records, by_rec)
        existing = self._stored(conn, records)
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
                existing[(r["platform"], r["external_id"])] = _Stored(cid, r["text"], 1, {r["text"]})
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
                            "text_sha256": _digest(r["text"]),
                        },
                        cid,
                    )
                )
            self.record_many(session, events)
            touched.extend(ids)
            added = len(ids)
        seen_only: dict[int, bool | None] = {}
        self._load_versions(conn, existing, [records[i] for i in later])
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
                orders = self.orders_in_force(session)
            self._edit(session, stored, rec, actor, orders, edit_events)
            touched.append(stored.id)
            updated += 1
        self.record_many(session, edit_events)
        if seen_only:
            self._seen(conn, seen_only, now)
        report = IngestReport(added=added, updated=updated, unchanged=unchanged, lines=added + updated + unchanged)
        return report, touched

    # ------------------------------------------------------------ helpers
    def _stored(self, conn: Any, records: list[RemoteComment]) -> dict[tuple[str, str], _Stored]:
        """The comments of ``records`` already stored: id, current text and version."""
        wanted: dict[str, set[str]] = {}
        for rec in records:
            wanted.setdefault(rec.platform, set()).add(rec.id)
        out: dict[tuple[str, str], _Stored] = {}
        for platform, ids in wanted.items():
            listed = sorted(ids)
            for i in range(0, len(listed), 500):
                part = listed[i : i + 500]
                query = select(Comment.id, Comment.external_id, Comment.text, Comment.text_version).where(
                    col(Comment.platform) == platform, col(Comment.external_id).in_(part)
                )
                for cid, ext, text, version in conn.execute(query):
                    out[(platform, ext)] = _Stored(cid, text, version, {text})
        return out

    def _load_versions(self, conn: Any, stored: dict[tuple[str, str], _Stored], recs: list[RemoteComment]) -> None:
        """Every earlier text of the stored comments that ``recs`` deliver with a text other than the current one."""
        ids = sorted(
            {
                s.id
                for rec in recs
                if (s := stored[(rec.platform, rec.id)]).version > 1 and rec.text not in s.texts and not s.loaded
            }
        )
        by_id = {s.id: s for s in stored.values()}
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            query = select(CommentVersion.comment_id, CommentVersion.text).where(
                col(CommentVersion.comment_id).in_(part)
            )
            for cid, text in conn.execute(query):
                by_id[cid].texts.add(text)
        for cid in ids:
            by_id[cid].loaded = True

    def _seen(self, conn: Any, seen: dict[int, bool | None], now: datetime) -> None:
        plain = [cid for cid, hidden in seen.items() if hidden is None]
        for i in range(0, len(plain), 500):
            conn.execute(update(Comment).where(col(Comment.id).in_(plain[i : i + 500])).values(last_seen_at=now))
        told = [{"b_id": cid, "b_hidden": hidden} for cid, hidden in seen.items() if hidden is not None]
        if told:
            conn.execute(
                update(Comment)
                .where(col(Comment.id) == bindparam("b_id"))
                .values(last_seen_at=now, platform_hidden=bindparam("b_hidden")),
                told,
            )

    def _edit(
        self,
        session: Session,
        stored: _Stored,
        rec: RemoteComment,
        actor: str,
        orders: list[SuppressionOrder],
        events: list[ledger.Pending],
    ) -> None:
        """A new text for a stored comment: a new version, and the lifecycle's ``Edited`` event."""
        now = self.now()
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
        self.apply_event(
            session,
            row,
            Edited(),
            actor=actor,
            escalation_note="edited to name a person protected by a suppression order",
            orders=orders,
            ledger_out=events,
            payload={"version": row.text_version, "text_sha256": _digest(rec.text), "from_state": previous},
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
            now = self.now()
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
            self.record(
                session,
                "account_added",
                actor,
                {"account": account.id, "platform": rec.platform, "external_id": rec.account, "via": "ingest"},
            )
        cache[key] = account
        return account

    def _posts_for(
        self, session: Session, records: list[RemoteComment], accounts: list[Account]
    ) -> dict[tuple[int, str], int]:
        """The post id of every (account, post) the records name: stored ones found, new ones added; a post's
        text is updated when a record brings a different one."""
        conn = session.connection()
        wanted: dict[tuple[int, str], RemoteComment] = {}
        for rec, account in zip(records, accounts, strict=True):
            key = (account.id or 0, rec.post_id)
            if key not in wanted or rec.post_text:
                wanted[key] = rec  # the last record with a text says what the post says now
        out: dict[tuple[int, str], int] = {}
        texts: dict[int, str] = {}
        by_account: dict[int, list[str]] = {}
        for aid, pid in wanted:
            by_account.setdefault(aid, []).append(pid)
        for aid, pids in by_account.items():
            for i in range(0, len(pids), 500):
                part = pids[i : i + 500]
                query = select(Post.id, Post.external_id, Post.text).where(
                    col(Post.account_id) == aid, col(Post.external_id).in_(part)
                )
                for post_id, ext, text in conn.execute(query):
                    out[(aid, ext)] = post_id
                    texts[post_id] = text
        missing = [key for key in wanted if key not in out]
        if missing:
            rows = [
                {
                    "account_id": aid,
                    "external_id": pid,
                    "text": wanted[(aid, pid)].post_text,
                    "url": wanted[(aid, pid)].post_url,
                    "author_id": None if wanted[(aid, pid)].own_conversation else "other",
                }
                for aid, pid in missing
            ]
            for key, row, post_id in zip(missing, rows, reserve_ids(conn, "post", len(rows)), strict=True):
                row["id"] = out[key] = post_id
            insert_dicts(conn, Post.__table__, rows)  # type: ignore[attr-defined]
        changed = [
            {"b_id": out[key], "b_text": rec.post_text}
            for key, rec in wanted.items()
            if key not in missing and rec.post_text and texts.get(out[key]) != rec.post_text
        ]
        if changed:
            conn.execute(
                update(Post).where(col(Post.id) == bindparam("b_id")).values(text=bindparam("b_text")), changed
            )
        return out


@dataclass
class _Stored:
    id: int
    text: str
    version: int
    texts: set[str] = field(default_factory=set)  # every text it is known to have had
    loaded: bool = False  # whether ``texts`` holds every stored version


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
