"""The statistics screen draws real bars (plotext is pinned: 6.x drew empty frames)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.console import Console
from tui_helpers import aio, app_for, settle

from tui.screens.statistics import chart

pytestmark = [pytest.mark.backends("sqlite")]


def _bar_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if "█" in line]


def test_a_bar_chart_draws_bars_in_proportion() -> None:
    out = chart("bar", ["automation", "people"], [2.0, 8.0], "Hidden by whom", 40, 12).plain
    rows = _bar_rows(out)
    assert rows, out
    # The taller bar fills every bar row; the shorter one only the lower quarter or so.
    left_half = [r for r in rows if "█" in r[: len(r) // 2]]
    assert 0 < len(left_half) < len(rows) / 2, out


def test_a_horizontal_and_a_stacked_chart_draw_bars() -> None:
    assert _bar_rows(chart("hbar", ["cl.1", "cl.5"], [3.0, 9.0], "Hidden by clause", 40, 10).plain)
    stacked = chart("stacked", ["11-01", "11-02"], [[1.0, 2.0], [3.0, 0.0], [0.0, 1.0]], "Per day", 50, 12,
                    series=["facebook", "instagram", "x"]).plain  # fmt: skip
    assert _bar_rows(stacked) and "instagram" in stacked


def test_nothing_to_draw_says_so() -> None:
    assert chart("bar", [], [], "Hidden by whom", 40, 12).plain == "Hidden by whom: nothing in this period"


def test_charts_drawn_from_several_threads_at_once_stay_whole() -> None:
    # plotext has one global figure; the screen may draw from two workers at once (mounted and resumed).
    from concurrent.futures import ThreadPoolExecutor

    def draw(i: int) -> str:
        return chart("bar", ["automation", "people"], [float(i + 1), 8.0], f"Chart {i}", 40, 12).plain

    with ThreadPoolExecutor(max_workers=8) as pool:
        outs = list(pool.map(draw, range(64)))
    for i, out in enumerate(outs):
        assert f"Chart {i}" in out and _bar_rows(out), out


@aio
async def test_the_statistics_screen_draws_bars(qsvc: Any) -> None:
    qsvc.decide(int(qsvc.find_comment("c01")), "hide", "alice", clause="11")
    app = app_for(qsvc, "cam")  # the committee starts on statistics
    async with app.run_test(size=(140, 60)) as pilot:
        await settle(pilot)
        from tui.screens.statistics import StatisticsScreen

        assert isinstance(app.screen, StatisticsScreen)
        # The charts are drawn in a worker thread and posted back: under load the message can land after the
        # workers look quiet, so read the body until it holds the charts (or give up after ten seconds).
        body = ""
        for _ in range(100):
            console = Console(width=140, record=True, file=io.StringIO())
            console.print(app.screen.query_one("#stats").content)
            body = console.export_text()
            if "Computing" not in body:
                break
            await pilot.pause(0.1)
        assert "Hidden by whom" in body and len(_bar_rows(body)) >= 3, body
