"""Behaviour through Pilot: press keys as a moderator would, then assert on the service's state
(the decision recorded, the ledger written, the outbox row queued), not on pixels."""

from __future__ import annotations

from typing import Any

import pytest
from tui_helpers import COMMENTS, aio, app_for, cid_of, ingest, move_to, queue_screen, record, settle

from moderation.domain import ConflictError

pytestmark = [pytest.mark.backends("sqlite")]
SIZE = (120, 36)


@aio
async def test_first_paint_shows_the_queue_priority_first_then_oldest(qsvc: Any) -> None:
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = queue_screen(app)
        shown = [i.id for i in screen.table.items]
        assert shown == [i.id for i in qsvc.queue()]
        assert len(shown) == len(COMMENTS)
        priorities = [i.priority for i in screen.table.items]
        assert priorities == sorted(priorities, reverse=True) and priorities[0] > priorities[-1]
        assert screen.shown_id == shown[0]
        assert screen.counts.get("queued", 0) + screen.counts.get("escalated", 0) >= 1


@aio
async def test_h_hides_with_the_comments_clause_and_writes_ledger_and_outbox(qsvc: Any) -> None:
    target = cid_of(qsvc, "c06")  # mild swearing: queued, clause 1
    before = qsvc.detail(target)
    assert before.item.state == "queued" and before.item.clauses
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, target)
        await pilot.press("h")
        await settle(pilot)
        assert target not in queue_screen(app).table.index
    d = qsvc.detail(target)
    assert d.item.state == "hidden"
    last = d.decisions[-1]
    assert (last.actor, last.action, last.clauses) == ("alice", "hide", before.item.clauses)
    assert d.ledger[-1].kind == "decided" and d.ledger[-1].actor == "alice"
    assert [(o.action, o.status) for o in d.outbox][-1] == ("hide", "pending")


@aio
async def test_a_approves_and_the_next_item_is_under_the_cursor(qsvc: Any) -> None:
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = queue_screen(app)
        first, second = screen.table.items[0].id, screen.table.items[1].id
        await pilot.press("a")
        await settle(pilot)
        assert screen.table.current is not None and screen.table.current.id == second
        assert screen.shown_id == second
    assert qsvc.detail(first).item.state == "approved"


@aio
async def test_hide_without_a_clause_asks_for_one(qsvc: Any) -> None:
    target = cid_of(qsvc, "c01")  # no rule matched: no clause
    assert not qsvc.detail(target).item.clauses
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, target)
        await pilot.press("h")
        await settle(pilot)
        from tui.screens.dialogs import ClausePicker

        assert isinstance(app.screen, ClausePicker)
        await pilot.press("down", "down", "down", "enter")  # 1, 2, 3 -> the fourth: clause 4
        await settle(pilot)
    d = qsvc.detail(target)
    assert d.item.state == "hidden" and d.decisions[-1].clauses == ["4"]


@aio
async def test_e_escalates_to_legal_with_a_note_and_u_undoes_it(qsvc: Any) -> None:
    target = cid_of(qsvc, "c06")
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, target)
        await pilot.press("e")
        await settle(pilot)
        from tui.screens.dialogs import EscalateDialog

        assert isinstance(app.screen, EscalateDialog)
        app.screen.query_one("#note").value = "possible defamation"
        await pilot.press("enter")
        await settle(pilot)
        d = qsvc.detail(target)
        assert d.item.state == "escalated"
        esc = d.escalations[-1]
        assert (esc.route, esc.status) == ("legal", "open") and "possible defamation" in esc.notes
        await pilot.press("u")
        await settle(pilot)
        assert queue_screen(app).table.current.id == target
    d = qsvc.detail(target)
    assert d.item.state == "queued"
    assert d.decisions[-1].action == "undo" and d.escalations[-1].status == "withdrawn"


@aio
async def test_escalate_dialog_route_keys_choose_privacy(qsvc: Any) -> None:
    target = cid_of(qsvc, "c06")
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, target)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("p", "tab", "tab", "tab")
        app.screen.query_one("#note").value = "client file"
        await pilot.press("enter")
        await settle(pilot)
    assert qsvc.detail(target).escalations[-1].route == "privacy"


