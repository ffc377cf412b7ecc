"""What every collaborator of the service shares: transactions, the clock, the acting person, the ledger writer.

``Core`` holds the database engines, the settings, the policy and the clock, and the helpers every use case needs
inside its transaction. Each collaborator (``Component``) is built on the one ``Core`` by
``moderation.bootstrap``, opens its own transactions with ``core.tx()`` and reaches other collaborators only
through the typed references it is given.

Every public method of ``ModerationService`` runs in one transaction: the state change, its
decision row, its outbox row and its ledger event commit together or not at all.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from moderation.config import Settings
from moderation.domain import ConflictError, InputError, NotFoundError, Role, RoleError
from moderation.domain.states import check_role
from moderation.store import ledger
from moderation.store.db import read_scope, session_scope
from moderation.store.tables import (
    Account,
    Comment,
    Decision,
    Escalation,
    Moderator,
    OutboxAction,
    Setting,
    SuppressionOrderRow,
)

if TYPE_CHECKING:
    from moderation.ports import Connector
    from moderation.rules import Policy

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    """Rows read back from SQLite may come without a zone; they are UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


_KEEP = re.compile(r"[^0-9a-z]+")


# One encoder for every call (``json.dumps`` with options builds a new one each time; triage dumps per comment).
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def text_key(text: str) -> str:
    """A key equal for near-identical texts: case, accents, spacing and punctuation ignored.

    The first 64 bits of the SHA-1 in hex: it only finds repeats of a text (two different texts sharing a key
    by chance is out of reach at any realistic number of comments), and it is stored and indexed per comment.
    """
    folded = unicodedata.normalize("NFKD", text).casefold()
    squashed = _KEEP.sub("", folded)
    if len(squashed) < 12:
        return ""
    return hashlib.sha1(squashed.encode()).hexdigest()[:16]


