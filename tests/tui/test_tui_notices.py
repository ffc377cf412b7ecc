"""The terminal tells the person when something they wrote was kept out of the public record."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from tui_helpers import aio, app_for, cid_of, settle

pytestmark = [pytest.mark.backends("sqlite")]


@aio
async def test_a_withheld_note_is_shown_as_a_warning(qsvc: Any) -> None:
    qsvc.add_order("R v K", "County Court", ["Kelly Lang"], datetime(2026, 1, 1, tzinfo=UTC), None, actor="lucy")
    qsvc.take_notices()
    app = app_for(qsvc, "bob")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        # What a worker thread does for a key press: the decision goes through the app's own service.
        app.svc.decide(cid_of(qsvc, "c06"), "escalate", "bob", route="legal", note="see kelly lang's case")
        await pilot.pause(0.8)
        messages = [str(n.message) for n in app._notifications]
    assert any("names a person protected by a suppression order" in m for m in messages), messages
    assert qsvc.take_notices() == []
