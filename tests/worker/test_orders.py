"""Suppression orders: roles, the retroactive sweep, expiry, import, and what the ledger keeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from records import ledger_payloads
from sqlmodel import select

from moderation.domain import DomainError, RoleError
from moderation.store.tables import Comment, Escalation, LedgerEvent, OutboxAction

START = datetime(2026, 1, 1, tzinfo=UTC)
UNTIL = datetime(2027, 12, 31, tzinfo=UTC)


def _ingest(svc: Any, texts: list[str], prefix: str = "c") -> list[int]:
    from moderation.ports import RemoteComment

    when = datetime(2026, 11, 20, tzinfo=UTC)
    recs = [
        RemoteComment(
            platform="facebook",
            account="acct",
            id=f"{prefix}{i}",
            text=t,
            post_id="p1",
            created_at=when,
            author_id=f"a{i}",
        )
        for i, t in enumerate(texts)
    ]
    svc.ingest_comments(recs)
    svc.triage_pending(force_backfill=True)
    with svc.tx() as s:
        return [
            s.exec(select(Comment.id).where(Comment.external_id == f"{prefix}{i}")).one() for i in range(len(texts))
        ]


def test_only_legal_and_admin_manage_orders(wsvc: Any) -> None:
    with pytest.raises(RoleError):
        wsvc.add_order("R v Q", "Supreme Court", ["Quentin Hale"], START, UNTIL, actor="mo")
    with pytest.raises(RoleError):
        wsvc.orders("mo")
    view = wsvc.add_order("R v Q", "Supreme Court", ["Quentin Hale"], START, UNTIL, actor="lee")
    assert [o.id for o in wsvc.orders("alice")] == [view.id]
    with pytest.raises(RoleError):
        wsvc.revoke_order(view.id, "mo")
    with pytest.raises(DomainError):
        wsvc.add_order("R v Q", "Supreme Court", [" "], START, UNTIL, actor="lee")
    with pytest.raises(DomainError):
        wsvc.add_order("R v Q", "Supreme Court", ["Quentin Hale"], UNTIL, START, actor="lee")


def test_new_order_sweeps_stored_comments(wsvc: Any) -> None:
    ids = _ingest(
        wsvc,
        [
            "Everyone knows Jordan Mills did it",  # queued -> escalated
            "j0rdan m1lls should be named",  # evasive spelling
            "Jordan Miller won the footy tipping",  # not the protected name
            "the weather is lovely",  # unrelated
            "you rotten scoundrel, Jordan Mills",  # auto_hidden -> escalated
        ],
    )
    wsvc.decide(ids[3], "approve", "mo")
    before = {i: wsvc.detail(i).item.state for i in ids}
    ticks: list[tuple[int, int]] = []
    view = wsvc.add_order(
        "DPP v J.M.",
        "County Court",
        ["Jordan Mills", "J-Mills"],
        START,
        UNTIL,
        actor="lee",
        progress=lambda d, t: ticks.append((d, t)),
    )
    assert view.active
    assert ticks and ticks[-1][0] == ticks[-1][1] == 5
    after = {i: wsvc.detail(i).item.state for i in ids}
    assert after[ids[0]] == after[ids[1]] == after[ids[4]] == "escalated"
    assert after[ids[2]] == before[ids[2]] and after[ids[3]] == "approved"
    with wsvc.tx() as s:
        esc = s.exec(select(Escalation).where(Escalation.route == "legal")).all()
        hides = s.exec(
            select(OutboxAction).where(OutboxAction.action == "hide", OutboxAction.status == "pending")
        ).all()
    assert sorted(e.comment_id for e in esc) == sorted([ids[0], ids[1], ids[4]])
    assert {o.comment_id for o in hides} == {ids[0], ids[1], ids[4]}
    # A second sweep changes nothing.
    again = wsvc.sweep()
    assert again.matched == 3 and again.escalated == 0 and again.already == 3
    # The public record never holds the protected names.
    with wsvc.tx() as s:
        payloads = " ".join(e.payload for e in s.exec(select(LedgerEvent)).all())
    assert "Jordan" not in payloads and "J-Mills" not in payloads
    assert wsvc.ledger_verify().ok


def test_expired_order_stops_matching(wsvc: Any, clock: Any) -> None:
    wsvc.add_order("R v Old", "Magistrates Court", ["Harriet Vane"], START, clock() + timedelta(days=1), actor="lee")
    ids = _ingest(wsvc, ["Harriet Vane is guilty"])
    assert wsvc.detail(ids[0]).item.state == "escalated"
    clock.advance(days=2)
    later = _ingest(wsvc, ["Harriet Vane again"], prefix="later")
    assert wsvc.detail(later[0]).item.state != "escalated"
    assert wsvc.sweep().matched == 0
    assert not [o for o in wsvc.orders("lee") if o.active]


def test_revoked_order_stops_matching(wsvc: Any) -> None:
    view = wsvc.add_order("R v Rev", "County Court", ["Peter Wimsey"], START, UNTIL, actor="lee")
    wsvc.revoke_order(view.id, "lee", "order lifted")
    ids = _ingest(wsvc, ["Peter Wimsey did it"])
    assert wsvc.detail(ids[0]).item.state != "escalated"
    with pytest.raises(DomainError):
        wsvc.revoke_order(view.id, "lee")


def test_import_adds_changes_and_sweeps(wsvc: Any, tmp_path: Path) -> None:
    ids = _ingest(wsvc, ["Albert Campion was there", "Lord Peter was there", "nothing to see"])
    csv_path = tmp_path / "orders.csv"
    csv_path.write_text(
        "case,court,terms,from,until\n"
        "R v AC,County Court,Albert Campion;A. Campion,2026-01-01,2027-12-31\n"
        "R v bad,County Court,,2026-01-01,\n",
        encoding="utf-8",
    )
    rep = wsvc.import_orders(csv_path, "lee")
    assert (rep.added, rep.changed, rep.unchanged, len(rep.errors)) == (1, 0, 0, 1)
    assert rep.sweep is not None and rep.sweep.escalated == 1
    assert wsvc.detail(ids[0]).item.state == "escalated"
    again = wsvc.import_orders(csv_path, "lee")
    assert (again.added, again.changed, again.unchanged) == (0, 0, 1) and again.sweep is None
    csv_path.write_text(
        "case,court,terms,from,until\nR v AC,County Court,Albert Campion;Lord Peter,2026-01-01,2027-12-31\n",
        encoding="utf-8",
    )
    changed = wsvc.import_orders(csv_path, "lee")
    assert changed.changed == 1 and changed.sweep is not None and changed.sweep.escalated == 1
    assert wsvc.detail(ids[1]).item.state == "escalated"
    assert wsvc.detail(ids[2]).item.state != "escalated"
    with pytest.raises(RoleError):
        wsvc.import_orders(csv_path, "mo")


def test_sweep_hides_on_the_platform(wsvc: Any, site: Any) -> None:
    cid = site.comment("I saw Jordan Mills at the court")
    other = site.comment("lovely weather")
    wsvc.poll_account(site.account_id)
    assert wsvc.apply_outbox().confirmed == 0
    wsvc.add_order("DPP v J.M.", "County Court", ["Jordan Mills"], START, UNTIL, actor="lee")
    assert wsvc.apply_outbox().confirmed == 1
    assert site.fake.hidden_ids() == {cid} and other not in site.fake.hide_calls


def test_a_note_on_a_new_order_goes_to_the_ledger_but_never_a_protected_name(wsvc: Any) -> None:
    view = wsvc.add_order(
        "DPP v K.L.", "County Court", ["Kelly Lang"], START, UNTIL, actor="lee", note="served on us  by email"
    )
    added = ledger_payloads(wsvc, "order_added")
    assert added == [{**added[0], "order": view.id, "note": "served on us by email"}]
    with pytest.raises(DomainError, match="names a protected person"):
        wsvc.add_order(
            "DPP v K.L. (2)", "County Court", ["Kelly Lang"], START, UNTIL, actor="lee", note="re KELLY  lang"
        )
    assert [o.id for o in wsvc.orders("lee")] == [view.id]
    # Without a note the event is as before.
    other = wsvc.add_order("R v Q", "Supreme Court", ["Quentin Hale"], START, UNTIL, actor="lee", sweep=False)
    last = ledger_payloads(wsvc, "order_added")[-1]
    assert last["order"] == other.id and "note" not in last


def test_an_order_dated_ahead_is_swept_when_it_comes_into_force(wsvc: Any, clock: Any) -> None:
    ids = _ingest(wsvc, ["Everyone knows Petra Lind did it", "lovely weather"], prefix="ahead")
    first_day = clock() + timedelta(days=2)
    view = wsvc.add_order("R v P.L.", "County Court", ["Petra Lind"], first_day, UNTIL, actor="lee")
    assert not view.active
    assert wsvc.detail(ids[0]).item.state != "escalated"  # not in force yet: nothing swept
    assert wsvc.sweep_due().scanned == 0
    clock.advance(days=3)
    report = wsvc.sweep_due()
    assert report.escalated == 1 and report.comment_ids == [ids[0]]
    assert wsvc.detail(ids[0]).item.state == "escalated"
    assert wsvc.detail(ids[1]).item.state != "escalated"
    # Covered now: the next run has nothing to do.
    assert wsvc.sweep_due().scanned == 0


def test_an_order_whose_sweep_never_ran_is_swept_by_the_worker(wsvc: Any) -> None:
    ids = _ingest(wsvc, ["Quentin Hale was there"], prefix="late")
    wsvc.add_order("R v Q", "Supreme Court", ["Quentin Hale"], START, UNTIL, actor="lee", sweep=False)
    assert wsvc.detail(ids[0]).item.state != "escalated"
    assert wsvc.sweep_due().escalated == 1
    assert wsvc.detail(ids[0]).item.state == "escalated"
    assert wsvc.sweep_due().scanned == 0


def test_a_revoke_reason_naming_a_protected_person_is_refused(wsvc: Any) -> None:
    view = wsvc.add_order("R v Q", "Supreme Court", ["Quentin Hale"], START, UNTIL, actor="lee", sweep=False)
    with pytest.raises(DomainError, match="names a protected person"):
        wsvc.revoke_order(view.id, "lee", reason="order about quentin  HALE lifted")
    assert wsvc.orders("lee")[0].revoked_at is None
    wsvc.revoke_order(view.id, "lee", reason="lifted on appeal")
    [ev] = ledger_payloads(wsvc, "order_revoked")
    assert ev["reason"] == "lifted on appeal"
