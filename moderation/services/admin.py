"""People, accounts and the automation switch: the administrative side of the service."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, col, select

from moderation.domain import DomainError, InputError, NotFoundError, Platform, Role, RoleError
from moderation.ports import AccessReport
from moderation.store.tables import Account, Comment, Moderator, OutboxAction

from .base import Component, Core, aware
from .triage import AUTOMATION_PAUSED
from .views import AccountView, ModeratorView

if TYPE_CHECKING:
    from .transitions import Lifecycle

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


MAX_NAME = 64


def valid_name(name: str) -> str:
    """A person's name as given, or ``InputError``: not empty, no surrounding spaces, no control characters."""
    if not name or not name.strip():
        raise InputError("a person's name cannot be empty")
    if name != name.strip() or not name.isprintable() or len(name) > MAX_NAME:
        raise InputError(
            f"{name!r} is not a usable name: printable characters only, no spaces around it, at most {MAX_NAME}"
        )
    return name


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise InputError(f"unknown role '{role}': use moderator, legal, committee or admin") from None


def _person(row: Moderator) -> ModeratorView:
    return ModeratorView(
        name=row.name,
        role=row.role,
        active=row.active,
        created_at=aware(row.created_at),  # type: ignore[arg-type]
        spokesperson=row.spokesperson,
    )


