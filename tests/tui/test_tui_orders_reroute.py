"""Suppression orders from the terminal (n adds and sweeps, x revokes; refusals are messages) and re-routing an
escalation (e). Keys are pressed; what is asserted is the service's state: orders, comments, escalations, ledger."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from tui_helpers import aio, app_for, cid_of, ingest, record, settle

pytestmark = [pytest.mark.backends("sqlite")]
SIZE = (120, 36)
KEYS = {" ": "space", "\n": "enter", "\t": "tab"}


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*[KEYS.get(ch, ch) for ch in text])


def ledger(svc: Any, kind: str) -> list[Any]:
    start, end = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
    return [e for e in svc.ledger_events(start, end) if e.kind == kind]


def notes(app: Any) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


def screen_of(app: Any, name: str) -> Any:
    from tui.screens.dialogs import OrderDialog, RerouteDialog
    from tui.screens.escalations import EscalationsScreen
    from tui.screens.orders import OrdersScreen

    kind = {"orders": OrdersScreen, "escalations": EscalationsScreen, "order": OrderDialog, "reroute": RerouteDialog}
    assert isinstance(app.screen, kind[name]), type(app.screen)
    return app.screen


async def fill_order(pilot: Any, case: str, court: str, names: str, until: str, note: str) -> None:
    """n, then every field with the keyboard (the first day keeps its default, today), then enter on the note."""
    await pilot.press("n")
    await settle(pilot)
    screen_of(pilot.app, "order")
    await type_text(pilot, f"{case}\t{court}\t")
    await type_text(pilot, names)  # the names box: enter is a new line, tab leaves it
    await type_text(pilot, f"\t\t{until}\t{note}\n")
    await settle(pilot)


# ------------------------------------------------------------------ orders
@aio
async def test_legal_adds_an_order_and_its_sweep_escalates_the_stored_comment(qsvc: Any) -> None:
    ingest(qsvc, [record("c20", "a20", "Pat Nolan", "Everyone in Bellmore knows Jordan Mills did it.", 30)])
    target = cid_of(qsvc, "c20")
    bystander = cid_of(qsvc, "c01")
    assert qsvc.detail(target).item.state != "escalated"
    app = app_for(qsvc, "lucy", start="orders")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await fill_order(
            pilot,
            "DPP v J.M. (a minor)",
            "County Court of Victoria",
            "Jordan Mills\nJ. Mills, Jordy Mills",
            "2027-12-31",
            "served by the registry today",
        )
        screen = screen_of(app, "orders")
        said = notes(app)
        assert "1 stored comment escalated to legal and hidden" in said, said
        assert "1 stored comment escalated" in str(screen.query_one("#orders-note").content)
        table = screen.query_one("DataTable")
        assert table.row_count == 1
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[4] == "21 Nov 2026 – 31 Dec 2027" and row[5] == "in force"  # the last day as typed
    [order] = qsvc.orders("alice")
    assert order.active and order.case == "DPP v J.M. (a minor)" and order.court == "County Court of Victoria"
    assert order.terms == ["Jordan Mills", "J. Mills", "Jordy Mills"] and order.created_by == "lucy"
    # Melbourne days (MODQ_TIMEZONE's default): from local midnight starting 21 Nov to local midnight ending 31 Dec.
    assert order.starts == datetime(2026, 11, 20, 13, tzinfo=UTC) and order.until == datetime(
        2027, 12, 31, 13, tzinfo=UTC
    )
    assert (order.first_day.isoformat(), order.last_day.isoformat()) == ("2026-11-21", "2027-12-31")
    d = qsvc.detail(target)
    assert d.item.state == "escalated" and d.intended_hidden
    assert [(e.route, e.status) for e in d.escalations] == [("legal", "open")]
    assert qsvc.detail(bystander).item.state != "escalated"
    [added] = ledger(qsvc, "order_added")
    assert added.actor == "lucy" and added.payload["note"] == "served by the registry today"
    assert "Jordan" not in json.dumps(added.payload)
    [swept] = ledger(qsvc, "orders_swept")
    assert swept.payload["orders"] == [order.id] and swept.payload["escalated"] == 1
    assert len(ledger(qsvc, "order_matched")) == 1 and "order_matched" in [e.kind for e in d.ledger]
    assert qsvc.ledger_verify().ok


@aio
async def test_a_moderator_pressing_n_is_told_no_and_nothing_is_stored(qsvc: Any) -> None:
    app = app_for(qsvc, "bob", start="orders")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        screen_of(app, "orders")  # no dialog opened
        assert "bob (moderator) may not add suppression orders (legal and admin only)" in notes(app)
        await pilot.press("x")
        await settle(pilot)
        assert "may not revoke suppression orders" in notes(app)
    assert qsvc.orders("alice") == [] and not ledger(qsvc, "order_added")


@aio
async def test_the_services_refusal_is_shown_when_the_role_changed_since_the_terminal_opened(qsvc: Any) -> None:
    app = app_for(qsvc, "lucy", start="orders")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        qsvc.set_role("lucy", "moderator", "alice")  # an admin moves lucy while her terminal is open
        await fill_order(pilot, "R v Q", "Supreme Court", "Quentin Hale", "", "")
        screen_of(app, "orders")
        said = notes(app)
        assert "Order not added: lucy (moderator) is not allowed to orders" in said, said
        assert app.role == "moderator"
        await pilot.press("n")  # now declined before the form
        await settle(pilot)
        screen_of(app, "orders")
    assert qsvc.orders("alice") == [] and not ledger(qsvc, "order_added")


@aio
async def test_a_refused_order_opens_the_dialog_again_with_what_was_typed(qsvc: Any) -> None:
    app = app_for(qsvc, "alice", start="orders")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The service refuses a note that names the protected person (the note goes to the public ledger).
        await fill_order(pilot, "R v Q", "Supreme Court", "Quentin Hale", "", "re Quentin Hale")
        dialog = screen_of(app, "order")
        assert "names a protected person" in str(dialog.query_one("#error").content)
        assert dialog.query_one("#case").value == "R v Q" and dialog.query_one("#names").text == "Quentin Hale"
        dialog.query_one("#note").value = ""
        # The dialog's own checks: a bad date keeps it open with a message.
        dialog.query_one("#until").value = "31/12/2027"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "is not a day: use YYYY-MM-DD" in str(screen_of(app, "order").query_one("#error").content)
        dialog.query_one("#until").value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen_of(app, "orders")
    [order] = qsvc.orders("alice")
    assert order.until is None and order.terms == ["Quentin Hale"]


@aio
async def test_legal_revokes_the_selected_order_with_a_reason(qsvc: Any) -> None:
    first = qsvc.add_order(
        "R v A", "County Court", ["Ada Lovell"], datetime(2026, 1, 1, tzinfo=UTC), actor="alice", sweep=False
    )
    second = qsvc.add_order(
        "R v B", "County Court", ["Bea Lovell"], datetime(2026, 1, 1, tzinfo=UTC), actor="alice", sweep=False
    )
    app = app_for(qsvc, "lucy", start="orders")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "x")
        await settle(pilot)
        await pilot.press("enter")  # an empty reason is not enough
        await settle(pilot)
        assert "a reason is needed" in notes(app)
        await pilot.press("x")
        await settle(pilot)
        await type_text(pilot, "order lifted on appeal\n")
        await settle(pilot)
        assert f"Order {second.id} revoked: it no longer matches" in notes(app)
        await pilot.press("x")
        await settle(pilot)
        assert f"Order {second.id} is already revoked" in notes(app)
    by_id = {o.id: o for o in qsvc.orders("alice")}
    assert by_id[second.id].revoked_at is not None and by_id[first.id].revoked_at is None
    [revoked] = ledger(qsvc, "order_revoked")
    assert revoked.actor == "lucy" and revoked.payload == {
        "order": second.id,
        "case": "R v B",
        "reason": "order lifted on appeal",
    }


# ------------------------------------------------------------------ re-routing an escalation
@aio
async def test_legal_reroutes_an_escalation_to_privacy_with_a_note(qsvc: Any) -> None:
    target = cid_of(qsvc, "c01")
    qsvc.decide(target, "escalate", "bob", route="legal", note="about a named officer?")
    app = app_for(qsvc, "lucy")  # legal starts on the escalations screen
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app, "escalations")
        [esc] = [e for e in screen.rows if e.comment_id == target]
        screen.query_one("DataTable").move_cursor(row=screen.rows.index(esc))
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        dialog = screen_of(app, "reroute")
        assert "Re-route escalation" in str(dialog.query_one("Label").content)
        await pilot.press("tab", "enter")  # enter on the note, no route chosen yet
        await settle(pilot)
        assert "Choose where it goes" in str(screen_of(app, "reroute").query_one("#error").content)
        await pilot.press("p", "tab")  # the error put the focus back on the routes
        await type_text(pilot, "no allegation: a resident's commute\n")
        await settle(pilot)
        screen = screen_of(app, "escalations")
        assert f"#{target} re-routed from legal to privacy" in notes(app)
        assert [e.route for e in screen.rows if e.comment_id == target] == ["privacy"]
    d = qsvc.detail(target)
    assert d.item.state == "escalated"
    assert [(e.route, e.status) for e in d.escalations] == [("legal", "withdrawn"), ("privacy", "open")]
    assert "lucy: re-routed from legal: no allegation" in d.escalations[-1].notes
    [event] = ledger(qsvc, "escalation_rerouted")
    assert event.actor == "lucy" and event.seq in [e.seq for e in d.ledger]
    assert (event.payload["from"], event.payload["to"]) == ("legal", "privacy")
    assert event.payload["note"] == "no allegation: a resident's commute"


@aio
async def test_a_moderator_cannot_reroute_a_legal_escalation(qsvc: Any) -> None:
    target = cid_of(qsvc, "c06")
    qsvc.decide(target, "escalate", "bob", route="legal")
    app = app_for(qsvc, "bob", start="escalations")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        screen_of(app, "escalations")
        assert "bob (moderator) may not re-route legal escalations" in notes(app)
    assert [(e.route, e.status) for e in qsvc.detail(target).escalations] == [("legal", "open")]
    assert not ledger(qsvc, "escalation_rerouted")
