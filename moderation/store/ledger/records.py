"""Reading the ledger back: the internal view (sealed values opened), the public form, and lawful redaction.

Who calls it: the service's ledger methods (``modq ledger export|redact``, a comment's story in ``modq show`` and
the TUI). The internal view is for staff and legal; the public form is what a records request receives: no
person's name (pseudonyms instead), no sealed value, no withheld or redacted text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from moderation.domain import DomainError, NotFoundError
from moderation.store.tables import Comment, LedgerEvent, LedgerField, Moderator

from . import seal as sealing
from .chain import REDACTED, Appended, alias_key, append_event, fields_for, hashes_of

WITHHELD = "[withheld: names a person protected by a suppression order]"
SEALED = "[sealed]"


@dataclass(frozen=True)
class OpenEvent:
    """One event with its sealed values put back (``None`` where a value was redacted)."""

    seq: int
    at: str
    kind: str
    comment_id: int | None
    actor: str
    public_actor: str
    payload: dict[str, Any]
    chained: dict[str, Any]
    classes: dict[str, str] = field(default_factory=dict)
    withheld: tuple[str, ...] = ()
    redacted: dict[str, int] = field(default_factory=dict)
    hash: str = ""
    prev_hash: str = ""


def open_events(session: Session, events: Iterable[LedgerEvent], chained: bool = False) -> list[OpenEvent]:
    """``events`` with their kept values; with ``chained``, each also names the hash of the event before it (which
    is not stored twice: it is read from that event), as exports show."""
    rows = list(events)
    kept = fields_for(session, [e.seq for e in rows])
    known: dict[int, str] = {}
    if chained:
        known = {e.seq: bytes(e.hash).hex() for e in rows}
        known.update(hashes_of(session, sorted({e.seq - 1 for e in rows} - set(known))))
    return [_open(e, kept.get(e.seq, {}), known.get(e.seq - 1, "")) for e in rows]


def _open(ev: LedgerEvent, kept: dict[str, LedgerField], prev_hash: str) -> OpenEvent:
    chained = json.loads(ev.payload)
    payload: dict[str, Any] = {}
    classes: dict[str, str] = {}
    withheld: list[str] = []
    redacted: dict[str, int] = {}
    actor = ev.actor
    for name, value in chained.items():
        row = kept.get(name) if isinstance(value, dict) and sealing.SEAL in value else None
        if row is None:
            payload[name] = value
            continue
        classes[name] = row.kind
        plain = None if row.value is None else json.loads(row.value)
        if row.value is None:
            redacted[name] = row.redacted_by or 0
        if row.withheld:
            withheld.append(name)
        if name == sealing.ACTOR:
            actor = plain if isinstance(plain, str) else ev.actor
        else:
            payload[name] = plain
    return OpenEvent(
        seq=ev.seq,
        at=ev.at,
        kind=ev.kind,
        comment_id=ev.comment_id,
        actor=actor,
        public_actor=ev.actor,
        payload=payload,
        chained=chained,
        classes=classes,
        withheld=tuple(withheld),
        redacted=redacted,
        hash=bytes(ev.hash).hex(),
        prev_hash=prev_hash,
    )


def internal_row(ev: OpenEvent) -> dict[str, Any]:
    return {
        "seq": ev.seq,
        "at": ev.at,
        "kind": ev.kind,
        "comment_id": ev.comment_id,
        "actor": ev.actor,
        "payload": ev.payload,
        "withheld": list(ev.withheld),
        "redacted": {k: {"by_event": v} for k, v in ev.redacted.items()},
        "hash": ev.hash,
        "prev_hash": ev.prev_hash,
    }


class PublicForm:
    """Renders events for a public export.

    Free text that passed screening is shown, with every staff name and the commenter's own names replaced by
    their pseudonyms; ``screen`` is asked again at export time, since an order made after a note was written
    can make it unlawful to publish.
    """

    def __init__(self, session: Session, screen: Callable[[str], bool] | None = None) -> None:
        self.session = session
        self.screen = screen
        self.key = alias_key(session)
        staff = {m.name: sealing.alias(self.key, sealing.STAFF, m.name) for m in session.exec(select(Moderator))}
        self._staff = staff
        self._staff_re = _names_re(staff)
        self._commenters: dict[int, tuple[re.Pattern[str] | None, dict[str, str]]] = {}

    def row(self, ev: OpenEvent) -> dict[str, Any]:
        payload: dict[str, Any] = {}
        for name, value in ev.chained.items():
            if name == sealing.ACTOR:
                continue
            if not (isinstance(value, dict) and sealing.SEAL in value):
                payload[name] = value
                continue
            payload[name] = self._shown(ev, name, value)
        return {
            "seq": ev.seq,
            "at": ev.at,
            "kind": ev.kind,
            "comment_id": ev.comment_id,
            "actor": ev.public_actor,
            "payload": payload,
            "redacted": {k: {"by_event": v} for k, v in ev.redacted.items()},
            "hash": ev.hash,
            "prev_hash": ev.prev_hash,
        }

    def _shown(self, ev: OpenEvent, name: str, marker: dict[str, str]) -> Any:
        if name in ev.redacted:
            return f"[redacted by event {ev.redacted[name]}]"
        cls = ev.classes.get(name, sealing.SECRET)
        if cls in (sealing.STAFF, sealing.COMMENTER):
            return marker.get(sealing.ALIAS, SEALED)
        value = ev.payload.get(name)
        if cls != sealing.TEXT or not isinstance(value, str):
            return SEALED
        if name in ev.withheld or (self.screen is not None and self.screen(value)):
            return WITHHELD
        return self.scrub(value, ev.comment_id)

    def scrub(self, value: str, comment_id: int | None) -> str:
        if self._staff_re is not None:
            value = self._staff_re.sub(lambda m: self._staff.get(m.group(0)) or _fold_get(self._staff, m), value)
        if comment_id is not None:
            pattern, names = self._commenter(comment_id)
            if pattern is not None:
                value = pattern.sub(lambda m: _fold_get(names, m), value)
        return value

    def _commenter(self, comment_id: int) -> tuple[re.Pattern[str] | None, dict[str, str]]:
        if comment_id not in self._commenters:
            row = self.session.get(Comment, comment_id)
            names: dict[str, str] = {}
            if row is not None and row.author_name:
                shown = sealing.alias(self.key, sealing.COMMENTER, row.author_name)
                names = {n: shown for n in (row.author_name, row.author_handle) if n}
            if len(self._commenters) > 10_000:
                self._commenters.clear()
            self._commenters[comment_id] = (_names_re(names), names)
        return self._commenters[comment_id]


def _names_re(names: dict[str, str]) -> re.Pattern[str] | None:
    usable = sorted((n for n in names if n.strip()), key=len, reverse=True)
    if not usable:
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in usable), re.IGNORECASE)


def _fold_get(names: dict[str, str], m: re.Match[str]) -> str:
    found = m.group(0).casefold()
    for n, shown in names.items():
        if n.casefold() == found:
            return shown
    return "[name]"


def kept_fields(session: Session, seq: int) -> dict[str, LedgerField] | None:
    """The sealed fields of event ``seq`` (redacted ones included); None when there is no such event."""
    if session.get(LedgerEvent, seq) is None:
        return None
    return {r.field: r for r in session.exec(select(LedgerField).where(LedgerField.seq == seq)).all()}


def redactable(fields: dict[str, LedgerField]) -> str:
    return ", ".join(sorted(k for k, r in fields.items() if r.value is not None)) or "none"


def redact(
    session: Session,
    seq: int,
    name: str,
    reason: str,
    actor: str,
    at: datetime,
    screen: sealing.Screen | None = None,
) -> Appended:
    """Remove one sealed value of event ``seq`` and record who, when, why and which field as a new event.

    Raises:
        NotFoundError: no event ``seq``.
        DomainError: the event has no such sealed field (the message lists those it has), or it was already
            redacted.
    """
    ev = session.get(LedgerEvent, seq)
    if ev is None:
        raise NotFoundError(f"no ledger event {seq}")
    kept = kept_fields(session, seq) or {}
    row = kept.get(name)
    if row is None:
        raise DomainError(
            f"event {seq} ({ev.kind}) has no sealed field '{name}'; fields that can be redacted: {redactable(kept)}"
        )
    if row.value is None:
        raise DomainError(f"'{name}' of event {seq} was already redacted (event {row.redacted_by})")
    done = append_event(
        session, REDACTED, actor, at, {"event": seq, "field": name, "reason": reason}, ev.comment_id, screen
    )
    session.execute(
        update(LedgerField)
        .where(col(LedgerField.seq) == seq, col(LedgerField.field) == name)
        .values(value=None, salt=None, redacted_by=done.seq)
    )
    return done
