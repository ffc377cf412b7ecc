"""Ingest of comments: from interchange-format JSON Lines and from connectors.

Idempotent by (platform, external id): the same comment seen again only moves its last-seen time;
a changed text becomes a new version (every earlier text is kept). A malformed line is reported
with its line number and skipped; every other line is kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlmodel import Session, select

from moderation.domain import Platform
from moderation.domain.lifecycle import Edited
from moderation.ports import RemoteComment
from moderation.store.tables import Account, Comment, CommentVersion, Post

from .base import text_key
from .transitions import TransitionsMixin
from .views import IngestReport

PLATFORMS = {p.value for p in Platform}
# PostgreSQL text cannot hold NUL; it is stored as the visible symbol for it (U+2400).
NUL_STANDIN = "\u2400"


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
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})"
            continue
        try:
            yield number, parse_record(obj), ""
        except RecordError as exc:
            yield number, None, f"line {number}: {exc}"


@dataclass
class _Outcome:
    kind: str  # added | updated | unchanged
    comment: Comment


class IngestMixin(TransitionsMixin):
    def ingest_file(self, path: Path, actor: str = "system:ingest", batch: int = 500) -> IngestReport:
        with open(path, encoding="utf-8", errors="replace") as stream:
            return self.ingest_stream(stream, actor=actor, batch=batch)

    def ingest_stream(self, stream: IO[str], actor: str = "system:ingest", batch: int = 500) -> IngestReport:
        added = updated = unchanged = lines = 0
        errors: list[str] = []
        pending: list[RemoteComment] = []

        def flush() -> None:
            nonlocal added, updated, unchanged
            if not pending:
                return
            counts = self.ingest_comments(pending, actor=actor)
            added += counts.added
            updated += counts.updated
            unchanged += counts.unchanged
            pending.clear()

        for _number, record, error in read_jsonl(stream):
            lines += 1
            if record is None:
                errors.append(error)
                continue
            pending.append(record)
            if len(pending) >= batch:
                flush()
        flush()
        return IngestReport(added=added, updated=updated, unchanged=unchanged, errors=errors, lines=lines)

    def ingest_comments(
        self, records: Iterable[RemoteComment], actor: str = "system:ingest", account_id: int | None = None
    ) -> IngestReport:
        """Store a batch in one transaction. Safe to repeat: only new texts and new comments change anything."""
        added = updated = unchanged = 0
        with self.tx() as session:
            accounts: dict[tuple[str, str], Account] = {}
            posts: dict[tuple[int, str], Post] = {}
            seen: set[tuple[str, str]] = set()
            for rec in records:
                if (rec.platform, rec.id) in seen:
                    continue
                seen.add((rec.platform, rec.id))
                if account_id is not None:
                    account = session.get(Account, account_id)
                    assert account is not None
                else:
                    account = self._account_for(session, accounts, rec, actor)
                post = self._post_for(session, posts, account, rec)
                outcome = self._upsert(session, account, post, rec, actor)
                if outcome.kind == "added":
                    added += 1
                elif outcome.kind == "updated":
                    updated += 1
                else:
                    unchanged += 1
        return IngestReport(added=added, updated=updated, unchanged=unchanged, lines=added + updated + unchanged)

    # ------------------------------------------------------------ helpers
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

    def _post_for(
        self, session: Session, cache: dict[tuple[int, str], Post], account: Account, rec: RemoteComment
    ) -> Post:
        assert account.id is not None
        key = (account.id, rec.post_id)
        if key in cache:
            return cache[key]
        post = session.exec(select(Post).where(Post.account_id == account.id, Post.external_id == rec.post_id)).first()
        if post is None:
            post = Post(
                account_id=account.id,
                external_id=rec.post_id,
                text=rec.post_text,
                url=rec.post_url,
                author_id=None if rec.own_conversation else "other",
            )
            session.add(post)
            session.flush()
        elif rec.post_text and post.text != rec.post_text:
            post.text = rec.post_text
            session.add(post)
        cache[key] = post
        return post

    def _upsert(self, session: Session, account: Account, post: Post, rec: RemoteComment, actor: str) -> _Outcome:
        now = self.now()
        row = session.exec(
            select(Comment).where(Comment.platform == rec.platform, Comment.external_id == rec.id)
        ).first()
        if row is None:
            row = Comment(
                platform=rec.platform,
                external_id=rec.id,
                account_id=account.id or 0,
                post_id=post.id,
                parent_external_id=rec.parent_id,
                author_id=rec.author_id,
                author_handle=rec.author_handle,
                author_name=rec.author_name,
                text=rec.text,
                text_key=text_key(rec.text),
                created_at=rec.created_at,
                fetched_at=now,
                last_seen_at=now,
                url=rec.url,
                platform_hidden=rec.hidden,
                own_conversation=rec.own_conversation,
                state="new",
                updated_at=now,
            )
            session.add(row)
            session.flush()
            session.add(CommentVersion(comment_id=row.id or 0, version=1, text=rec.text, seen_at=now))
            self.record(
                session,
                "comment_received",
                actor,
                {
                    "platform": rec.platform,
                    "external_id": rec.id,
                    "account": account.external_id,
                    "post": rec.post_id,
                    "created_at": rec.created_at.isoformat(),
                    "author_name": rec.author_name,
                    "text_sha256": _digest(rec.text),
                },
                comment_id=row.id,
            )
            return _Outcome("added", row)
        row.last_seen_at = now
        if rec.hidden is not None:
            row.platform_hidden = rec.hidden
        if rec.text != row.text:
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
                payload={"version": row.text_version, "text_sha256": _digest(rec.text), "from_state": previous},
            )
            session.add(row)
            return _Outcome("updated", row)
        session.add(row)
        return _Outcome("unchanged", row)


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