@aio
async def test_e_p_enter_escalates_to_privacy_with_an_empty_note(qsvc: Any) -> None:
    """Focus starts on the route: "p" chooses privacy (it never lands in the note, which goes into the ledger)
    and enter escalates as chosen."""
    target = cid_of(qsvc, "c06")
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, target)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("p")
        await pilot.press("enter")
        await settle(pilot)
    d = qsvc.detail(target)
    assert d.item.state == "escalated"
    assert (d.escalations[-1].route, d.escalations[-1].notes) == ("privacy", "")
    (decision,) = [x for x in d.decisions if x.action == "escalate"]
    assert decision.note == ""


@aio
async def test_enter_at_once_escalates_to_the_default_route_and_typing_chooses_no_note(qsvc: Any) -> None:
    target = cid_of(qsvc, "c06")
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, target)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("m", "x", "enter")  # "x" is no route key: nothing is typed anywhere
        await settle(pilot)
    d = qsvc.detail(target)
    assert (d.escalations[-1].route, d.escalations[-1].notes) == ("media", "")


@aio
async def test_opening_an_item_claims_it_and_another_moderator_is_refused(qsvc: Any) -> None:
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        await settle(pilot)
        current = queue_screen(app).shown_id
        assert qsvc.detail(current).item.claimed_by == "alice"
        with pytest.raises(ConflictError, match="alice is looking at this comment"):
            qsvc.decide(current, "approve", "bob")
        await pilot.press("j")
        await settle(pilot)
        await pilot.pause(0.2)
        await settle(pilot)
        assert qsvc.detail(current).item.claimed_by is None  # released when alice moved on
        await pilot.press("q")
    assert qsvc.detail(queue_screen_id := current).item.claimed_by is None or queue_screen_id


@aio
async def test_a_decision_that_lost_the_race_says_so_and_shows_the_fresh_state(qsvc: Any) -> None:
    app = app_for(qsvc, claim_delay=60)  # no claim: both moderators see the item as free
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = queue_screen(app)
        target = screen.shown_id
        qsvc.decide(target, "approve", "bob")  # the other TUI decides first
        await pilot.press("h")
        await settle(pilot)
        messages = [str(n.message) for n in app._notifications]
        assert any(f"#{target}" in m and "approved" in m for m in messages), messages
        assert screen.detail is not None and screen.detail.item.id == target
        assert screen.detail.item.state == "approved"  # the fresh state, decided by bob
    d = qsvc.detail(target)
    assert d.item.state == "approved"
    assert [x.actor for x in d.decisions if not x.actor.startswith("auto:")] == ["bob"]


@aio
async def test_new_comments_appear_without_moving_the_cursor(qsvc: Any) -> None:
    app = app_for(qsvc, refresh_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = queue_screen(app)
        await pilot.press("j", "j")
        await settle(pilot)
        looking_at = screen.table.current.id
        ingest(
            qsvc,
            [
                record("n01", "z1", "New Person", "You absolute cunt", 300),
                record("n02", "z2", "Newer Person", "What time does the hall open?", 301),
            ],
        )
        for _ in range(10):
            await pilot.pause(0.15)
            await settle(pilot, rounds=2)
            if cid_of(qsvc, "n01") in screen.table.index:
                break
        assert cid_of(qsvc, "n01") in screen.table.index and cid_of(qsvc, "n02") in screen.table.index
        assert screen.table.current.id == looking_at
        assert screen.shown_id == looking_at


@aio
async def test_space_and_s_select_copies_and_A_approves_them_all(qsvc: Any) -> None:
    copies = {cid_of(qsvc, c) for c in ("c03", "c04", "c05")}
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, cid_of(qsvc, "c03"))
        await pilot.press("s")
        await settle(pilot)
        screen = queue_screen(app)
        assert set(screen.selected) == copies
        await pilot.press("A")
        await settle(pilot)
        await pilot.press("y")  # confirm the bulk action
        await settle(pilot)
        assert not screen.selected
        assert not copies & set(screen.table.index)
    assert {qsvc.detail(c).item.state for c in copies} == {"approved"}


