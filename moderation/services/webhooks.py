"""Webhook deliveries: stored durably before they are answered, then processed through the same ingest → triage →
outbox path as polling.

A delivery is a hint, not the truth. New and edited comments are stored as the platform sent them (an edit's text
is re-read from the platform when it can be, so edits arriving out of order settle on the current text); removals
and visibility changes are confirmed with the platform before anything is recorded. Replays of a delivery store
nothing (the body's SHA-256 is unique), and processing is idempotent, so a delivery processed twice (two processes,
or a crash before it was marked done) changes nothing the second time.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from moderation.ports import AccessReport, CommentEvent, ConnectorError, RemoteComment
from moderation.store.tables import Account, Comment, CommentArrival, OutboxAction, WebhookDelivery

from .base import Component, Core, aware
from .parsing import clean_text
from .views import Plain

if TYPE_CHECKING:
    from .drift import Drift
    from .ingest import Ingest

log = logging.getLogger("modq.webhooks")
LAST_KEY = "webhook.last.{}"


@dataclass(frozen=True)
class DeliveryOutcome(Plain):
    delivery: int
    events: int = 0
    added: int = 0
    updated: int = 0
    dropped: int = 0
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    accounts: list[int] = field(default_factory=list)
    skipped: bool = False
    deliveries: int = 1


class Webhooks(Component):
    """Platform webhooks: deliveries stored on arrival, then processed into ingest and drift."""

    def __init__(self, core: Core, ingest: Ingest, drift: Drift) -> None:
        super().__init__(core)
        self.ingest = ingest
        self.drift = drift

    # ------------------------------------------------------------ receiving
    def accept_delivery(self, body: bytes) -> int | None:
        """Store a verified delivery; return its id, or None when the same body was stored before (a replay)."""
        return self.accept_deliveries([body])[0]

    def accept_deliveries(self, bodies: list[bytes]) -> list[int | None]:
        """Store verified deliveries in one transaction (the service's group commit); for each, its id, or None
        when the same body was stored before or earlier in the batch."""
        digests = [hashlib.sha256(body).hexdigest() for body in bodies]
        out: list[int | None] = [None] * len(bodies)
        for _attempt in range(3):
            try:
                with self.core.tx() as session:
                    known = set(
                        session.exec(
                            select(WebhookDelivery.digest).where(col(WebhookDelivery.digest).in_(set(digests)))
                        ).all()
                    )
                    rows: dict[int, WebhookDelivery] = {}
                    now = self.core.now()
                    for i, (body, digest) in enumerate(zip(bodies, digests, strict=True)):
                        if digest in known:
                            continue
                        known.add(digest)
                        rows[i] = WebhookDelivery(
                            digest=digest, body=clean_text(body.decode("utf-8", "replace")), received_at=now
                        )
                        session.add(rows[i])
                    session.flush()
                    for i, row in rows.items():
                        out[i] = row.id
                return out
            except IntegrityError:  # another process stored one of these bodies at the same moment: look again
                out = [None] * len(bodies)
        return out

    def pending_deliveries(self, limit: int = 200) -> list[tuple[int, str]]:
        with self.core.tx() as session:
            rows = session.exec(
                select(WebhookDelivery.id, WebhookDelivery.body)
                .where(col(WebhookDelivery.processed_at).is_(None))
                .order_by(col(WebhookDelivery.id))
                .limit(limit)
            ).all()
            return [(i or 0, b) for i, b in rows]

    def webhook_backlog(self) -> int:
        with self.core.tx() as session:
            return len(
                session.exec(select(WebhookDelivery.id).where(col(WebhookDelivery.processed_at).is_(None))).all()
            )

    def last_webhooks(self) -> dict[int, datetime]:
        """When each account last had a webhook event processed."""
        out: dict[int, datetime] = {}
        with self.core.tx() as session:
            for account in session.exec(select(Account)).all():
                value = self.core.get_setting(session, LAST_KEY.format(account.id))
                if value:
                    out[account.id or 0] = datetime.fromisoformat(value)
        return out

    # ------------------------------------------------------------ processing
    def process_delivery(
        self, delivery_id: int, events: list[CommentEvent], problems: list[str], ignored: int = 0
    ) -> DeliveryOutcome:
        """Act on one stored delivery's events (read from its body by the caller), then mark it processed."""
        return self.process_deliveries([(delivery_id, events, problems, ignored)])

    def process_deliveries(self, batch: list[tuple[int, list[CommentEvent], list[str], int]]) -> DeliveryOutcome:
        """Act on stored deliveries together (one ingest per account), then mark each processed."""
        with self.core.tx() as session:
            ids = [d[0] for d in batch]
            open_ids = set(
                session.exec(
                    select(WebhookDelivery.id).where(
                        col(WebhookDelivery.id).in_(ids), col(WebhookDelivery.processed_at).is_(None)
                    )
                ).all()
            )
            accounts = {(a.platform, a.external_id): a for a in session.exec(select(Account)).all()}
        todo = [d for d in batch if d[0] in open_ids]
        if not todo:
            return DeliveryOutcome(delivery=ids[0] if ids else 0, skipped=True)
        problems: list[str] = []
        dropped: dict[int, int] = defaultdict(int)
        by_account: dict[int, list[CommentEvent]] = defaultdict(list)
        for delivery_id, events, found, _ignored in todo:
            problems.extend(f"delivery {delivery_id}: {p}" for p in found)
            for event in events:
                account = accounts.get((event.platform, event.account))
                if account is None or not account.enabled:
                    dropped[delivery_id] += 1
                    why = "not watched" if account is None else "disabled"
                    log.warning("webhook event for %s account %s dropped: %s", event.platform, event.account, why)
                    continue
                by_account[account.id or 0].append(event)
        added = updated = checked = 0
        for account_id, items in by_account.items():
            a, u, c = self._webhook_account_events(account_id, items)
            added, updated, checked = added + a, updated + u, checked + c
        now = self.core.now()
        claimed = 0
        with self.core.tx() as session:
            for delivery_id, events, found, _ignored in todo:
                result = session.execute(
                    update(WebhookDelivery)
                    .where(col(WebhookDelivery.id) == delivery_id, col(WebhookDelivery.processed_at).is_(None))
                    .values(
                        processed_at=now,
                        events=len(events),
                        dropped=dropped[delivery_id],
                        problems="\n".join(found)[:4000],
                    )
                )
                claimed += int(result.rowcount or 0)  # type: ignore[attr-defined]
            for account_id in by_account:
                self.core.put_setting(session, LAST_KEY.format(account_id), now.isoformat())
        for problem in problems:
            log.warning("webhook %s", problem)
        return DeliveryOutcome(
            delivery=todo[0][0],
            events=sum(len(d[1]) + d[3] for d in todo),
            added=added,
            updated=updated,
            dropped=sum(dropped.values()),
            checked=checked,
            problems=problems,
            accounts=sorted(by_account),
            skipped=claimed == 0,
            deliveries=claimed,
        )

    def _webhook_account_events(self, account_id: int, events: list[CommentEvent]) -> tuple[int, int, int]:
        with self.core.tx() as session:
            account = self.core.account_row(session, account_id)
            ids = {e.comment_id for e in events}
            stored = {
                ext: cid
                for cid, ext in session.exec(
                    select(Comment.id, Comment.external_id).where(
                        Comment.platform == account.platform, col(Comment.external_id).in_(ids)
                    )
                ).all()
            }
        connector = None
        if self.core.connector_factory is not None:
            try:
                connector = self.core.connector_factory(account)
            except Exception as exc:  # a missing token must not lose the comments: store them anyway
                log.warning("no connector for account %s: %s", account_id, exc)
        records: dict[str, RemoteComment] = {}
        confirm: list[str] = []
        for event in events:
            if event.verb in ("add", "edit") and event.comment is not None:
                if event.verb == "add" and (event.comment_id in stored or event.comment_id in records):
                    continue  # an add carries the first text; an edit, in whatever order it came, says more
                # An add carries the first text as it is; an edit's is re-read (edits can arrive out of order).
                current = event.comment if event.verb == "add" else self._current_text(connector, event.comment)
                records[event.comment_id] = current
            elif event.verb in ("remove", "hide", "unhide") and event.comment_id in stored:
                confirm.append(event.comment_id)
        added = updated = 0
        if records:
            report = self.ingest.ingest_comments(list(records.values()), actor="system:webhook", account_id=account_id)
            added, updated = report.added, report.updated
            fresh = [ext for ext in records if ext not in stored]
            if fresh:
                self._mark_arrivals(account.platform, fresh)
        checked = 0
        if connector is not None:
            for ext in dict.fromkeys(confirm):
                checked += self._confirm_change(connector, stored[ext] or 0, ext)
        return added, updated, checked

    @staticmethod
    def _current_text(connector: object, comment: RemoteComment) -> RemoteComment:
        get_state = getattr(connector, "get_state", None)
        if get_state is None:
            return comment
        try:
            state = get_state(comment.id)
        except ConnectorError:
            return comment
        if state.exists and state.text is not None and state.text != comment.text:
            from dataclasses import replace

            return replace(comment, text=state.text)
        return comment

    def _mark_arrivals(self, platform: str, external_ids: list[str]) -> None:
        with self.core.tx() as session:
            rows = session.exec(
                select(Comment.id).where(Comment.platform == platform, col(Comment.external_id).in_(external_ids))
            ).all()
            known = set(
                session.exec(select(CommentArrival.comment_id).where(col(CommentArrival.comment_id).in_(rows))).all()
            )
            for cid in rows:
                if cid not in known:
                    session.add(CommentArrival(comment_id=cid or 0, via="webhook", at=self.core.now()))

    def _confirm_change(self, connector: object, comment_id: int, external_id: str) -> int:
        """Ask the platform what it now shows, and act only on what it confirms."""
        try:
            state = connector.get_state(external_id)  # type: ignore[attr-defined]
        except ConnectorError as exc:
            log.warning("could not confirm a webhook change to comment %s: %s", comment_id, exc)
            return 0
        with self.core.tx() as session:
            row = self.core.comment_row(session, comment_id)
            live = session.exec(
                select(OutboxAction.id).where(
                    OutboxAction.comment_id == comment_id, col(OutboxAction.status).in_(["pending", "sent"])
                )
            ).first()
            intended, deleted = row.intended_hidden, row.platform_deleted
        if not state.exists:
            return self.drift.mark_deleted(comment_id) if not deleted else 0
        if live is not None or state.hidden is None or state.hidden is intended:
            return 0  # ours in flight, unknown, or as we want it
        if intended:
            return self.drift.flag_unhidden(comment_id)
        with self.core.tx() as session:
            row = self.core.comment_row(session, comment_id)
            if row.intended_hidden:
                return 0
            self.drift.return_to_people(
                session,
                row,
                actor="system:webhook",
                action="platform_hidden",
                platform_hidden=True,
                note="hidden directly on the platform; a person decides whether it stays hidden",
            )
            return 1

    def arrival_of(self, comment_id: int) -> str:
        """``webhook`` when a webhook first delivered the comment, else ``poll or file``."""
        with self.core.tx() as session:
            row = session.get(CommentArrival, comment_id)
            return row.via if row else "poll or file"

    def delivery_row(self, delivery_id: int) -> dict[str, object] | None:
        with self.core.tx() as session:
            row = session.get(WebhookDelivery, delivery_id)
            if row is None:
                return None
            return {
                "id": row.id,
                "received_at": aware(row.received_at),
                "processed_at": aware(row.processed_at),
                "events": row.events,
                "dropped": row.dropped,
                "problems": row.problems,
            }

    def subscribe_account(self, ref: str | int, actor: str) -> AccessReport | None:
        """Subscribe an account to the platform's webhooks (admins); None when the platform has none (X)."""
        with self.core.tx() as session:
            self.core.acting(session, actor, "accounts")
            account = self.core.account_row(session, ref)
        if self.core.connector_factory is None:
            raise RuntimeError("no connector factory configured")
        subscribe = getattr(self.core.connector_factory(account), "subscribe_webhooks", None)
        if subscribe is None:
            return None
        report: AccessReport = subscribe()
        if report.ok:
            with self.core.tx() as session:
                self.core.record(
                    session,
                    "webhooks_subscribed",
                    actor,
                    {"account": account.id, "platform": account.platform, "external_id": account.external_id},
                )
        return report
