"""Court suppression orders: the register legal keeps (the retroactive sweep is ``moderation.services.sweep``).

Who calls it: ``modq orders add|list|revoke|import`` (legal and admin only: the ``orders`` right), and the demo.

What the ledger keeps: the protected names are themselves suppressed, so the ledger never holds them, nor any
digest of them: only the case (sealed, and public only while it names nobody protected), the court and the
number of terms. The register itself is the record of the names.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from moderation.domain import DomainError, InputError, NotFoundError
from moderation.domain.days import first_day_of, last_day_of, order_status, order_window, zone
from moderation.store.tables import SuppressionOrderRow

from .base import Component, Core, aware
from .sweep import Progress, SweepReport
from .views import Plain

if TYPE_CHECKING:
    from .sweep import OrderSweep


@dataclass(frozen=True)
class OrderView(Plain):
    id: int
    case: str
    court: str
    terms: list[str]
    starts: datetime
    until: datetime | None
    revoked_at: datetime | None
    created_by: str
    active: bool
    # The days as entered, in the department's time zone (both inclusive), and future / in force / expired / revoked.
    first_day: date | None = None
    last_day: date | None = None
    status: str = ""
    timezone: str = ""


@dataclass(frozen=True)
class ImportReport(Plain):
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    sweep: SweepReport | None = None


def _clean_terms(terms: Sequence[str]) -> list[str]:
    out: list[str] = []
    for t in terms:
        t = " ".join(str(t).split())
        if t and t not in out:
            out.append(t)
    if not out:
        raise InputError("an order needs at least one protected name (--term)")
    for t in out:
        if len("".join(ch for ch in t if ch.isalnum())) < 3:
            raise InputError(f"the term {t!r} is too short to match safely (at least 3 letters or digits)")
    return out


def _public_text(value: str, terms: Sequence[str], what: str) -> str:
    """A note or reason bound for the public ledger, with its spacing tidied; refused if it names a protected
    person (any of the order's terms, ignoring case)."""
    value = " ".join(value.split())
    folded = value.casefold()
    if any(t.casefold() in folded for t in terms):
        raise InputError(f"the {what} names a protected person; it is kept in the public ledger, so leave names out")
    return value


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Orders(Component):
    """The register of suppression orders: add, list, revoke, import."""

    def __init__(self, core: Core, sweeps: OrderSweep) -> None:
        super().__init__(core)
        self.sweeps = sweeps

    # ------------------------------------------------------------ register
    def add_order(
        self,
        case: str,
        court: str,
        terms: Sequence[str],
        starts: datetime | None,
        until: datetime | None = None,
        *,
        actor: str,
        sweep: bool = True,
        progress: Progress | None = None,
        note: str = "",
    ) -> OrderView:
        """Register an order and (by default) sweep every stored comment with it.

        ``note`` (optional, e.g. who served the order) goes into the public ledger with the case and court, so it
        must not name a protected person.

        Raises:
            RoleError: the actor is not legal or admin.
            DomainError: no terms, a term too short, ``until`` not after ``starts``, or a note naming a term.
        """
        clean = _clean_terms(terms)
        starts_u, until_u = _utc(starts), _utc(until)
        if starts_u is None:
            raise InputError("an order needs the day it takes effect from (--from)")
        if not case.strip() or not court.strip():
            raise InputError("an order needs a case and a court")
        if until_u is not None and until_u <= starts_u:
            raise InputError("--until must be after --from")
        note = _public_text(note, clean, "note")
        with self.core.tx() as session:
            self.core.acting(session, actor, "orders")
            self._refuse_duplicate(session, case, court, clean)
            row = SuppressionOrderRow(
                case=case.strip(),
                court=court.strip(),
                terms=json.dumps(clean, ensure_ascii=False),
                starts=starts_u,
                until=until_u,
                created_by=actor,
                created_at=self.core.now(),
            )
            session.add(row)
            session.flush()
            payload = self._order_payload(row, clean)
            if note:
                payload["note"] = note
            self.core.record(session, "order_added", actor, payload)
            view = self._order_view(row)
        if sweep:
            self.sweeps.sweep(order_ids=[view.id], progress=progress)
        return view

    def orders(self, actor: str, include_revoked: bool = True) -> list[OrderView]:
        """The register. Legal and admin only: the names are themselves suppressed."""
        with self.core.tx() as session:
            self.core.acting(session, actor, "orders")
            query = select(SuppressionOrderRow).order_by(col(SuppressionOrderRow.id))
            if not include_revoked:
                query = query.where(col(SuppressionOrderRow.revoked_at).is_(None))
            return [self._order_view(r) for r in session.exec(query).all()]

    def revoke_order(self, order_id: int, actor: str, reason: str = "") -> OrderView:
        """Stop an order matching. Comments it already hid stay hidden: legal decides on each."""
        with self.core.tx() as session:
            self.core.acting(session, actor, "orders")
            row = session.get(SuppressionOrderRow, order_id)
            if row is None:
                raise NotFoundError(f"no suppression order {order_id} (see 'modq orders list')")
            if row.revoked_at is not None:
                raise DomainError(f"order {order_id} was already revoked")
            reason = _public_text(reason, json.loads(row.terms), "reason")
            row.revoked_at = self.core.now()
            session.add(row)
            self.core.record(session, "order_revoked", actor, {"order": row.id, "case": row.case, "reason": reason})
            return self._order_view(row)

    def import_orders(
        self, path: Path, actor: str, *, sweep: bool = True, progress: Progress | None = None
    ) -> ImportReport:
        """Import a CSV register: ``case,court,terms,from,until`` (terms separated by ``;``).

        A row whose case and court match an unrevoked order updates it (a changed order is swept again);
        an identical row changes nothing, so importing the same file twice is harmless.
        """
        added = changed = unchanged = 0
        errors: list[str] = []
        touched: list[int] = []
        with open(path, encoding="utf-8-sig", newline="") as stream:
            reader = csv.DictReader(stream)
            need = {"case", "court", "terms", "from"}
            if reader.fieldnames is None or not need <= {f.strip().lower() for f in reader.fieldnames}:
                raise InputError(f"{path}: the header must name the columns case,court,terms,from[,until]")
            rows = [{(k or "").strip().lower(): (v or "").strip() for k, v in r.items()} for r in reader]
        parsed: list[tuple[int, str, str, list[str], datetime, datetime | None]] = []
        tz = self.department_zone()
        for number, r in enumerate(rows, start=2):
            try:
                terms = _clean_terms([t for t in r["terms"].replace("|", ";").split(";")])
                starts, until = order_window(r["from"], r.get("until"), tz)
                if not r["case"] or not r["court"]:
                    raise InputError("case and court are required")
            except (DomainError, ValueError) as exc:
                errors.append(f"line {number}: {exc}")
                continue
            parsed.append((number, r["case"], r["court"], terms, starts, until))
        with self.core.tx() as session:
            self.core.acting(session, actor, "orders")
            for _number, case, court, terms, starts, until in parsed:
                existing = session.exec(
                    select(SuppressionOrderRow).where(
                        SuppressionOrderRow.case == case,
                        SuppressionOrderRow.court == court,
                        col(SuppressionOrderRow.revoked_at).is_(None),
                    )
                ).first()
                if existing is None:
                    row = SuppressionOrderRow(
                        case=case,
                        court=court,
                        terms=json.dumps(terms, ensure_ascii=False),
                        starts=starts,
                        until=until,
                        created_by=actor,
                        created_at=self.core.now(),
                    )
                    session.add(row)
                    session.flush()
                    self.core.record(
                        session, "order_added", actor, {**self._order_payload(row, terms), "via": "import"}
                    )
                    added += 1
                    touched.append(row.id or 0)
                    continue
                same = (
                    sorted(json.loads(existing.terms)) == sorted(terms)
                    and aware(existing.starts) == starts
                    and aware(existing.until) == until
                )
                if same:
                    unchanged += 1
                    continue
                existing.terms = json.dumps(terms, ensure_ascii=False)
                existing.starts = starts
                existing.until = until
                session.add(existing)
                self.core.record(
                    session, "order_changed", actor, {**self._order_payload(existing, terms), "via": "import"}
                )
                changed += 1
                touched.append(existing.id or 0)
        report = None
        if sweep and touched:
            report = self.sweeps.sweep(order_ids=touched, progress=progress)
        return ImportReport(added=added, changed=changed, unchanged=unchanged, errors=errors, sweep=report)

    # ------------------------------------------------------------ days
    def department_zone(self) -> ZoneInfo:
        """The department's time zone (``MODQ_TIMEZONE``): orders run from and to its local days."""
        return zone(self.core.settings.timezone)

    def order_window(self, first: str, last: str | None) -> tuple[datetime, datetime | None]:
        """``(starts, until)`` for an order in force from local day ``first`` to local day ``last``, both
        inclusive, as typed (``YYYY-MM-DD``). Raises ``InputError`` for a bad day or a last day before the first."""
        return order_window(first, last, self.department_zone())

    # ------------------------------------------------------------ helpers
    def _refuse_duplicate(self, session: Session, case: str, court: str, terms: list[str]) -> None:
        """An order still in force or to come with the same case, court and names is not added twice."""
        key = (" ".join(case.split()).casefold(), " ".join(court.split()).casefold())
        names = sorted(t.casefold() for t in terms)
        now = self.core.now()
        rows = session.exec(select(SuppressionOrderRow).where(col(SuppressionOrderRow.revoked_at).is_(None))).all()
        for other in rows:
            until = aware(other.until)
            if until is not None and until <= now:
                continue  # expired: a new order for the same names is a renewal
            if (" ".join(other.case.split()).casefold(), " ".join(other.court.split()).casefold()) != key:
                continue
            if sorted(t.casefold() for t in json.loads(other.terms)) != names:
                continue
            view = self._order_view(other)
            last = view.last_day.isoformat() if view.last_day else "until revoked"
            raise DomainError(
                f"order {other.id} already protects these names in this case ({view.status}, "
                f"{view.first_day} to {last}); nothing was added. To change its days, revoke order {other.id} "
                "and add it again"
            )

    def _order_payload(self, row: SuppressionOrderRow, terms: list[str]) -> dict[str, object]:
        return {
            "order": row.id,
            "case": row.case,
            "court": row.court,
            "terms": len(terms),
            "starts": aware(row.starts).isoformat(),  # type: ignore[union-attr]
            "until": aware(row.until).isoformat() if row.until else None,  # type: ignore[union-attr]
        }

    def _order_view(self, row: SuppressionOrderRow) -> OrderView:
        starts = aware(row.starts)
        until = aware(row.until)
        revoked = aware(row.revoked_at)
        now = self.core.now()
        active = revoked is None and starts is not None and starts <= now and (until is None or now < until)
        tz = self.department_zone()
        return OrderView(
            id=row.id or 0,
            case=row.case,
            court=row.court,
            terms=list(json.loads(row.terms)),
            starts=starts or row.starts,
            until=until,
            revoked_at=revoked,
            created_by=row.created_by,  # type: ignore[arg-type]
            active=active,
            first_day=first_day_of(starts or row.starts, tz),
            last_day=last_day_of(until, tz),
            status=order_status(starts or row.starts, until, revoked is not None, now),
            timezone=self.core.settings.timezone,
        )
