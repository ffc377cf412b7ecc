"""One polling pass over an account: fetch pages, store each page, then advance the cursor.

The cursor moves only after every page it covers is committed, so a crash mid-poll re-reads
pages instead of skipping them; ingest is idempotent, so re-reading stores nothing twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlmodel import col, select

from moderation.ports import Connector, ConnectorError, RemoteComment
from moderation.store.tables import Comment, Post

from .base import Component, Core
from .views import Plain
from .workers import LeaseLost

if TYPE_CHECKING:
    from .ingest import Ingest
    from .triage import Triage


@dataclass(frozen=True)
class PollReport(Plain):
    account: str
    pages: int = 0
    seen: int = 0
    added: int = 0
    updated: int = 0
    triaged: int = 0
    cursor: str | None = None
    error: str | None = None
    deleted: int = 0
    by_state: dict[str, int] = field(default_factory=dict)


class Polling(Component):
    """Polling one account: read new comments and deletions from the platform, ingest and triage them."""

    def __init__(self, core: Core, triage: Triage, ingest: Ingest) -> None:
        super().__init__(core)
        self.triage = triage
        self.ingest = ingest

    def poll_account(
        self,
        ref: str | int,
        connector: Connector | None = None,
        progress: Callable[[int, int, str], None] | None = None,
        triage: bool = True,
        guard: Callable[[], None] | None = None,
    ) -> PollReport:
        """Poll one account, store what it returns and advance its cursor.

        ``guard`` (a worker sharing the database) is called before each request to the platform and before
        each page is stored; it raises ``LeaseLost`` once this worker may no longer poll the account, and the
        poll stops there (what was stored stays; the cursor does not move).
        """
        with self.core.tx() as session:
            account = self.core.account_row(session, ref)
            account_id = account.id or 0
            label = account.name or account.external_id
            cursor = account.cursor
            if connector is None:
                if self.core.connector_factory is None:
                    raise RuntimeError("no connector factory configured")
                connector = self.core.connector_factory(account)
        pages = seen = added = updated = deleted = 0
        new_cursor: str | None = None
        returned: set[str] = set()
        ingest_triaged: Counter[str] = Counter()  # triaged with each page, in its transaction
        check = guard or (lambda: None)
        try:
            check()
            for page in connector.poll(cursor):
                check()
                batch: list[RemoteComment] = list(page.comments)
                returned.update(c.id for c in batch)
                if batch:
                    report = self.ingest.ingest_comments(
                        batch, actor=f"system:poll:{label}", account_id=account_id, triage=triage
                    )
                    added += report.added
                    updated += report.updated
                    ingest_triaged.update(report.triaged)
                seen += len(batch)
                pages += 1
                if progress:
                    progress(pages, seen, page.progress)
                if page.done:
                    new_cursor = page.cursor
                    if page.complete_posts:
                        check()
                        deleted = self._record_deletions(account_id, connector, page.complete_posts, returned)
                else:
                    check()  # before the next page is requested
        except LeaseLost as exc:
            return PollReport(
                account=label, pages=pages, seen=seen, added=added, updated=updated, cursor=cursor,
                error=f"LeaseLost: {exc}",
            )  # fmt: skip
        except ConnectorError as exc:
            self._poll_failed(account_id, exc)
            return PollReport(
                account=label,
                pages=pages,
                seen=seen,
                added=added,
                updated=updated,
                cursor=cursor,
                error=f"{type(exc).__name__}: {exc}",
            )
        with self.core.tx() as session:
            row = self.core.account_row(session, account_id)
            if new_cursor is not None:
                row.cursor = new_cursor
            row.last_poll_at = self.core.now()
            row.last_error = None
            session.add(row)
        triaged = 0
        by_state: dict[str, int] = {}
        if triage:
            t = self.triage.triage_pending()
            ingest_triaged.update(t.by_state)
            triaged, by_state = sum(ingest_triaged.values()), dict(ingest_triaged)
        return PollReport(
            account=label,
            pages=pages,
            seen=seen,
            added=added,
            updated=updated,
            triaged=triaged,
            cursor=new_cursor or cursor,
            deleted=deleted,
            by_state=by_state,
        )

    def _record_deletions(
        self, account_id: int, connector: Connector, posts: list[str], returned: set[str], limit: int = 200
    ) -> int:
        """Comments stored for fully read posts that the platform no longer returned may be deleted:
        confirm each with the platform, then record it. The comment and its history are kept."""
        with self.core.tx() as session:
            candidates = session.exec(
                select(Comment.id, Comment.external_id)
                .join(Post, col(Post.id) == Comment.post_id)
                .where(
                    Comment.account_id == account_id,
                    col(Post.external_id).in_(posts),
                    col(Comment.platform_deleted).is_(False),
                )
            ).all()
        missing = [(cid, ext) for cid, ext in candidates if ext not in returned][:limit]
        recorded = 0
        for cid, ext in missing:
            if connector.get_state(ext).exists:
                continue
            with self.core.tx() as session:
                row = self.core.comment_row(session, cid or 0)
                row.platform_deleted = True
                session.add(row)
                self.core.record(session, "comment_deleted_on_platform", "system:poll", {"external_id": ext}, cid)
                recorded += 1
        return recorded

    def _poll_failed(self, account_id: int, exc: ConnectorError) -> None:
        with self.core.tx() as session:
            row = self.core.account_row(session, account_id)
            row.last_error = f"{type(exc).__name__}: {exc}"[:500]
            row.last_error_at = self.core.now()
            session.add(row)
