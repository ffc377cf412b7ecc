"""The complaints screen (g c): open complaints with the day due and the due clock, overdue first, read-only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from tui_helpers import aio, app_for, cid_of, settle

pytestmark = [pytest.mark.backends("sqlite")]
SIZE = (150, 36)


def complaints(qsvc: Any, clock: Any) -> dict[str, Any]:
    """Three complaints: one overdue, one due next week, one dismissed (all seen on 1 Dec 2026)."""
    clock.value = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    qsvc.decide(cid_of(qsvc, "c06"), "hide", "bob", clause="1", note="swearing")
    qsvc.decide(cid_of(qsvc, "c01"), "approve", "bob")
    qsvc.decide(cid_of(qsvc, "c07"), "approve", "bob")
    clock.value = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # Tuesday 1 December, 14:00 in Melbourne
    late = qsvc.add_complaint(
        cid_of(qsvc, "c06"), "email", "2026-11-20", "alice", note="fair criticism", contact="jo@example.org"
    )
    soon = qsvc.add_complaint(cid_of(qsvc, "c01"), "phone", "2026-11-30", "alice", note="should be hidden")
    done = qsvc.add_complaint(cid_of(qsvc, "c07"), "message", "2026-11-25", "alice", note="rude")
    qsvc.review_complaint(done.id, "dismiss", "lucy", note="no clause applies")
    return {"late": late, "soon": soon, "done": done}


@aio
async def test_open_complaints_are_listed_overdue_first_with_the_due_clock(qsvc: Any, clock: Any) -> None:
    made = complaints(qsvc, clock)
    assert made["late"].due_on == "2026-11-27" and made["soon"].due_on == "2026-12-07"
    app = app_for(qsvc, "bob")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", "c")
        await settle(pilot)
        from tui.screens.complaints import ComplaintsScreen

        screen = app.screen
        assert isinstance(screen, ComplaintsScreen)
        assert [c.id for c in screen.rows] == [made["late"].id, made["soon"].id]
        table = screen.query_one("DataTable")
        cells = [[str(table.get_cell_at((row, col))) for col in range(9)] for row in range(table.row_count)]
        assert cells[0][2] == "hide by bob" and cells[0][5] == "2026-11-27"
        # Due at the end of Friday 27 November in Melbourne (13:00 UTC); it is 1 December 03:00 UTC.
        assert cells[0][6] == "OVERDUE 3d 14h"
        assert cells[1][5] == "2026-12-07" and cells[1][6] == "6d 10h left"
        assert not any("jo@example.org" in cell for row in cells for cell in row)
        status = str(screen.query_one("#complaints-status").content)
        assert "open · 2 shown · 1 overdue" in status and "Australia/Melbourne" in status
        await pilot.press("o")  # reviewed ones too
        await settle(pilot)
        assert [c.id for c in screen.rows] == [made["late"].id, made["soon"].id, made["done"].id]
        assert str(table.get_cell_at((2, 7))) == "dismissed on time" and str(table.get_cell_at((2, 6))) == ""
        await pilot.press("question_mark")
        await settle(pilot)
        from tui.screens.help import COMPLAINT_KEYS, HelpScreen

        assert isinstance(app.screen, HelpScreen) and app.screen.groups == COMPLAINT_KEYS


@aio
async def test_the_committee_reads_the_complaints_screen(qsvc: Any, clock: Any) -> None:
    complaints(qsvc, clock)
    app = app_for(qsvc, "cam", start="complaints")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(app.screen.rows) == 2
