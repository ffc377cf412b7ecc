"""The alerts screen: what needs a person, in the department's time zone, acknowledged with a key."""

from __future__ import annotations

from typing import Any

import pytest
from tui_helpers import aio, app_for, cid_of, settle

pytestmark = [pytest.mark.backends("sqlite")]
SIZE = (140, 36)


def _alerts(qsvc: Any, clock: Any) -> list[Any]:
    qsvc.decide(cid_of(qsvc, "c06"), "escalate", "bob", route="legal", note="says the mayor is corrupt")
    qsvc.set_automation(True, "alice", "incident")
    clock.advance(hours=5)  # past the 4-hour legal SLA: 14:00 UTC is 01:00 the next day in Melbourne
    return qsvc.scan_alerts()


@aio
async def test_alerts_are_listed_in_local_time_and_acknowledged(qsvc: Any, clock: Any) -> None:
    made = _alerts(qsvc, clock)
    assert sorted(a.kind for a in made) == ["automation_paused", "sla_breach"]
    app = app_for(qsvc, "bob")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", "a")
        await settle(pilot)
        from tui.screens.alerts import AlertsScreen

        screen = app.screen
        assert isinstance(screen, AlertsScreen)
        assert [a.id for a in screen.rows] == sorted((a.id for a in made), reverse=True)
        table = screen.query_one("DataTable")
        assert str(table.get_cell_at((0, 1))) == "22 Nov 01:00"
        assert "Australia/Melbourne" in str(screen.query_one("#alerts-status").content)
        first = screen.rows[0].id
        await pilot.press("a")
        await settle(pilot)
        assert [a.id for a in qsvc.alerts(include_acknowledged=True) if a.acknowledged_by == "bob"] == [first]
        assert len(screen.rows) == 1
        await pilot.press("A")
        await settle(pilot)
        assert qsvc.alerts() == [] and screen.rows == []
        await pilot.press("o")  # every alert, acknowledged ones too
        await settle(pilot)
        assert len(screen.rows) == 2 and all(a.acknowledged_by == "bob" for a in screen.rows)


@aio
async def test_the_committee_reads_alerts_but_cannot_acknowledge(qsvc: Any, clock: Any) -> None:
    _alerts(qsvc, clock)
    app = app_for(qsvc, "cam", start="alerts")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(app.screen.rows) == 2
        await pilot.press("a")
        await settle(pilot)
        assert any("read-only" in str(n.message) for n in app._notifications)
    assert len(qsvc.alerts()) == 2
