"""The records ledger as people use it: verify, export (public or internal), redact.

Who calls it: ``modq ledger verify|export|redact``, and a comment's story (``modq show``, the TUI), which reads the
internal view. Only legal and admins may redact or take the internal form: it holds protected names.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlmodel import Session

from moderation.domain import InputError, NotFoundError, Role, RoleError
from moderation.store import ledger

from .base import Component
from .views import LedgerView

FORMS = ("public", "internal")
RECORDS_ROLES = (Role.LEGAL.value, Role.ADMIN.value)


class Ledger(Component):
    """The records ledger: verify, list, export (public or internal) and redact."""

    def ledger_verify(self) -> ledger.VerifyResult:
        # A reading transaction: verifying a long chain never holds up the worker's writes.
        with self.core.read() as session:
            return ledger.verify(session)

    def ledger_events(self, start: datetime, end: datetime) -> Iterator[LedgerView]:
        """Events in ``[start, end)`` with their sealed values opened (the staff view)."""
        with self.core.read() as session:
            for part in _chunks(ledger.events_between(session, _iso(start), _iso(end))):
                for ev in ledger.open_events(session, part):
                    yield self.ledger_view(ev)

    def ledger_export(self, form: str, start: datetime, end: datetime, actor: str) -> Iterator[dict[str, Any]]:
        """Rows for a records request. ``public``: pseudonyms for people, no sealed, withheld or redacted value,
        free text screened again against the orders now in force. ``internal``: everything kept, for legal.

        Raises:
            InputError: ``form`` is not public or internal.
            RoleError: the internal form asked for by someone who is not legal or an admin.
        """
        if form not in FORMS:
            raise InputError(f"--form must be public or internal, not '{form}'")
        with self.core.read() as session:
            if form == "internal":
                self.records_person(session, actor, "take the internal form of the ledger")
                render = ledger.internal_row
            else:
                render = ledger.PublicForm(session, self.core.order_screen(session)).row
            for part in _chunks(ledger.events_between(session, _iso(start), _iso(end))):
                for ev in ledger.open_events(session, part, chained=True):
                    yield render(ev)

    def redact_ledger(self, seq: int, field: str, reason: str, actor: str) -> int:
        """Remove one sensitive value from ledger event ``seq``; returns the redaction event's number.

        Raises:
            InputError: no reason given.
            RoleError: the actor is not legal or an admin.
            NotFoundError: no such event.
            DomainError: no such sealed field on it (the message lists them), or already redacted.
        """
        reason = " ".join(reason.split())
        if not reason:
            raise InputError("a redaction needs a reason (--reason): it is kept in the ledger")
        with self.core.tx() as session:
            self.records_person(session, actor, "redact the ledger")
            field = field.strip()
            kept = ledger.kept_fields(session, seq)
            if kept is None:
                raise NotFoundError(f"no ledger event {seq}")
            if field not in kept:
                raise InputError(
                    f"event {seq} has no sealed field '{field}'; fields that can be redacted: {ledger.redactable(kept)}"
                )
            done = ledger.redact(
                session, seq, field, reason, actor, self.core.now(), screen=self.core.order_screen(session)
            )
            for name in done.withheld:
                self.core.notices.append(
                    f"the {name} names a person protected by a suppression order: ledger event {done.seq} keeps it "
                    "sealed and public exports show it as withheld"
                )
            return done.seq

    def ledger_view(self, ev: ledger.OpenEvent) -> LedgerView:
        return LedgerView(seq=ev.seq, at=ev.at, kind=ev.kind, actor=ev.actor, payload=ev.payload)

    def records_person(self, session: Session, actor: str, what: str) -> None:
        mod = self.core.acting(session, actor)
        if mod.role not in RECORDS_ROLES:
            raise RoleError(f"{mod.name} ({mod.role}) may not {what}: only legal and admins can")


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="microseconds")


def _chunks(events: Iterator[Any], n: int = 1000) -> Iterator[list[Any]]:
    part: list[Any] = []
    for ev in events:
        part.append(ev)
        if len(part) >= n:
            yield part
            part = []
    if part:
        yield part
