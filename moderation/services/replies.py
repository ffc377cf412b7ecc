"""Replies to authors: who may speak for the department, and templated replies sent through the outbox.

Who calls it: ``modq spokespeople add|remove|list``, ``modq reply`` and ``modq replies list|templates``.

Anything published on an official account is said by the department, so a reply is never automatic: an admin
authorises a person (``spokesperson_added``, a ledger event), and that person sends one of the templates comms
staff keep in ``policies/replies/`` under a hidden or queued comment, after seeing exactly what will be published.
The reply is an outbox row (action ``reply``) written in the same transaction as the ``reply_queued`` ledger
event; the worker (or ``modq apply``) publishes it. A retry after an unanswered attempt first asks the platform
whether the reply is already there, so it is published once. The ledger keeps who, which template, which clause
and the text (screened like any free text); a reply that would name a person protected by a suppression order is
refused before anything is written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from moderation.domain import (
    ConflictError,
    DomainError,
    InputError,
    NotFoundError,
    Role,
    RoleError,
    State,
    TransitionError,
)
from moderation.domain.replies import MAX_CHARS, STATES, ReplyTemplate, render
from moderation.reply_templates import read_templates
from moderation.store.tables import Account, Comment, Decision, Moderator, OutboxAction, ReplyRow

from .base import Component, aware
from .views import ModeratorView, Plain

# An outbox reply in one of these states will not reach the platform: the comment may have another reply.
DID_NOT_GO = ("failed", "superseded", "shadowed")
PLATFORM_LIMITS = {"x": MAX_CHARS, "facebook": 8000, "instagram": 2200}


@dataclass(frozen=True)
class ReplyPreview(Plain):
    """Exactly what ``send_reply`` would publish, and what it depends on (so a change in between is noticed)."""

    comment_id: int
    platform: str
    account_name: str
    state: str
    template: str
    clause: str
    clause_title: str
    text: str
    text_sha256: str
    version: int


@dataclass(frozen=True)
class ReplyView(Plain):
    id: int
    comment_id: int
    template: str
    clause: str
    text: str
    created_by: str
    created_at: datetime
    status: str  # the outbox row's: pending, sent, confirmed, failed...
    platform_id: str | None
    sent_at: datetime | None
    last_error: str | None


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Replies(Component):
    """Spokespeople's templated replies: preview, send (through the outbox), list."""

    # ------------------------------------------------------------ spokespeople
    def set_spokesperson(self, name: str, authorised: bool, actor: str, reason: str = "") -> ModeratorView:
        """Authorise a person to reply on the department's accounts, or withdraw it (admins only; a ledger event).

        Raises:
            RoleError: the actor is not an admin.
            NotFoundError: no such person.
            DomainError: already so; a committee member (read-only) or a deactivated person cannot be authorised.
        """
        with self.core.tx() as session:
            self.core.acting(session, actor, "authorise_replies")
            row = session.exec(select(Moderator).where(Moderator.name == name)).first()
            if row is None:
                raise NotFoundError(f"no person called '{name}' (see 'modq moderators list')")
            if row.spokesperson == authorised:
                raise DomainError(
                    f"'{name}' is {'already' if authorised else 'not'} authorised to reply; nothing was changed"
                )
            if authorised and row.role == Role.COMMITTEE.value:
                raise DomainError(f"'{name}' is a committee member (read-only) and cannot reply; change the role first")
            if authorised and not row.active:
                raise DomainError(f"'{name}' is deactivated; reactivate them first ('modq moderators reactivate')")
            row.spokesperson = authorised
            session.add(row)
            kind = "spokesperson_added" if authorised else "spokesperson_removed"
            self.core.record(session, kind, actor, {"name": name, "role": row.role, "reason": reason.strip()})
            return ModeratorView(
                name=row.name,
                role=row.role,
                active=row.active,
                created_at=aware(row.created_at),  # type: ignore[arg-type]
                spokesperson=row.spokesperson,
            )

    def spokespeople(self) -> list[ModeratorView]:
        """Everyone authorised to reply (deactivated people included, marked inactive: they cannot send)."""
        with self.core.read() as session:
            rows = session.exec(
                select(Moderator).where(col(Moderator.spokesperson).is_(True)).order_by(col(Moderator.name))
            ).all()
            return [
                ModeratorView(
                    name=m.name,
                    role=m.role,
                    active=m.active,
                    created_at=aware(m.created_at),  # type: ignore[arg-type]
                    spokesperson=True,
                )
                for m in rows
            ]

    # ------------------------------------------------------------ templates
    def reply_templates(self) -> list[ReplyTemplate]:
        """The usable templates (a template with a problem is left out: ``modq policy check`` names it)."""
        good, _ = read_templates(self.core.policy)
        return list(good.values())

    def reply_template(self, name: str) -> ReplyTemplate:
        """One usable template.

        Raises:
            InputError: no template of that name, or it has a problem (named, as ``modq policy check`` would).
        """
        good, problems = read_templates(self.core.policy)
        if name in good:
            return good[name]
        mine = [str(p) for p in problems if p.where.rsplit("/", 1)[-1] == f"{name}.txt"]
        if mine:
            raise InputError(f"template '{name}' cannot be used: {'; '.join(mine)}")
        known = ", ".join(sorted(good)) or "none (add .txt files to policies/replies/)"
        raise InputError(f"unknown reply template '{name}'; templates: {known}")

    # ------------------------------------------------------------ preview and send
    def preview_reply(self, comment_id: int, template: str, actor: str) -> ReplyPreview:
        """What a reply would publish, checked as ``send_reply`` checks it; nothing is written.

        Raises: as ``send_reply``.
        """
        chosen = self.reply_template(template)
        with self.core.read() as session:
            return self._prepare(session, comment_id, chosen, actor)

    def send_reply(
        self,
        comment_id: int,
        template: str,
        actor: str,
        *,
        expected_sha256: str | None = None,
        expected_version: int | None = None,
    ) -> ReplyView:
        """Queue a templated reply for the platform, in one transaction with its ledger event.

        ``expected_sha256`` and ``expected_version`` are what the person saw in the preview: if the text or the
        comment changed since, nothing is sent (``ConflictError``).

        Raises:
            InputError: an unknown or unusable template, or a reply too long for the platform.
            RoleError: the actor is not authorised to reply (or not an active person here).
            TransitionError: the comment is not hidden or queued, or the template is for the other state.
            DomainError: the template's clause is not one the comment cites; the comment already has a reply; it
                was deleted on the platform; its account is not set up; the reply would name a protected person.
            NotFoundError: no such comment.
            ConflictError: the comment or the text changed since the preview.
        """
        chosen = self.reply_template(template)
        with self.core.tx() as session:
            seen = self._prepare(session, comment_id, chosen, actor)
            if expected_version is not None and seen.version != expected_version:
                raise self.core.conflict(session, self.core.comment_row(session, comment_id), "preview the reply again")
            if expected_sha256 is not None and seen.text_sha256 != expected_sha256:
                raise ConflictError(
                    f"the reply's text changed since the preview (template '{template}' was edited, or the author's "
                    "name changed); nothing was sent: preview it again"
                )
            now = self.core.now()
            row = ReplyRow(
                comment_id=comment_id,
                template=chosen.name,
                template_sha256=chosen.sha256,
                clause=chosen.clause,
                text=seen.text,
                created_by=actor,
                created_at=now,
            )
            session.add(row)
            session.flush()
            comment = self.core.comment_row(session, comment_id)
            outbox = OutboxAction(
                key=f"{comment_id}:reply:{row.id}",
                comment_id=comment_id,
                decision_id=None,
                account_id=comment.account_id,
                action="reply",
                status="pending",
                next_attempt_at=now,
                created_at=now,
            )
            session.add(outbox)
            session.flush()
            row.outbox_id = outbox.id
            session.add(row)
            self.core.record(
                session,
                "reply_queued",
                actor,
                {
                    "reply": row.id,
                    "template": chosen.name,
                    "clause": chosen.clause,
                    "outbox": outbox.key,
                    "message": seen.text,
                },
                comment_id=comment_id,
            )
            return _view(row, outbox)

    def replies(self, comment_id: int | None = None) -> list[ReplyView]:
        """Replies, newest first (one comment's, or every one)."""
        with self.core.read() as session:
            query = select(ReplyRow, OutboxAction).join(
                OutboxAction, col(OutboxAction.id) == col(ReplyRow.outbox_id), isouter=True
            )
            if comment_id is not None:
                query = query.where(ReplyRow.comment_id == comment_id)
            return [_view(r, o) for r, o in session.exec(query.order_by(col(ReplyRow.id).desc())).all()]

    # ------------------------------------------------------------ the checks
    def _prepare(self, session: Session, comment_id: int, template: ReplyTemplate, actor: str) -> ReplyPreview:
        self._spokesperson(session, actor)
        row = self.core.comment_row(session, comment_id)
        state = row.state
        if state not in STATES:
            hint = (
                "; a person confirms an automatic hide first ('modq decide ID hide')"
                if state == State.AUTO_HIDDEN.value
                else ""
            )
            raise TransitionError(f"a reply goes only under a hidden or queued comment; #{row.id} is {state}{hint}")
        if state not in template.states:
            raise TransitionError(
                f"template '{template.name}' is for {' or '.join(template.states)} comments; #{row.id} is {state}"
            )
        cited = self._cited_clauses(session, row)
        if template.clause not in cited:
            said = ", ".join(sorted(cited)) if cited else "none"
            raise DomainError(
                f"template '{template.name}' cites clause {template.clause}, but comment {row.id} is {state} under "
                f"clause(s) {said}: choose a template for one of those"
            )
        if row.platform_deleted:
            raise DomainError(f"comment {row.id} was deleted on the platform: there is nothing to reply under")
        account = session.get(Account, row.account_id)
        if account is None or not account.enabled:
            raise DomainError(
                f"comment {row.id}'s account is not set up for sending (see 'modq accounts list'); nothing was sent"
            )
        earlier = session.exec(
            select(ReplyRow, OutboxAction)
            .join(OutboxAction, col(OutboxAction.id) == col(ReplyRow.outbox_id))
            .where(ReplyRow.comment_id == row.id, col(OutboxAction.status).not_in(DID_NOT_GO))
        ).first()
        if earlier is not None:
            prior, _ = earlier
            raise DomainError(
                f"comment {row.id} already has a reply (reply {prior.id}, template '{prior.template}', by "
                f"{prior.created_by} at {aware(prior.created_at):%Y-%m-%d %H:%M} UTC); one reply a comment"
            )
        clause_title = self.core.policy.clauses[template.clause].title
        text = render(
            template, author_name=row.author_name, clause_title=clause_title, policy_version=self.core.policy.version
        )
        limit = PLATFORM_LIMITS.get(row.platform, MAX_CHARS)
        if len(text) > limit:
            raise InputError(
                f"the reply would be {len(text)} characters; {row.platform} allows {limit}: shorten template "
                f"'{template.name}'"
            )
        screen = self.core.order_screen(session)
        if screen is not None and screen(text):
            raise DomainError(
                "the reply would name a person protected by a suppression order (in the author's name or the "
                "template); nothing was sent: use a template without {author_name}, such as one citing the "
                "suppression-order clause"
            )
        account_name = account.name
        return ReplyPreview(
            comment_id=row.id or 0,
            platform=row.platform,
            account_name=account_name,
            state=state,
            template=template.name,
            clause=template.clause,
            clause_title=clause_title,
            text=text,
            text_sha256=text_sha256(text),
            version=row.version,
        )

    def _spokesperson(self, session: Session, actor: str) -> Moderator:
        mod = self.core.acting(session, actor)
        if not mod.spokesperson or mod.role == Role.COMMITTEE.value:
            raise RoleError(
                f"'{actor}' is not authorised to reply on the department's accounts; an admin can authorise "
                f"them with 'modq spokespeople add {actor}'"
            )
        return mod

    def _cited_clauses(self, session: Session, row: Comment) -> set[str]:
        """The clauses a comment is queued or hidden under: those of the decision that hid it, else its findings'."""
        if row.state == State.HIDDEN.value:
            last = session.exec(
                select(Decision)
                .where(
                    Decision.comment_id == row.id,
                    Decision.to_state == State.HIDDEN.value,
                    col(Decision.undone).is_(False),
                )
                .order_by(col(Decision.id).desc())
            ).first()
            if last is not None and last.clauses:
                return {c for c in last.clauses.split(",") if c}
        return {c for c in (row.clauses or "").split(",") if c}


def _view(row: ReplyRow, outbox: OutboxAction | None) -> ReplyView:
    return ReplyView(
        id=row.id or 0,
        comment_id=row.comment_id,
        template=row.template,
        clause=row.clause,
        text=row.text,
        created_by=row.created_by,
        created_at=aware(row.created_at),  # type: ignore[arg-type]
        status=outbox.status if outbox is not None else "unknown",
        platform_id=row.platform_id,
        sent_at=aware(row.sent_at),
        last_error=outbox.last_error if outbox is not None else None,
    )