@aio
async def test_space_selects_one_and_H_hides_the_selection_citing_a_chosen_clause(qsvc: Any) -> None:
    a, b = cid_of(qsvc, "c01"), cid_of(qsvc, "c07")  # neither has a clause
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, a)
        await pilot.press("space")
        await move_to(pilot, b)
        await pilot.press("space")
        await settle(pilot)
        assert set(queue_screen(app).selected) == {a, b}
        await pilot.press("H")
        await settle(pilot)
        app.screen.query_one("OptionList").highlighted = 10  # clause 11
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")  # confirm the bulk action
        await settle(pilot)
    for c in (a, b):
        d = qsvc.detail(c)
        assert d.item.state == "hidden" and d.decisions[-1].clauses == ["11"]


@aio
async def test_search_and_filters_narrow_the_queue(qsvc: Any) -> None:
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = queue_screen(app)
        await pilot.press("slash")
        app.screen.query_one("#search").value = "petition"
        await pilot.press("enter")
        await settle(pilot)
        assert {i.id for i in screen.table.items} == {cid_of(qsvc, c) for c in ("c03", "c04", "c05")}
        await pilot.press("slash", "ctrl+a", "ctrl+k", "enter")  # empty search clears it
        await settle(pilot)
        assert len(screen.table.items) == len(COMMENTS)
        await pilot.press("f")
        await settle(pilot)
        from tui.screens.dialogs import FilterDialog

        assert isinstance(app.screen, FilterDialog)
        app.screen.query_one("#state").value = "escalated"
        await pilot.click("#ok")
        await settle(pilot)
        assert screen.table.items and {i.state for i in screen.table.items} == {"escalated"}


@aio
async def test_c_changes_the_clause_the_hide_cites(qsvc: Any) -> None:
    target = cid_of(qsvc, "c06")
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await move_to(pilot, target)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("home", "down", "down", "down", "enter")  # clause 4
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
    assert qsvc.detail(target).decisions[-1].clauses == ["4"]


@aio
async def test_a_committee_member_cannot_decide(qsvc: Any) -> None:
    app = app_for(qsvc, "cam", start="queue")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = queue_screen(app).shown_id
        await pilot.press("a")
        await settle(pilot)
        assert any("may not approve" in str(n.message) for n in app._notifications)
    assert qsvc.detail(target).item.state != "approved"


@aio
async def test_help_lists_every_key_and_q_quits(qsvc: Any) -> None:
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        from tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 or app.return_code is None


@aio
async def test_items_seen_this_session_are_counted(qsvc: Any) -> None:
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(3):
            await pilot.press("j")
            await settle(pilot)
        assert len(app.seen) == 4
        status = str(app.screen.query_one("#status").content)
        assert "seen 4 this session" in status


@aio
async def test_break_reminder(qsvc: Any) -> None:
    app = app_for(qsvc, break_minutes=0.3 / 60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        assert any("break" in str(n.message) for n in app._notifications)


@aio
async def test_t_switches_to_the_high_contrast_theme(qsvc: Any) -> None:
    app = app_for(qsvc)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        column = app.screen.query_one("#detail-main")
        before = {seg.style.bgcolor for seg in column.render_line(0) if seg.style}
        await pilot.press("t")
        assert app.theme == "modq-high-contrast"
        await settle(pilot)
        # The detail columns paint pre-rendered lines: they are rendered again in the new colours.
        after = {seg.style.bgcolor for seg in column.render_line(0) if seg.style}
        assert after == {column.rich_style.bgcolor} and after != before


@aio
async def test_k_back_shows_the_comment_just_seen_at_once_and_a_decision_forgets_it(qsvc: Any) -> None:
    import threading

    app = app_for(qsvc, claim_delay=60)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = queue_screen(app)
        first, second = screen.table.items[0].id, screen.table.items[1].id
        await pilot.press("j")
        await settle(pilot)
        assert screen.shown_id == second and screen.context_id == second
        gate = threading.Event()
        real = qsvc.detail

        def held(comment_id: int, **kwargs: Any) -> Any:
            gate.wait(10)
            return real(comment_id, **kwargs)

        qsvc.detail = held
        try:
            await pilot.press("k")
            # The fresh read is held back: the comment and its context are the ones shown a moment ago.
            assert screen.shown_id == first and screen.context_id == first
            assert screen.detail is not None and screen.detail.text == real(first).text
            assert screen.detail.ledger, "the context came back too"
        finally:
            gate.set()
            qsvc.detail = real
        await settle(pilot)
        assert screen.shown_id == first
        await pilot.press("a")
        await settle(pilot)
        assert first not in screen.recent and set(screen.recent) <= {screen.shown_id}
