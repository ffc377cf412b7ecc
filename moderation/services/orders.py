"""Court suppression orders: the register legal keeps, and the retroactive sweep that applies a new order.

Who calls it: ``modq orders add|list|revoke|import`` (legal and admin only: the ``orders`` right), and the demo.

Why a sweep: an order forbids publishing a name from the day it is made, so comments already on the
department's pages must be found too, not only new ones. Adding, importing or changing an order checks every
stored comment on every account against the orders that changed; every match is hidden on the platform (an
outbox row, in the same transaction as the decision) and escalated to legal.

Speed (1,000,000 stored comments in well under 20 s on one core): the sweep streams ``(id, text)`` in
keyset-paginated batches from short read transactions, runs ``OrderMatcher`` (an Aho-Corasick prefilter on
name anchors, fuzzy matching only on the rare anchored texts) and opens a write transaction only for the
matching rows. Nothing else is touched.

What the ledger keeps: the protected names are themselves suppressed, so the ledger never holds them, nor any
digest of them: only the case (sealed, and public only while it names nobody protected), the court and the
number of terms. The register itself is the record of the names.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, text
from sqlmodel import Session, col, select

from moderation.domain import DomainError, InputError, NotFoundError, State, SuppressionOrder
from moderation.domain.days import first_day_of, last_day_of, order_status, order_window, zone
from moderation.domain.lifecycle import OrderMatched
from moderation.store.tables import Comment, LedgerEvent, SuppressionOrderRow

from .base import aware
from .transitions import TransitionsMixin
from .triage import finding_row, order_value
from .views import Plain

SWEEP_BATCH = 20_000
SWEEP_ACTOR = "auto:sweep"
# States a sweep moves to escalated (the state machine allows escalate from each); "new" is left to triage,
# which applies the active orders itself, and "escalated" only gains a legal escalation and a hide.
SWEEPABLE = (State.QUEUED.value, State.AUTO_HIDDEN.value, State.APPROVED.value, State.HIDDEN.value)

Progress = Callable[[int, int], None]
# Plain SQL for the hot loop: keyset pagination on the primary key, two columns, no ORM objects.
_SCAN = text("SELECT id, text FROM comment WHERE id > :last AND platform_deleted = false ORDER BY id LIMIT :n")


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
class SweepReport(Plain):
    scanned: int = 0
    matched: int = 0
    escalated: int = 0
    already: int = 0
    seconds: float = 0.0
    comment_ids: list[int] = field(default_factory=list)


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


class OrdersMixin(TransitionsMixin):
    # ------------------------------------------------------------ register
    def add_order(
        self,
        case: str,
        court: str,
        terms: Sequence[str],
        starts: datetime,
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
        assert starts_u is not None
        if not case.strip() or not court.strip():
            raise InputError("an order needs a case and a court")
        if until_u is not None and until_u <= starts_u:
            raise InputError("--until must be after --from")
        note = _public_text(note, clean, "note")
        with self.tx() as session:
            self.acting(session, actor, "orders")
            self._refuse_duplicate(session, case, court, clean)
            row = SuppressionOrderRow(
                case=case.strip(),
                court=court.strip(),
                terms=json.dumps(clean, ensure_ascii=False),
                starts=starts_u,
                until=until_u,
                created_by=actor,
                created_at=self.now(),
            )
            session.add(row)
            session.flush()
            payload = self._order_payload(row, clean)
            if note:
                payload["note"] = note
            self.record(session, "order_added", actor, payload)
            view = self._order_view(row)
        if sweep:
            self.sweep(order_ids=[view.id], progress=progress)
        return view

    def orders(self, actor: str, include_revoked: bool = True) -> list[OrderView]:
        """The register. Legal and admin only: the names are themselves suppressed."""
        with self.tx() as session:
            self.acting(session, actor, "orders")
            query = select(SuppressionOrderRow).order_by(col(SuppressionOrderRow.id))
            if not include_revoked:
                query = query.where(col(SuppressionOrderRow.revoked_at).is_(None))
            return [self._order_view(r) for r in session.exec(query).all()]

    def revoke_order(self, order_id: int, actor: str, reason: str = "") -> OrderView:
        """Stop an order matching. Comments it already hid stay hidden: legal decides on each."""
        with self.tx() as session:
            self.acting(session, actor, "orders")
            row = session.get(SuppressionOrderRow, order_id)
            if row is None:
                raise NotFoundError(f"no suppression order {order_id} (see 'modq orders list')")
            if row.revoked_at is not None:
                raise DomainError(f"order {order_id} was already revoked")
            reason = _public_text(reason, json.loads(row.terms), "reason")
            row.revoked_at = self.now()
            session.add(row)
            self.record(session, "order_revoked", actor, {"order": row.id, "case": row.case, "reason": reason})
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
        with self.tx() as session:
            self.acting(session, actor, "orders")
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
                        created_at=self.now(),
                    )
                    session.add(row)
                    session.flush()
                    self.record(session, "order_added", actor, {**self._order_payload(row, terms), "via": "import"})
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
                self.record(session, "order_changed", actor, {**self._order_payload(existing, terms), "via": "import"})
                changed += 1
                touched.append(existing.id or 0)
        report = None
        if sweep and touched:
            report = self.sweep(order_ids=touched, progress=progress)
        return ImportReport(added=added, changed=changed, unchanged=unchanged, errors=errors, sweep=report)

    # ------------------------------------------------------------ sweep
    def sweep(
        self, order_ids: Sequence[int] | None = None, progress: Progress | None = None, batch: int = SWEEP_BATCH
    ) -> SweepReport:
        """Check every stored comment against the given orders (default: every active order).

        Matches are escalated to legal and hidden on the platform. Safe to repeat: a comment that already has
        an open legal escalation and is meant to be hidden is counted as ``already`` and left alone.
        """
        import time

        started = time.perf_counter()
        now = self.now()
        with self.tx() as session:
            rows = session.exec(select(SuppressionOrderRow)).all()
            orders = [order_value(r) for r in rows if order_ids is None or r.id in set(order_ids)]
            total = int(session.exec(select(func.count()).select_from(Comment)).one())
        active: list[SuppressionOrder] = [o for o in orders if o.active_at(now)]
        if not active:
            return SweepReport(seconds=time.perf_counter() - started)
        matcher = self.policy.order_matcher(active, now)
        last = 0
        scanned = matched = escalated = already = 0
        hit_ids: list[int] = []
        if progress:
            progress(0, total)
        while True:
            with self.engine.connect() as conn:
                chunk = conn.execute(_SCAN, {"last": last, "n": batch}).all()
                conn.rollback()
            if not chunk:
                break
            last = chunk[-1][0]
            scanned += len(chunk)
            # A very long text is read in bounded chunks, so one 5 MB comment cannot take the memory of the sweep.
            found = [cid for cid, text in chunk if matcher.text_hits(text)]
            if found:
                matched += len(found)
                e, a = self._escalate_matches(found, matcher)
                escalated += e
                already += a
                hit_ids.extend(found)
            if progress:
                progress(scanned, total)
        if progress:
            progress(total, total)
        with self.tx() as session:
            self.record(
                session,
                "orders_swept",
                SWEEP_ACTOR,
                {
                    "orders": [o.id for o in active],
                    "scanned": scanned,
                    "matched": matched,
                    "escalated": escalated,
                },
            )
        return SweepReport(
            scanned=scanned,
            matched=matched,
            escalated=escalated,
            already=already,
            seconds=time.perf_counter() - started,
            comment_ids=hit_ids,
        )

    def sweep_due(self) -> SweepReport:
        """Sweep stored comments for every order in force that no sweep has covered since it came into force:
        an order added before its first day, or one whose sweep did not finish. The worker runs this every few
        minutes; with nothing due it only reads the order register and the sweep events. Safe to repeat."""
        now = self.now()
        with self.read() as session:
            active = [
                o for o in (order_value(r) for r in session.exec(select(SuppressionOrderRow)).all()) if o.active_at(now)
            ]
            if not active:
                return SweepReport()
            earliest = min(o.starts for o in active)
            events = session.exec(
                select(LedgerEvent.at, LedgerEvent.payload).where(LedgerEvent.kind == "orders_swept")
            ).all()
        last_swept: dict[int, datetime] = {}
        for at, payload in events:
            when = datetime.fromisoformat(at)
            if when < earliest:
                continue
            for oid in json.loads(payload).get("orders", []):
                if oid not in last_swept or when > last_swept[oid]:
                    last_swept[oid] = when
        due = [o.id for o in active if o.id not in last_swept or last_swept[o.id] < o.starts]
        if not due:
            return SweepReport()
        return self.sweep(order_ids=due)

    def _escalate_matches(self, ids: list[int], matcher: object) -> tuple[int, int]:
        escalated = already = 0
        with self.tx() as session:
            for cid in ids:
                row = session.get(Comment, cid, populate_existing=True)
                if row is None or row.state == State.NEW.value:
                    continue  # triage applies the active orders to new comments itself
                findings = matcher.findings(row.text)  # type: ignore[attr-defined]
                if not findings:
                    continue  # the text changed since it was read
                if self._sweep_one(session, row, findings):
                    escalated += 1
                else:
                    already += 1
        return escalated, already

    def _sweep_one(self, session: Session, row: Comment, findings: list) -> bool:  # type: ignore[type-arg]
        """One stored comment naming a protected person: escalated to legal and hidden, through the lifecycle.
        False when it already was (with legal, meant hidden)."""
        top = findings[0]
        clauses = sorted({*(row.clauses.split(",") if row.clauses else []), top.clause})
        now = self.now()
        applied = self.apply_event(
            session,
            row,
            OrderMatched(),
            actor=f"auto:{top.rule_id}",
            clauses=clauses,
            rules=self.dumps([{"id": top.rule_id, "hash": top.rule_hash}]),
            escalation_note="suppression order sweep",
            sets={"severity": "critical", "clauses": ",".join(clauses)},
            payload={"clause": top.clause, "spans": [[f.start, f.end] for f in findings]},
            protected=True,
        )
        if applied.decision is None:
            return False
        for f in findings:
            session.add(finding_row(row, f, self.policy.version, now))
        return True

    # ------------------------------------------------------------ days
    def department_zone(self) -> ZoneInfo:
        """The department's time zone (``MODQ_TIMEZONE``): orders run from and to its local days."""
        return zone(self.settings.timezone)

    def order_window(self, first: str, last: str | None) -> tuple[datetime, datetime | None]:
        """``(starts, until)`` for an order in force from local day ``first`` to local day ``last``, both
        inclusive, as typed (``YYYY-MM-DD``). Raises ``InputError`` for a bad day or a last day before the first."""
        return order_window(first, last, self.department_zone())

    # ------------------------------------------------------------ helpers
    def _refuse_duplicate(self, session: Session, case: str, court: str, terms: list[str]) -> None:
        """An order still in force or to come with the same case, court and names is not added twice."""
        key = (" ".join(case.split()).casefold(), " ".join(court.split()).casefold())
        names = sorted(t.casefold() for t in terms)
        now = self.now()
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
        now = self.now()
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
            timezone=self.settings.timezone,
        )
