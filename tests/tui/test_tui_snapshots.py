"""Appearance: SVG snapshots at 120x36 with the service clock frozen (ages, SLA clocks and claims are stable).

Update after an intended change with ``pytest tests/tui/test_tui_snapshots.py --snapshot-update`` and look at
the SVGs in ``__snapshots__`` before committing them.
"""

from __future__ import annotations

from typing import Any

import pytest
from tui_helpers import app_for, cid_of, load_hostile_module, queue_screen, settle

pytestmark = [pytest.mark.backends("sqlite")]
SIZE = (120, 36)


def test_queue_first_paint(qsvc: Any, snap_compare: Any) -> None:
    async def ready(pilot: Any) -> None:
        await settle(pilot)

    assert snap_compare(app_for(qsvc, claim_delay=3600), terminal_size=SIZE, run_before=ready)


def test_escalate_dialog(qsvc: Any, snap_compare: Any) -> None:
    async def ready(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)

    assert snap_compare(app_for(qsvc, claim_delay=3600), terminal_size=SIZE, run_before=ready)


def test_masked_slur_then_help(qsvc: Any, snap_compare: Any) -> None:
    target = cid_of(qsvc, "c02")

    async def ready(pilot: Any) -> None:
        await settle(pilot)
        table = queue_screen(pilot.app).table
        table.move_cursor(row=table.index[target])
        await settle(pilot)

    assert snap_compare(app_for(qsvc, claim_delay=3600), terminal_size=SIZE, run_before=ready)


def test_hostile_escape_sequences_and_bidi_are_shown_as_text(hsvc: Any, snap_compare: Any) -> None:
    names = load_hostile_module().case_names()
    wanted = {"ansi_clear_screen", "bidi_override", "fake_status_line"}

    async def ready(pilot: Any) -> None:
        await settle(pilot)
        screen = queue_screen(pilot.app)
        rows = [n for n, it in enumerate(screen.table.items) if names.get(it.external_id) in wanted]
        screen.table.move_cursor(row=rows[0])
        await settle(pilot)

    assert snap_compare(app_for(hsvc, claim_delay=3600), terminal_size=SIZE, run_before=ready)


def test_complaints_screen_with_the_due_clock(qsvc: Any, clock: Any, snap_compare: Any) -> None:
    from test_tui_complaints import complaints

    complaints(qsvc, clock)

    async def ready(pilot: Any) -> None:
        await settle(pilot)

    assert snap_compare(app_for(qsvc, start="complaints", claim_delay=3600), terminal_size=SIZE, run_before=ready)
