"""The queue for the first week: local times, an id column and jump-to-id, the link to the comment on its
platform, confirmation and undo for bulk actions, and each role starting on what it can act on."""

from __future__ import annotations

import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from tui_helpers import aio, app_for, cid_of, move_to, queue_screen, settle

pytestmark = [pytest.mark.backends("sqlite")]
SIZE = (140, 40)
MELBOURNE = ZoneInfo("Australia/Melbourne")


def text_of(renderable: Any, width: int = 200) -> str:
    from rich.console import Console

    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def _main_text(app: Any) -> str:
    return text_of(app.screen.query_one("#detail-main").content)


@aio
async def test_times_are_the_departments_and_rows_show_their_id(qsvc: Any) -> None:
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = queue_screen(app)
        item = screen.table.current
        assert screen.table.get_row_at(0)[0].plain.split()[0] == str(item.id)  # the id column comes first
        local = item.created_at.astimezone(MELBOURNE).strftime("%Y-%m-%d %H:%M AEDT")
        main = _main_text(app)
        assert local in main and " UTC" not in main


@aio
async def test_jump_to_an_id_in_the_list_and_to_one_that_is_not(qsvc: Any) -> None:
    hidden_by_search = cid_of(qsvc, "c07")
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = queue_screen(app)
        target = screen.table.items[-1].id
        await pilot.press("number_sign")
        await pilot.press(*str(target), "enter")
        await settle(pilot)
        assert screen.table.current.id == target and screen.shown_id == target

        # Narrow the list so c07 is not in it, then go to c07 by its id: shown in place of the row, and a decision
        # acts on what is shown.
        screen.apply_filters(screen.filters.__class__(search="petition"))
        await settle(pilot)
        assert hidden_by_search not in screen.table.index
        under_cursor = screen.table.current.id
        await pilot.press("number_sign")
        await pilot.press("#", *str(hidden_by_search), "enter")
        await settle(pilot)
        assert screen.shown_id == hidden_by_search and f"#{hidden_by_search}" in _main_text(app)
        await pilot.press("a")
        await settle(pilot)
        assert qsvc.detail(hidden_by_search).item.state == "approved"
        assert qsvc.detail(under_cursor).item.state == "queued"

        # An id that is no comment, and text that is no id: one clear message each, nothing else changes.
        await pilot.press("number_sign", *"99999", "enter")
        await settle(pilot)
        await pilot.press("number_sign", *"abc", "enter")
        await settle(pilot)
        messages = [str(n.message) for n in app._notifications]
        assert any("no comment with id 99999" in m for m in messages)
        assert any("'abc' is not a comment id" in m for m in messages)
        assert screen.shown_id == screen.table.current.id


@aio
async def test_the_link_to_the_comment_is_shown_opened_and_copied(qsvc: Any) -> None:
    target = cid_of(qsvc, "c03")
    app = app_for(qsvc)
    opened: list[str] = []
    app.open_url = lambda url, **_: opened.append(url)  # the browser is the one thing not started here
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, target)
        assert "https://fb.example/c/c03" in _main_text(app)
        await pilot.press("o")
        await pilot.press("y")
        await settle(pilot)
        assert opened == ["https://fb.example/c/c03"]
        assert app.clipboard == "https://fb.example/c/c03"


@aio
async def test_bulk_actions_ask_first_and_undo_together(qsvc: Any) -> None:
    copies = {cid_of(qsvc, c) for c in ("c03", "c04", "c05")}
    before = {c: qsvc.detail(c).item.state for c in copies}
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, cid_of(qsvc, "c03"))
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        from tui.screens.dialogs import ConfirmDialog

        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # declined: nothing decided, still selected
        await settle(pilot)
        assert {qsvc.detail(c).item.state for c in copies} == set(before.values())
        assert set(queue_screen(app).selected) == copies
        await pilot.press("A")
        await settle(pilot)
        await pilot.press("enter")  # the focus starts on No: enter alone never confirms
        await settle(pilot)
        assert {qsvc.detail(c).item.state for c in copies} == set(before.values())
        await pilot.press("A")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert {qsvc.detail(c).item.state for c in copies} == {"approved"}

        await pilot.press("u")  # the whole bulk action, after asking
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert {c: qsvc.detail(c).item.state for c in copies} == before
        assert app.undo_stack == []
    for c in copies:
        assert [d.action for d in qsvc.detail(c).decisions][-2:] == ["approve", "undo"]


@aio
async def test_a_moderator_starts_without_legal_items(qsvc: Any) -> None:
    legal, media = cid_of(qsvc, "c06"), cid_of(qsvc, "c02")
    qsvc.decide(legal, "escalate", "alice", route="legal", note="allegation")
    qsvc.decide(media, "escalate", "alice", route="media", clause="1", note="press interest")
    app = app_for(qsvc, "bob")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = queue_screen(app)
        assert legal not in screen.table.index and media in screen.table.index
        assert "without legal escalations" in str(screen.query_one("#status").content)
        assert screen.table.current.id != legal
    admin = app_for(qsvc, "alice")
    async with admin.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert legal in queue_screen(admin).table.index
