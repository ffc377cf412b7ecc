"""Hostile text cannot change the layout, fake a UI element or trigger an action.

Every comment of the hostile corpus (markup, ANSI, OSC, C0/C1 controls, bidi overrides, zero-width and tag
characters, Zalgo, a 1 MB body, hostile author names) is opened in the real app; the rendered screen must hold
no raw control or format characters, the app must still be on the queue, and the 1 MB body must render fast.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text
from tui_helpers import aio, app_for, load_hostile_module, queue_screen, settle

from tui import safe

pytestmark = [pytest.mark.backends("sqlite")]
BAD = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def rendered(renderable: Any, width: int = 80) -> str:
    console = Console(width=width, record=True, force_terminal=False, color_system=None, file=open("/dev/null", "w"))
    console.print(renderable)
    return console.export_text()


def bad_chars(text: str) -> list[str]:
    return [f"U+{ord(c):04X}" for c in text if c != "\n" and unicodedata.category(c) in BAD]


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_literal_never_lets_a_control_or_format_character_through(text: str) -> None:
    out = safe.literal(text)
    assert not bad_chars(out.plain)
    # No markup was parsed: the only styles are the escape / marker / mask styles safe.py adds itself.
    assert {sp.style for sp in out.spans} <= {safe.ESCAPE_STYLE, safe.MARKER_STYLE, safe.MASK_STYLE}
    one = safe.line(text)
    assert "\n" not in one.plain and not bad_chars(one.plain)


@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=60), st.integers(0, 30))
@settings(max_examples=200, deadline=None)
def test_highlight_and_mask_spans_stay_inside_the_text(text: str, start: int) -> None:
    end = min(len(text), start + 5)
    out = safe.literal(text, styles=[(start, end, "bold")], masks=[(start, end)])
    assert all(0 <= s.start <= s.end <= len(out.plain) for s in out.spans)


def test_markup_stays_text_and_escapes_are_visible() -> None:
    assert safe.literal("[@click=app.quit]x[/]").plain == "[@click=app.quit]x[/]"
    assert safe.line("\x1b[31mRED\u202e").plain == "⟨U+001B⟩[31mRED⟨U+202E⟩"
    big = safe.literal("x" * 1_000_000)
    assert "… 996,000 more characters" in big.plain and len(big.plain) < 4100


def test_masking_replaces_the_span_until_revealed() -> None:
    assert safe.literal("you absolute cunt", masks=[(13, 17)]).plain == "you absolute ••••"
    assert safe.mask_occurrences("A CUNT and a cunt", ["cunt"]) == [(2, 6), (13, 17)] or sorted(
        safe.mask_occurrences("A CUNT and a cunt", ["cunt"])
    ) == [(2, 6), (13, 17)]


@aio
async def test_every_hostile_comment_renders_as_inert_text(hsvc: Any) -> None:
    hostile = load_hostile_module()
    app = app_for(hsvc, claim_delay=60)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = queue_screen(app)
        total = len(screen.table.items)
        assert total == len(hostile.CASES)
        seen_big = False
        for n in range(total):
            if n:
                # Speed is measured in bench/bench_tui.py; here it is enough that every item opens.
                screen.table.move_cursor(row=n)
                await settle(pilot, rounds=2)
            d = screen.detail
            assert d is not None and screen.shown_id == screen.table.current.id
            assert screen.context_id == d.item.id, "the right column (author history, ledger) is checked too"
            main = app.screen.query_one("#detail-main").content
            side = app.screen.query_one("#detail-side").content
            for part in (main, side):
                assert not bad_chars(rendered(part)), (d.item.external_id, bad_chars(rendered(part))[:5])
            if n % 10 == 0 or len(d.text) > 500_000:
                svg = app.export_screenshot()
                assert "\x1b" not in svg and "\u202e" not in svg
            if len(d.text) > 500_000:
                seen_big = True
                assert "more characters" in rendered(main)
            assert app.is_running and isinstance(app.screen, type(screen))
        assert seen_big
        # The markup case is shown literally, and clicking nothing quit the app.
        texts = {i.external_id: i for i in screen.table.items}
        names = hostile.case_names()
        click = next(cid for cid, name in names.items() if name == "textual_click_action")
        assert texts[click].preview.startswith("[@click=app.quit]")
        assert app.is_running


def test_a_queue_row_drawn_as_one_line_looks_like_seven_cells() -> None:
    """QueueTable lays a row's seven cells out into one Text (one render per row instead of seven): for every
    hostile text, at several comment widths, the line must render cell for cell as DataTable renders separate
    cells (each in a one-line Padding of one space, cut to its width with its own overflow)."""
    from rich.padding import Padding
    from rich.style import Style

    from tui.widgets.queue_table import line

    console = Console(width=400, color_system="truecolor", file=open("/dev/null", "w"))

    def cells_of(segments: Any) -> list[tuple[str, Style | None]]:
        return [(ch, s.style if s.style else None) for s in segments for ch in s.text]

    def one_line(renderable: Any, width: int) -> list[tuple[str, Style | None]]:
        options = console.options.update_dimensions(width, 1).update(no_wrap=True)
        return cells_of(console.render_lines(renderable, options)[0])

    texts = [text for _, text, _, _ in load_hostile_module().CASES] + ["short", "漢字" * 40, "x" * 300]
    for width in (5, 20, 73):
        widths = [1, 11, 8, 6, 16, 4, width]
        for text in texts:
            cells = [
                Text("●", style="bold yellow"),
                safe.line("held:a_long_moderator_name", limit=11, style="bold red"),
                Text("critical", style="bold white on red"),
                Text("1,5"),
                Text("FB ") + safe.line(text[:40], limit=30),
                Text("12d"),
                safe.line(text[:400], limit=400, masks=[(0, 3)]),
            ]
            expected = [
                c for cell, w in zip(cells, widths, strict=True) for c in one_line(Padding(cell, (0, 1)), w + 2)
            ]
            got = one_line(Padding(line(cells, widths), (0, 1)), sum(widths) + 2 * len(widths))
            normal = [(ch, None if st == Style() else st) for ch, st in got]
            assert normal == [(ch, None if st == Style() else st) for ch, st in expected], (width, text[:40])
