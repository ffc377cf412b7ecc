"""Private notes on authors: what staff want the next person to know about someone who comments often.

Who calls it: ``modq notes add|list|redact``, ``modq show`` and the TUI's author pane. A note belongs to an author
(platform and author id), not to one comment, and records who wrote it and when. Notes are private: the text and
the author id are sealed fields of the ``author_note_added`` ledger event (a public export shows ``[sealed]``),
no report reads this table, and only staff who moderate (not the committee) read them. A note is redacted like
any sealed value (legal and admins), and the ledger keeps verifying.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from moderation.domain import InputError, NotFoundError, Platform, Role, RoleError
from moderation.store.tables import AuthorNote, Comment, LedgerField, Moderator

from .base import Component, Core, aware

if TYPE_CHECKING:
    from .ledger import Ledger

FIELD = "author_note"
MAX_NOTE = 2000


@dataclass(frozen=True)
class NoteView:
    id: int
    platform: str
    author_id: str
    text: str | None  # None once redacted
    created_by: str
    created_at: datetime
    event: int
    redacted_by: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["created_at"] = self.created_at.isoformat()
        return out


class Notes(Component):
    """Private notes on authors: added, listed, read with a comment, redacted."""

    def __init__(self, core: Core, ledger: Ledger) -> None:
        super().__init__(core)
        self.ledger = ledger

    def add_author_note(self, platform: str, author_id: str, text: str, actor: str) -> NoteView:
        """Write a private note on an author.

        Raises:
            InputError: an unknown platform, an empty author id, an empty or too long note.
            RoleError: the actor is not staff who moderate (committee members read reports only).
            NotFoundError: modq holds no comment by this author on this platform (a mistyped id).
        """
        platform = _platform(platform)
        author_id, text = author_id.strip(), text.strip()
        if not author_id:
            raise InputError("an author id is needed (see 'modq show ID --json': item.author_id)")
        if not text:
            raise InputError("the note is empty")
        if len(text) > MAX_NOTE:
            raise InputError(f"the note has {len(text)} characters; at most {MAX_NOTE}")
        with self.core.tx() as session:
            self._note_reader(session, actor, "write notes on authors")
            known = session.exec(
                select(Comment.id).where(Comment.platform == platform, Comment.author_id == author_id).limit(1)
            ).first()
            if known is None:
                raise NotFoundError(f"modq holds no comment by author '{author_id}' on {platform}")
            # ``author_id`` and ``author_note`` are neither public nor text keys: both are sealed as secret.
            done = self.core.record(
                session, "author_note_added", actor, {"platform": platform, "author_id": author_id, FIELD: text}
            )
            row = AuthorNote(
                platform=platform, author_id=author_id, seq=done.seq, created_by=actor, created_at=self.core.now()
            )
            session.add(row)
            session.flush()
            return self._note_view(session, row)

    def author_notes(self, platform: str, author_id: str, actor: str) -> list[NoteView]:
        """Notes on one author, oldest first.

        Raises:
            RoleError: the actor is not staff who moderate.
        """
        platform = _platform(platform)
        with self.core.read() as session:
            self._note_reader(session, actor, "read notes on authors")
            return self._notes_of(session, platform, author_id.strip())

    def notes_for_comment(self, comment_id: int, actor: str) -> list[NoteView]:
        """Notes on a comment's author, for ``modq show`` and the TUI; empty for anyone who may not read them."""
        with self.core.read() as session:
            mod = session.exec(select(Moderator).where(Moderator.name == actor)).first()
            if mod is None or not mod.active or mod.role == Role.COMMITTEE.value:
                return []
            row = self.core.comment_row(session, comment_id)
            if not row.author_id:
                return []
            return self._notes_of(session, row.platform, row.author_id)

    def redact_author_note(self, note_id: int, reason: str, actor: str) -> int:
        """Remove a note's text for good (legal and admins); returns the redaction's ledger event.

        Raises:
            NotFoundError: no such note.
            InputError: no reason.
            RoleError: the actor is not legal or an admin.
            DomainError: already redacted.
        """
        with self.core.read() as session:
            row = session.get(AuthorNote, note_id)
            if row is None:
                raise NotFoundError(f"no note {note_id}")
            seq = row.seq
        return self.ledger.redact_ledger(seq, FIELD, reason, actor)

    # ------------------------------------------------------------ helpers
    def _note_reader(self, session: Session, actor: str, what: str) -> None:
        mod = self.core.acting(session, actor)
        if mod.role == Role.COMMITTEE.value:
            raise RoleError(f"{mod.name} ({mod.role}) may not {what}: notes on authors are for staff who moderate")

    def _notes_of(self, session: Session, platform: str, author_id: str) -> list[NoteView]:
        rows = session.exec(
            select(AuthorNote)
            .where(AuthorNote.platform == platform, AuthorNote.author_id == author_id)
            .order_by(col(AuthorNote.id))
        ).all()
        return [self._note_view(session, r) for r in rows]

    def _note_view(self, session: Session, row: AuthorNote) -> NoteView:
        kept = session.get(LedgerField, (row.seq, FIELD))
        text = json.loads(kept.value) if kept is not None and kept.value is not None else None
        return NoteView(
            id=row.id or 0,
            platform=row.platform,
            author_id=row.author_id,
            text=text,
            created_by=row.created_by,
            created_at=aware(row.created_at),  # type: ignore[arg-type]
            event=row.seq,
            redacted_by=kept.redacted_by if kept is not None and kept.value is None else None,
        )


def _platform(value: str) -> str:
    try:
        return Platform(value.strip().lower()).value
    except ValueError:
        raise InputError(f"unknown platform '{value}': use {', '.join(p.value for p in Platform)}") from None