class Core:
    # Set by ``act_as`` when an admin acts as another person: the ledger records "admin ON_BEHALF_OF as STAND_IN".
    on_behalf_of: str | None = None
    stand_in: str | None = None
    # Set by ``modq run`` once the worker is registered: outbox claims record it (see ``services.workers``).
    worker_id: int | None = None

    def __init__(
        self,
        engine: Engine,
        settings: Settings | None = None,
        policy: Policy | None = None,
        clock: Clock = utcnow,
        connector_factory: Callable[[Account], Connector] | None = None,
        read_engine: Engine | None = None,
    ) -> None:
        self.engine = engine
        self.read_engine = read_engine or engine
        self.settings = settings or Settings()
        self._policy = policy
        self.clock = clock
        self.connector_factory = connector_factory
        # What people must be told about what was written for them (e.g. a note withheld from the public ledger).
        self.notices: list[str] = []

    # ------------------------------------------------------------ plumbing
    @property
    def policy(self) -> Policy:
        if self._policy is None:
            from moderation.rules import load_policy

            self._policy = load_policy(self.settings.policy_dir)
        return self._policy

    @contextmanager
    def tx(self) -> Iterator[Session]:
        with session_scope(self.engine) as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A transaction that only reads (never blocks on SQLite writers, always rolled back)."""
        with read_scope(self.read_engine) as session:
            yield session

    def now(self) -> datetime:
        return self.clock()

    def record(
        self,
        session: Session,
        kind: str,
        actor: str,
        payload: dict[str, Any],
        comment_id: int | None = None,
    ) -> ledger.Appended:
        if self.stand_in is not None and actor == self.stand_in:
            actor = f"admin {self.on_behalf_of} as {actor}"  # an admin acting as someone else, said so in the record
        screen = self.order_screen(session) if ledger.free_text(kind, payload) else None
        done = ledger.append_event(session, kind, actor, self.now(), payload, comment_id=comment_id, screen=screen)
        for name in done.withheld:
            self.notices.append(
                f"the {name} names a person protected by a suppression order: ledger event {done.seq} keeps it "
                "sealed and public exports show it as withheld"
            )
        return done

    def record_many(self, session: Session, events: list[ledger.Pending]) -> list[int]:
        """``record`` for many events at once, in order (one ledger append for a batch); returns their numbers."""
        if not events:
            return []
        if self.stand_in is not None:
            events = [
                ledger.Pending(ev.kind, f"admin {self.on_behalf_of} as {ev.actor}", ev.payload, ev.comment_id)
                if ev.actor == self.stand_in
                else ev
                for ev in events
            ]
        needs_screen = any(ledger.free_text(ev.kind, ev.payload) for ev in events)
        screen = self.order_screen(session) if needs_screen else None
        done = ledger.append_many(session.connection(), self.now(), events, screen)
        for appended in done:
            for name in appended.withheld:
                self.notices.append(
                    f"the {name} names a person protected by a suppression order: ledger event {appended.seq} keeps "
                    "it sealed and public exports show it as withheld"
                )
        return [a.seq for a in done]

    def order_screen(self, session: Session) -> Callable[[str], bool] | None:
        """Whether a text names a person protected by an order that is in force or still to come (an order
        made today for tomorrow must keep the name out of a record published tonight). None without orders."""
        from moderation.domain import SuppressionOrder
        from moderation.rules.screen import TextScreen

        now = self.now()
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        orders: list[SuppressionOrder] = []
        for row in session.exec(select(SuppressionOrderRow).where(col(SuppressionOrderRow.revoked_at).is_(None))):
            until = aware(row.until)
            if until is not None and until <= now:
                continue
            terms = tuple(json.loads(row.terms))
            orders.append(SuppressionOrder(row.id or 0, row.case, row.court, terms, epoch, until))
        if not orders:
            return None
        return TextScreen(self.policy.order_matcher(orders, now), orders)

    def take_notices(self) -> list[str]:
        taken = list(self.notices)
        del self.notices[: len(taken)]
        return taken

    # ------------------------------------------------------------ people
    def acting(self, session: Session, name: str, right: str | None = None) -> Moderator:
        """Load the acting moderator and check one right; raises a clear error if either fails."""
        mod = session.exec(select(Moderator).where(Moderator.name == name)).first()
        if mod is not None and not mod.active:
            raise RoleError(f"'{name}' was deactivated; an admin can reactivate them with 'modq moderators reactivate'")
        if mod is None:
            raise RoleError(f"'{name}' is not a moderator here; an admin can add them with 'modq moderators add'")
        if right is not None:
            check_role(Role(mod.role), right, mod.name)
        return mod

    def conflict(self, session: Session, row: Comment, outcome: str = "look again before deciding") -> ConflictError:
        """The error for someone who acted on a comment another person (or automation) changed first: who
        decided first, what and when, and the comment's state now."""
        fresh = session.get(Comment, row.id, populate_existing=True)
        state = fresh.state if fresh else "gone"
        last = session.exec(
            select(Decision).where(Decision.comment_id == row.id).order_by(Decision.id.desc())  # type: ignore[union-attr]
        ).first()
        if last is None:
            return ConflictError(f"someone else changed this comment first; it is now {state}: {outcome}")
        who = f"automation ({last.actor.removeprefix('auto:')})" if last.actor.startswith("auto:") else last.actor
        when = aware(last.created_at)
        return ConflictError(
            f"{who} decided first ({last.action.replace('_', ' ')} at {when:%Y-%m-%d %H:%M:%S} UTC); "
            f"the comment is now {state}: {outcome}"
        )

    # ------------------------------------------------------------ lookups
    def comment_row(self, session: Session, comment_id: int) -> Comment:
        row = session.get(Comment, comment_id, populate_existing=True)
        if row is None:
            raise NotFoundError(f"no comment with id {comment_id}")
        return row

    def account_row(self, session: Session, ref: str | int) -> Account:
        row: Account | None = None
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            row = session.get(Account, int(ref))
        if row is None:
            row = session.exec(select(Account).where(Account.external_id == str(ref))).first()
        if row is None:
            row = session.exec(select(Account).where(Account.name == str(ref))).first()
        if row is None:
            raise NotFoundError(f"no account '{ref}' (see 'modq accounts list')")
        return row

    def get_setting(self, session: Session, key: str, default: str = "") -> str:
        row = session.get(Setting, key)
        return row.value if row else default

    def put_setting(self, session: Session, key: str, value: str) -> None:
        row = session.get(Setting, key)
        if row is None:
            row = Setting(key=key, value=value, updated_at=self.now())
        else:
            row.value = value
            row.updated_at = self.now()
        session.add(row)

    # ------------------------------------------------------------ platform visibility
    def set_intended_visibility(
        self, session: Session, comment: Comment, hidden: bool, decision_id: int | None, *, force: bool = False
    ) -> OutboxAction | None:
        """Record what the platform should show; queue the platform action in the same transaction."""
        if comment.intended_hidden == hidden and not force:
            return None
        comment.intended_hidden = hidden
        action = "hide" if hidden else "unhide"
        opposite = "unhide" if hidden else "hide"
        # An opposite action not yet attempted is no longer wanted.
        for row in session.exec(
            select(OutboxAction).where(
                OutboxAction.comment_id == comment.id,
                OutboxAction.action == opposite,
                OutboxAction.status == "pending",
                OutboxAction.attempts == 0,
            )
        ).all():
            row.status = "superseded"
            row.done_at = self.now()
            session.add(row)
        key = f"{comment.id}:{action}:{decision_id if decision_id is not None else 'sys-' + str(comment.version)}"
        row = OutboxAction(
            key=key,
            comment_id=comment.id or 0,
            decision_id=decision_id,
            account_id=comment.account_id,
            action=action,
            status="pending",
            next_attempt_at=self.now(),
            created_at=self.now(),
        )
        session.add(row)
        return row

    @staticmethod
    def dumps(value: Any) -> str:
        return _ENCODER.encode(value)

    def require_clause(self, clause: str) -> str:
        if clause not in self.policy.clauses:
            known = ", ".join(sorted(self.policy.clauses))
            raise InputError(f"clause '{clause}' is not in the published policy (clauses: {known})")
        return clause

    def sla_hours(self, route: str) -> float:
        """Hours a route has to answer an escalation."""
        return {
            "legal": self.settings.sla_legal_hours,
            "privacy": self.settings.sla_privacy_hours,
            "media": self.settings.sla_media_hours,
        }.get(route, self.settings.sla_media_hours)

    def open_escalation(
        self,
        session: Session,
        row: Comment,
        decision_id: int | None,
        route: str,
        clause: str,
        note: str,
        assignee: str | None,
    ) -> Escalation:
        hours = self.sla_hours(route)
        esc = Escalation(
            comment_id=row.id or 0,
            decision_id=decision_id,
            route=route,
            status="open",
            assignee=assignee,
            clause=clause,
            notes=note,
            due_at=self.now() + timedelta(hours=hours),
            created_at=self.now(),
        )
        session.add(esc)
        session.flush()
        return esc


class Component:
    """A collaborator of the service: one group of use cases, working through the shared ``Core``."""

    def __init__(self, core: Core) -> None:
        self.core = core
