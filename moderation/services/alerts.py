"""Alerts that need a person: found by the worker, listed and acknowledged by people, emailed as a digest.

Some alerts are written where something happens (a circuit breaker trips, a rule is demoted, a platform
refuses an action). Others are *conditions* nobody writes down as they happen, so ``scan_alerts`` looks for
them on every run of the worker's alerts job:

* ``sla_due``: a legal escalation due within the hour (legal's SLA is the short one: defamation and
  suppression orders cannot wait);
* ``sla_breach``: any open escalation past its due time;
* ``automation_paused``: the global switch is off, so nothing is hidden without a person;
* ``token_expired``: an account's last poll failed because the platform refused its token;
* ``worker_silent``: an enabled account not polled (successfully or not) for more than twice its poll interval,
  while a worker has run on this database.

Each condition is alerted once: its alert carries a ``key`` (``sla_breach:12``, ``token_expired:3``), and no
second alert is written while one with that key is open. A condition that can end (a token renewed, automation
resumed, polls back, an escalation resolved or past due) gets ``cleared_at`` when it ends; the next time it
happens is a new alert, except for an escalation's SLA: each escalation is due, and breaches, once.

``digest_due`` and ``mark_emailed`` let ``moderation.alerting`` send each alert in one digest email, once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from moderation.domain import InputError, NotFoundError, RoleError
from moderation.store.tables import Account, Alert, Escalation

from .base import Component, aware
from .views import AlertView

# What the digest email carries: what needs someone soon. Platform refusals and unhides on the platform are
# already at the top of the moderators' queue, so they stay out of the mail (still listed and acknowledged).
EMAILED_KINDS = (
    "sla_due",
    "sla_breach",
    "circuit_breaker",
    "calibration",
    "automation_paused",
    "token_expired",
    "worker_silent",
)
SLA_WARNING = timedelta(hours=1)
SILENT_FACTOR = 2
_HEARTBEAT = "worker_heartbeat"
_PAUSED = "automation_paused"


Wanted = dict[str, tuple[str, str, int | None]]  # alert key -> (kind, message, account id)


def alert_view(row: Alert) -> AlertView:
    return AlertView(
        id=row.id or 0,
        kind=row.kind,
        message=row.message,
        created_at=aware(row.created_at),  # type: ignore[arg-type]
        account_id=row.account_id,
        rule_id=row.rule_id,
        key=row.key,
        acknowledged_by=row.acknowledged_by,
        acknowledged_at=aware(row.acknowledged_at),
        emailed_at=aware(row.emailed_at),
        cleared_at=aware(row.cleared_at),
    )


class Alerts(Component):
    """Alerts for the people on call: found by ``scan_alerts``, listed, acknowledged, sent in a digest."""

    # ------------------------------------------------------------ finding conditions
    def scan_alerts(self) -> list[AlertView]:
        """Write an alert for each condition that needs a person and has none open; clear those that ended.

        Returns the alerts written by this scan.
        """
        with self.core.tx() as session:
            now = self.core.now()
            wanted: Wanted = {}
            self._escalation_conditions(session, now, wanted)
            self._automation_condition(session, wanted)
            self._account_conditions(session, now, wanted)
            open_rows = {
                r.key: r
                for r in session.exec(
                    select(Alert).where(col(Alert.key).is_not(None), col(Alert.cleared_at).is_(None))
                ).all()
            }
            # SLA alerts are once per escalation, ever; other conditions once per episode.
            once = set(
                session.exec(
                    select(Alert.key).where(
                        col(Alert.kind).in_(["sla_due", "sla_breach"]), col(Alert.key).in_(list(wanted))
                    )
                ).all()
            )
            created: list[Alert] = []
            for key, (kind, message, account_id) in sorted(wanted.items()):
                if key in open_rows or key in once:
                    continue
                row = Alert(kind=kind, message=message, account_id=account_id, key=key, created_at=now)
                session.add(row)
                created.append(row)
            for open_key, row in open_rows.items():
                if open_key not in wanted:  # the condition ended (an SLA alert: the escalation moved on)
                    row.cleared_at = now
                    session.add(row)
            session.flush()
            return [alert_view(r) for r in created]

    def _escalation_conditions(self, session: Session, now: datetime, wanted: Wanted) -> None:
        rows = session.exec(
            select(Escalation).where(Escalation.status == "open", col(Escalation.due_at) <= now + SLA_WARNING)
        ).all()
        tz = self._zone()
        for esc in rows:
            due = aware(esc.due_at)
            assert due is not None
            who = f"assigned to {esc.assignee}" if esc.assignee else "not assigned"
            what = f"{esc.route} escalation {esc.id} (comment {esc.comment_id}, clause {esc.clause or '-'}, {who})"
            local = due.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")
            if due <= now:
                late = _span(now - due)
                wanted[f"sla_breach:{esc.id}"] = (
                    "sla_breach",
                    f"{what} breached its SLA at {local} ({late} ago)",
                    None,
                )
            elif esc.route == "legal":
                left = _span(due - now)
                wanted[f"sla_due:{esc.id}"] = ("sla_due", f"{what} is due at {local} (in {left})", None)

    def _automation_condition(self, session: Session, wanted: Wanted) -> None:
        if self.core.get_setting(session, _PAUSED, "0") != "1":
            return
        wanted["automation_paused"] = (
            "automation_paused",
            "automation is paused: nothing is hidden without a person until an admin runs 'modq automation resume'",
            None,
        )

    def _account_conditions(self, session: Session, now: datetime, wanted: Wanted) -> None:
        worker_ran = bool(self.core.get_setting(session, _HEARTBEAT, ""))
        for a in session.exec(select(Account).where(col(Account.enabled).is_(True))).all():
            last_ok, last_err = aware(a.last_poll_at), aware(a.last_error_at)
            label = f"account {a.id} ({a.platform} {a.name or a.external_id})"
            if (
                a.last_error
                and a.last_error.startswith("AuthExpired")
                and last_err
                and (not last_ok or last_err > last_ok)
            ):
                wanted[f"token_expired:{a.id}"] = (
                    "token_expired",
                    f"{label}: the platform refused its token ({a.last_error}); renew the token in "
                    f"{a.token_env or 'its token variable'} and check with 'modq accounts test {a.id}'",
                    a.id,
                )
            if not worker_ran:
                continue  # no worker has ever run here: nothing was meant to poll
            last = max(t for t in (last_ok, last_err, aware(a.created_at)) if t is not None)
            limit = timedelta(seconds=SILENT_FACTOR * a.poll_seconds)
            if now - last > limit:
                wanted[f"worker_silent:{a.id}"] = (
                    "worker_silent",
                    f"{label} has not been polled for {_span(now - last)} (it polls every {a.poll_seconds} s): "
                    "check the worker ('modq status', its service's log)",
                    a.id,
                )

    def _zone(self):  # type: ignore[no-untyped-def]
        from moderation.domain.days import zone

        return zone(self.core.settings.timezone)

    # ------------------------------------------------------------ people
    def alerts(self, include_acknowledged: bool = False, limit: int = 200) -> list[AlertView]:
        """Alerts, newest first: by default those nobody has acknowledged."""
        with self.core.read() as session:
            query = select(Alert)
            if not include_acknowledged:
                query = query.where(col(Alert.acknowledged_by).is_(None))
            rows = session.exec(query.order_by(col(Alert.id).desc()).limit(limit)).all()
            return [alert_view(r) for r in rows]

    def acknowledge_alerts(self, ids: list[int], actor: str, *, every: bool = False) -> list[int]:
        """Mark alerts as seen by ``actor`` (anyone active here except the read-only committee); returns the ids
        acknowledged now. An alert already acknowledged keeps its first acknowledgement.

        Raises:
            InputError: no ids and not ``every``.
            NotFoundError: an id that is no alert (nothing is acknowledged then).
            RoleError: the actor is not active here, or is on the committee.
        """
        if not ids and not every:
            raise InputError("name the alerts to acknowledge (ids from 'modq alerts list'), or use --all")
        with self.core.tx() as session:
            person = self.core.acting(session, actor)
            if person.role == "committee":
                raise RoleError(f"{actor} (committee) has read-only access and cannot acknowledge alerts")
            if every:
                rows = list(session.exec(select(Alert).where(col(Alert.acknowledged_by).is_(None))).all())
            else:
                found = {r.id: r for r in session.exec(select(Alert).where(col(Alert.id).in_(ids))).all()}
                missing = sorted(set(ids) - set(found))
                if missing:
                    raise NotFoundError(f"no alert {', '.join(map(str, missing))} (see 'modq alerts list')")
                rows = [found[i] for i in dict.fromkeys(ids) if found[i].acknowledged_by is None]
            now = self.core.now()
            for row in rows:
                row.acknowledged_by, row.acknowledged_at = actor, now
                session.add(row)
            done = sorted(r.id or 0 for r in rows)
            if done:
                self.core.record(session, "alerts_acknowledged", actor, {"alerts": done})
            return done

    # ------------------------------------------------------------ the digest
    def digest_due(self) -> list[AlertView]:
        """Alerts the next digest email carries: of an emailed kind, never emailed, nobody has acknowledged them,
        and their condition has not ended."""
        with self.core.tx() as session:
            rows = session.exec(
                select(Alert)
                .where(
                    col(Alert.kind).in_(EMAILED_KINDS),
                    col(Alert.emailed_at).is_(None),
                    col(Alert.acknowledged_by).is_(None),
                    col(Alert.cleared_at).is_(None),
                )
                .order_by(col(Alert.id))
            ).all()
            return [alert_view(r) for r in rows]

    def mark_emailed(self, ids: list[int]) -> None:
        """Record that a digest carrying these alerts was accepted by the mail server."""
        if not ids:
            return
        with self.core.tx() as session:
            for row in session.exec(select(Alert).where(col(Alert.id).in_(ids))).all():
                if row.emailed_at is None:
                    row.emailed_at = self.core.now()
                    session.add(row)


def _span(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    return f"{hours // 24} days"