class Admin(Component):
    """People and accounts: who may act and with which role, the accounts watched, the demo flag, the pause."""

    def __init__(self, core: Core, lifecycle: Lifecycle) -> None:
        super().__init__(core)
        self.lifecycle = lifecycle

    # ------------------------------------------------------------ demo
    def mark_demo(self) -> None:
        """Mark this database as one ``modq demo`` made (it may be replaced, and ``--as`` works in it)."""
        with self.core.tx() as session:
            self.core.put_setting(session, DEMO_SETTING, "1")

    def is_demo(self) -> bool:
        with self.core.tx() as session:
            return self.core.get_setting(session, DEMO_SETTING, "0") == "1"

    # ------------------------------------------------------------ who is acting
    def act_as(self, me: str, name: str | None) -> str:
        """The person a command acts as. Normally ``me`` (the operating-system user). Another ``name`` is allowed
        only in a demo database, or for an admin, whose actions are then recorded as "admin ME as NAME".

        Raises:
            InputError: an empty name.
            RoleError: ``me`` is not an admin here (and this is not a demo database).
        """
        if name is None or name == me:
            return me
        name = valid_name(name)
        if self.is_demo():
            return name
        role = self.role_of(me)
        if role != Role.ADMIN.value:
            who = f"a {role}" if role else "not a moderator here"
            raise RoleError(
                f"--as is for admins (and demo databases): '{me}' is {who}, so modq acts as '{me}'; "
                "leave out --as, or ask an admin"
            )
        self.core.on_behalf_of, self.core.stand_in = me, name
        return name

    # ------------------------------------------------------------ moderators
    def ensure_first_admin(self, name: str) -> bool:
        """Make ``name`` an admin if there are no moderators yet. Returns True if it did."""
        name = valid_name(name)
        with self.core.tx() as session:
            if session.exec(select(Moderator)).first() is not None:
                return False
            session.add(Moderator(name=name, role=Role.ADMIN.value, created_at=self.core.now()))
            self.core.record(session, "moderator_added", "system:init", {"name": name, "role": Role.ADMIN.value})
            return True

    def add_moderator(self, name: str, role: str, actor: str) -> ModeratorView:
        """Add a new person (admins only). Someone already known is refused: a role changes only through
        ``set_role``, and a deactivated person comes back only through ``reactivate``."""
        name = valid_name(name)
        _role(role)
        with self.core.tx() as session:
            self.core.acting(session, actor, "moderators")
            existing = session.exec(select(Moderator).where(Moderator.name == name)).first()
            if existing is not None:
                state = "" if existing.active else " (deactivated)"
                how = "modq moderators set-role" if existing.active else "modq moderators reactivate"
                raise DomainError(f"'{name}' is already a {existing.role}{state}; nothing was changed (use '{how}')")
            row = Moderator(name=name, role=role, created_at=self.core.now())
            session.add(row)
            self.core.record(session, "moderator_added", actor, {"name": name, "role": role})
            session.flush()
            return _person(row)

    def set_role(self, name: str, role: str, actor: str) -> ModeratorView:
        """Change a person's role (admins only), recorded in the ledger. The last active admin keeps the role."""
        _role(role)
        with self.core.tx() as session:
            self.core.acting(session, actor, "moderators")
            row = self._person_row(session, name)
            if row.role == role:
                raise DomainError(f"'{name}' is already a {role}")
            if row.role == Role.ADMIN.value and row.active:
                self._keep_an_admin(session, name)
            before = row.role
            row.role = role
            session.add(row)
            self.core.record(session, "moderator_role_changed", actor, {"name": name, "from": before, "to": role})
            return _person(row)

    def deactivate_moderator(self, name: str, actor: str, reason: str = "") -> ModeratorView:
        """Stop a person acting (admins only). They stay in the records, with their decisions."""
        with self.core.tx() as session:
            self.core.acting(session, actor, "moderators")
            row = self._person_row(session, name)
            if not row.active:
                raise DomainError(f"'{name}' is already deactivated")
            if row.role == Role.ADMIN.value:
                self._keep_an_admin(session, name)
            row.active = False
            session.add(row)
            self.core.record(
                session, "moderator_deactivated", actor, {"name": name, "role": row.role, "reason": reason}
            )
            return _person(row)

    def reactivate_moderator(self, name: str, actor: str, reason: str = "") -> ModeratorView:
        with self.core.tx() as session:
            self.core.acting(session, actor, "moderators")
            row = self._person_row(session, name)
            if row.active:
                raise DomainError(f"'{name}' is active already")
            row.active = True
            session.add(row)
            self.core.record(
                session, "moderator_reactivated", actor, {"name": name, "role": row.role, "reason": reason}
            )
            return _person(row)

    def _person_row(self, session: Session, name: str) -> Moderator:
        row = session.exec(select(Moderator).where(Moderator.name == name)).first()
        if row is None:
            raise NotFoundError(f"no person called '{name}' (see 'modq moderators list')")
        return row

    def _keep_an_admin(self, session: Session, name: str) -> None:
        others = session.exec(
            select(Moderator).where(
                Moderator.role == Role.ADMIN.value, col(Moderator.active).is_(True), Moderator.name != name
            )
        ).first()
        if others is None:
            raise DomainError(f"'{name}' is the last active admin; make someone else an admin first")

    def moderators(self) -> list[ModeratorView]:
        with self.core.tx() as session:
            return [_person(m) for m in session.exec(select(Moderator).order_by(col(Moderator.name))).all()]

    def role_of(self, name: str) -> str | None:
        with self.core.tx() as session:
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
        with self.core.tx() as session:
            self.core.acting(session, actor, "accounts")
            row = session.exec(
                select(Account).where(Account.platform == platform, Account.external_id == external_id)
            ).first()
            now = self.core.now()
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
            self.core.record(
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
        with self.core.tx() as session:
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
        now = self.core.now()
        shadowed: list[int] = []
        kept = 0
        orders = self.lifecycle.orders_in_force(session) if backlog == BACKLOG_SHADOW else []
        for action in held:
            comment = session.get(Comment, action.comment_id)
            assert comment is not None
            if backlog == BACKLOG_ACT:
                continue
            if action.action == "hide" and orders and self.lifecycle.is_protected(session, comment, orders):
                kept += 1  # a protected name is hidden whatever the backlog choice
                continue
            action.status = "shadowed"
            action.done_at = now
            session.add(action)
            shadowed.append(comment.id or 0)
            if action.action == "reply":
                continue  # a reply not sent changes nothing the platform shows
            # The platform was never changed, so what modq means the platform to show is what it shows.
            comment.intended_hidden = bool(comment.platform_hidden)
            session.add(comment)
        self.core.record(
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
        with self.core.tx() as session:
            return [account_view(a) for a in session.exec(select(Account).order_by(col(Account.id))).all()]

    def account(self, ref: str | int) -> AccountView:
        with self.core.tx() as session:
            return account_view(self.core.account_row(session, ref))

    def check_access(self, ref: str) -> AccessReport:
        """Build the account's connector as the worker does and ask the platform what its token may do."""
        factory = self.core.connector_factory
        if factory is None:
            raise DomainError("this service was built without connectors: it cannot reach a platform")
        with self.core.tx() as session:
            connector = factory(self.core.account_row(session, ref))
        return connector.check_access()

    def remove_account(self, ref: str, actor: str) -> AccountView:
        """Stop polling an account. Its comments and records stay."""
        with self.core.tx() as session:
            self.core.acting(session, actor, "accounts")
            row = self.core.account_row(session, ref)
            row.enabled = False
            session.add(row)
            self.core.record(session, "account_removed", actor, {"account": row.id, "external_id": row.external_id})
            return account_view(row)

    # ------------------------------------------------------------ automation switch
    def set_automation(self, paused: bool, actor: str, reason: str = "") -> None:
        with self.core.tx() as session:
            self.core.acting(session, actor, "automation")
            self.core.put_setting(session, AUTOMATION_PAUSED, "1" if paused else "0")
            self.core.record(
                session, "automation_paused" if paused else "automation_resumed", actor, {"reason": reason}
            )
