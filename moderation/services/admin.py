"""People, accounts and the automation switch: the administrative side of the service."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from moderation.domain import DomainError, InputError, Platform, Role
from moderation.store.tables import Account, Comment, Moderator, OutboxAction

from .base import ServiceBase, aware
from .triage import AUTOMATION_PAUSED
from .views import AccountView, ModeratorView

DEMO_SETTING = "demo_database"
BACKLOG_SHADOW, BACKLOG_ACT = "shadow", "act"
BACKLOG_CHOICES = (BACKLOG_SHADOW, BACKLOG_ACT)  # the same key moderation.demo_loader reads without opening a service


def account_view(a: Account) -> AccountView:
    return AccountView(
        id=a.id or 0,
        platform=a.platform,
        external_id=a.external_id,
        name=a.name,
        token_env=a.token_env,
        api_base=a.api_base,
        poll_seconds=a.poll_seconds,
        enabled=a.enabled,
        activated_at=aware(a.activated_at),
        last_poll_at=aware(a.last_poll_at),
        last_error=a.last_error,
        cursor=a.cursor,
        settings=json.loads(a.settings or "{}"),
    )


class AdminMixin(ServiceBase):
    # ------------------------------------------------------------ demo
    def mark_demo(self) -> None:
        """Mark this database as one ``modq demo`` made (it may be replaced, and ``--as`` works in it)."""
        with self.tx() as session:
            self.put_setting(session, DEMO_SETTING, "1")

    def is_demo(self) -> bool:
        with self.tx() as session:
            return self.get_setting(session, DEMO_SETTING, "0") == "1"

    # ------------------------------------------------------------ moderators
    def ensure_first_admin(self, name: str) -> bool:
        """Make ``name`` an admin if there are no moderators yet. Returns True if it did."""
        with self.tx() as session:
            if session.exec(select(Moderator)).first() is not None:
                return False
            session.add(Moderator(name=name, role=Role.ADMIN.value, created_at=self.now()))
            self.record(session, "moderator_added", "system:init", {"name": name, "role": Role.ADMIN.value})
            return True

    def add_moderator(self, name: str, role: str, actor: str) -> ModeratorView:
        try:
            Role(role)
        except ValueError:
            raise InputError(f"unknown role '{role}': use moderator, legal, committee or admin") from None
        with self.tx() as session:
            self.acting(session, actor, "moderators")
            existing = session.exec(select(Moderator).where(Moderator.name == name)).first()
            if existing is not None:
                if existing.role == role and existing.active:
                    raise DomainError(f"'{name}' is already a {role}")
                existing.role = role
                existing.active = True
                row = existing
            else:
                row = Moderator(name=name, role=role, created_at=self.now())
            session.add(row)
            self.record(session, "moderator_added", actor, {"name": name, "role": role})
            session.flush()
            return ModeratorView(name=row.name, role=row.role, active=row.active, created_at=aware(row.created_at))  # type: ignore[arg-type]

    def moderators(self) -> list[ModeratorView]:
        with self.tx() as session:
            return [
                ModeratorView(name=m.name, role=m.role, active=m.active, created_at=aware(m.created_at))  # type: ignore[arg-type]
                for m in session.exec(select(Moderator).order_by(col(Moderator.name))).all()
            ]

    def role_of(self, name: str) -> str | None:
        with self.tx() as session:
            m = session.exec(select(Moderator).where(Moderator.name == name)).first()
            return m.role if m and m.active else None

    # ------------------------------------------------------------ accounts
    def add_account(
        self,
        platform: str,
        external_id: str,
        name: str,
        actor: str,
        *,
        token_env: str | None = None,
        api_base: str | None = None,
        poll_seconds: int = 300,
        settings: dict[str, str] | None = None,
        activated_at: datetime | None = None,
        backlog: str = BACKLOG_SHADOW,
    ) -> AccountView:
        """Watch an account (or switch one on again). Automation acts only on comments that arrive from now on.

        An account modq already holds comments for (registered by ``modq ingest``, or removed earlier) may have
        platform actions held while it was not set up. ``backlog`` says what becomes of them: ``shadow`` (the
        default) records them as not sent and leaves the platform as it is, except hides of comments naming a
        person protected by a suppression order in force, which are sent (the law requires them); ``act``
        releases them all to the worker. Either way one ``account_backlog`` ledger event says how many.
        """
        if backlog not in BACKLOG_CHOICES:
            raise InputError(f"unknown --backlog '{backlog}': use {' or '.join(BACKLOG_CHOICES)}")
        try:
            Platform(platform)
        except ValueError:
            if platform != "replay":
                raise InputError(f"unknown platform '{platform}': use facebook, instagram or x") from None
        if poll_seconds < 10:
            raise InputError("--poll-seconds must be at least 10")
        with self.tx() as session:
            self.acting(session, actor, "accounts")
            row = session.exec(
                select(Account).where(Account.platform == platform, Account.external_id == external_id)
            ).first()
            now = self.now()
            if row is None:
                row = Account(platform=platform, external_id=external_id, name=name, created_at=now)
            row.name = name
            row.token_env = token_env
            row.api_base = api_base
            row.poll_seconds = poll_seconds
            row.settings = json.dumps(settings or {}, sort_keys=True)
            was_enabled = row.enabled and row.id is not None
            row.enabled = True
            # Automation acts only on comments that arrive after the account is switched on.
            row.activated_at = activated_at or now
            session.add(row)
            session.flush()
            if not was_enabled:
                self._settle_backlog(session, row, backlog, actor)
            self.record(
                session,
                "account_added",
                actor,
                {
                    "account": row.id,
                    "platform": platform,
                    "external_id": external_id,
                    "name": name,
                    "poll_seconds": poll_seconds,
                    "activated_at": aware(row.activated_at).isoformat(),  # type: ignore[union-attr]
                },
            )
            return account_view(row)

    def account_history(self, platform: str, external_id: str) -> tuple[int, int]:
        """(comments stored, platform actions held) for an account not yet watched; (0, 0) if modq has none."""
        with self.tx() as session:
            row = session.exec(
                select(Account).where(Account.platform == platform, Account.external_id == external_id)
            ).first()
            if row is None or row.enabled:
                return 0, 0
            comments = session.exec(select(func.count()).select_from(Comment).where(Comment.account_id == row.id)).one()
            return int(comments), len(self._held(session, row))

    def _held(self, session: Session, account: Account) -> list[OutboxAction]:
        return list(
            session.exec(
                select(OutboxAction)
                .where(
                    OutboxAction.account_id == account.id,
                    col(OutboxAction.status).in_(["pending", "sent"]),
                )
                .order_by(col(OutboxAction.id))
            ).all()
        )

    def _settle_backlog(self, session: Session, account: Account, backlog: str, actor: str) -> None:
        held = self._held(session, account)
        if not held:
            return
        now = self.now()
        shadowed: list[int] = []
        kept = 0
        orders = self.orders_in_force(session) if backlog == BACKLOG_SHADOW else []  # type: ignore[attr-defined]
        for action in held:
            comment = session.get(Comment, action.comment_id)
            assert comment is not None
            if backlog == BACKLOG_ACT:
                continue
            if action.action == "hide" and orders and self.is_protected(session, comment, orders):  # type: ignore[attr-defined]
                kept += 1  # a protected name is hidden whatever the backlog choice
                continue
            action.status = "shadowed"
            action.done_at = now
            session.add(action)
            # The platform was never changed, so what modq means the platform to show is what it shows.
            comment.intended_hidden = bool(comment.platform_hidden)
            session.add(comment)
            shadowed.append(comment.id or 0)
        self.record(
            session,
            "account_backlog",
            actor,
            {
                "account": account.id,
                "backlog": backlog,
                "held": len(held),
                "released": len(held) if backlog == BACKLOG_ACT else kept,
                "kept_for_suppression_orders": kept,
                "shadowed": len(shadowed),
                "comments": sorted(set(shadowed)),
            },
        )

    def accounts(self) -> list[AccountView]:
        with self.tx() as session:
            return [account_view(a) for a in session.exec(select(Account).order_by(col(Account.id))).all()]

    def account(self, ref: str | int) -> AccountView:
        with self.tx() as session:
            return account_view(self.account_row(session, ref))

    def remove_account(self, ref: str, actor: str) -> AccountView:
        """Stop polling an account. Its comments and records stay."""
        with self.tx() as session:
            self.acting(session, actor, "accounts")
            row = self.account_row(session, ref)
            row.enabled = False
            session.add(row)
            self.record(session, "account_removed", actor, {"account": row.id, "external_id": row.external_id})
            return account_view(row)

    # ------------------------------------------------------------ automation switch
    def set_automation(self, paused: bool, actor: str, reason: str = "") -> None:
        with self.tx() as session:
            self.acting(session, actor, "automation")
            self.put_setting(session, AUTOMATION_PAUSED, "1" if paused else "0")
            self.record(session, "automation_paused" if paused else "automation_resumed", actor, {"reason": reason})
