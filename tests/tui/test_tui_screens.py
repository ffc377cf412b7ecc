"""The other screens: escalations (resolve with a note, SLA clock), statistics, orders; switching with g."""

from __future__ import annotations

from typing import Any

import pytest
from tui_helpers import aio, app_for, cid_of, settle

pytestmark = [pytest.mark.backends("sqlite")]
SIZE = (120, 36)


@aio
async def test_g_switches_screens_and_legal_resolves_an_escalation_with_a_note(qsvc: Any, clock: Any) -> None:
    target = cid_of(qsvc, "c06")
    qsvc.decide(target, "escalate", "bob", route="legal", note="says the mayor is corrupt")
    clock.advance(hours=5)  # past the 4-hour legal SLA
    app = app_for(qsvc, "lucy")  # legal starts on the escalations screen
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from tui.screens.escalations import EscalationsScreen

        screen = app.screen
        assert isinstance(screen, EscalationsScreen)
        legal = [e for e in screen.rows if e.comment_id == target]
        assert legal and legal[0].route == "legal"
        status = str(screen.query_one("#esc-status").content)
        assert "past SLA" in status and not status.startswith(" Escalations   route: all · status: open · 0")
        screen.query_one("DataTable").move_cursor(row=screen.rows.index(legal[0]))
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        app.screen.query_one("#note").value = "defamatory: hide"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("g", "q")
        await settle(pilot)
        from tui.screens.queue import QueueScreen

        assert isinstance(app.screen, QueueScreen)
    d = qsvc.detail(target)
    assert d.item.state == "hidden"
    esc = d.escalations[-1]
    assert esc.status == "resolved" and esc.resolution == "hidden" and "lucy: defamatory: hide" in esc.notes
    assert d.decisions[-1].actor == "lucy" and d.decisions[-1].action == "resolve_hide"


@aio
async def test_a_moderator_cannot_resolve_a_legal_escalation(qsvc: Any) -> None:
    target = cid_of(qsvc, "c06")
    qsvc.decide(target, "escalate", "bob", route="legal")
    app = app_for(qsvc, "bob", start="escalations")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert any("may not resolve legal" in str(n.message) for n in app._notifications)
    assert qsvc.detail(target).item.state == "escalated"


@aio
async def test_statistics_screen_shows_the_committee_figures(qsvc: Any) -> None:
    app = app_for(qsvc, "cam")  # committee starts on statistics
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from tui.screens.statistics import StatisticsScreen

        assert isinstance(app.screen, StatisticsScreen)
        from tests_tui_render import rendered_text

        text = rendered_text(app.screen.query_one("#stats").content)
        if hasattr(qsvc, "stats"):
            assert "Comments received" in text and "7 days" in text and "30 days" in text
        else:
            assert "not in this build" in text and "queued" in text


@aio
async def test_orders_screen_lists_the_register_for_legal(qsvc: Any) -> None:
    add = getattr(qsvc, "add_order", None)
    if add is not None:
        from datetime import UTC, datetime

        add(
            actor="alice",
            sweep=False,
            case="DPP v J.M. (a minor)",
            court="County Court of Victoria",
            terms=["Jordan Mills"],
            starts=datetime(2026, 1, 1, tzinfo=UTC),
            until=datetime(2027, 12, 31, tzinfo=UTC),
        )
    app = app_for(qsvc, "lucy", start="orders")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        note = str(app.screen.query_one("#orders-note").content)
        table = app.screen.query_one("DataTable")
        if add is not None:
            assert table.row_count == 1 and "1 orders" in note
        else:
            assert "not in this build" in note
