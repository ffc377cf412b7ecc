"""The queue list: one row per open comment, most urgent first.

Every cell is a ``rich.text.Text`` built by ``tui.safe`` (a plain ``str`` cell would be parsed as markup by
``DataTable``). ``show`` replaces the rows but keeps the cursor on the same comment and the screen position of
that row, so new comments arriving above do not move what the moderator is looking at.

The eight columns (selection mark, id, state, severity, clause, where, age, comment) are laid out by ``line`` into
one ``Text`` per row, and the DataTable has a single column: it renders each cell through Rich on its own, so a row
of eight cells cost eight renders every time a row is painted afresh (the cursor entering or leaving it, a row
scrolling into view, every row after a decision removes one). The composed line looks exactly as the cells
would (each cell cut to its width with its own overflow, two spaces between cells).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from moderation.services.views import FindingView, QueueItem
from tui import safe
from tui.format import PLATFORM_SHORT, SEVERITY_STYLE, STATE_STYLE, age, mask_words

FIXED = (("sel", 1), ("id", 6), ("state", 11), ("sev", 8), ("clause", 6), ("where", 16), ("age", 4))
HEADER = [Text(" " if label == "sel" else label, style="bold") for label, _ in FIXED] + [Text("comment", style="bold")]
GAP = "  "  # the right padding of one DataTable cell and the left padding of the next


def line(cells: list[Text], widths: list[int]) -> Text:
    """``cells`` side by side, each cut to its width (with its own overflow, "…" or a plain cut) and padded."""
    out = Text(no_wrap=True, overflow="crop", end="")
    for n, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        if n:
            out.append(GAP)
        piece = cell
        if "\n" in piece.plain:
            piece = piece.split(allow_blank=True)[0]
        if piece.cell_len > width:
            piece = piece.copy()
            piece.truncate(width, overflow=piece.overflow or "fold")
        out.append_text(piece)
        out.append(" " * (width - piece.cell_len))
    return out


class QueueTable(DataTable[Text]):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, actor: str, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, show_cursor=True, **kwargs)  # type: ignore[arg-type]
        self.actor = actor
        self.items: list[QueueItem] = []
        self.index: dict[int, int] = {}
        self._preview_width = 50
        # The eight cells of each row by comment id, to lay the rows out again when the comment column's width changes.
        self.cells: dict[int, list[Text]] = {}
        # Painted rows by (row, what makes it look different); see render_line. Emptied whenever rows change.
        self._painted: dict[tuple[Any, ...], Strip] = {}

    @property
    def widths(self) -> list[int]:
        return [w for _, w in FIXED] + [self._preview_width]

    def line(self, cells: list[Text]) -> Text:
        return line(cells, self.widths)

    def on_mount(self) -> None:
        self.add_column(self.line(HEADER), width=sum(self.widths) + len(GAP) * len(FIXED), key="row")

    def on_resize(self) -> None:
        width = max(20, self.size.width - sum(w for _, w in FIXED) - 2 * (len(FIXED) + 1) - 3)
        if width != self._preview_width and "row" in self.columns:
            self._preview_width = width
            column = self.columns["row"]  # type: ignore[index]
            column.width = sum(self.widths) + len(GAP) * len(FIXED)
            column.label = self.line(HEADER)
            self._painted.clear()
            for cid, cells in self.cells.items():
                self.update_cell(str(cid), "row", self.line(cells))
            self.refresh()

    def notify_style_update(self) -> None:
        self._painted.clear()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        """One screen line of the table, reusing rows painted before.

        DataTable caches its lines by screen line and cursor position, so a cursor move that scrolls the table (every
        ``j`` past the last visible row) repaints every visible row from its cells. Here a row's line is kept by the
        row's identity and position and by whether it is under the cursor or the mouse, so such a move paints just
        the row that scrolled into view and the two rows the cursor left and entered. Every change to rows, column
        widths or styles empties this store.
        """
        header = self.header_height if self.show_header else 0
        if y < header or self.fixed_rows or self.cursor_type != "row":
            return super().render_line(y)
        row = y - header + int(self.scroll_y)
        if not 0 <= row < len(self.items):
            return super().render_line(y)
        key = (
            self.items[row].id,
            row,
            row == self.cursor_row and self.show_cursor,
            getattr(self, "_show_hover_cursor", True) and self.hover_coordinate.row == row,
            int(self.scroll_x),
            self.size.width,
            self.rich_style,
            self.get_pseudo_class_state(),
            self.app.theme,
        )
        strip = self._painted.get(key)
        if strip is None:
            if len(self._painted) > 400:
                self._painted.clear()
            strip = self._painted[key] = super().render_line(y)
        return strip

    # ------------------------------------------------------------ data
    @property
    def current(self) -> QueueItem | None:
        if not self.items or self.cursor_row < 0 or self.cursor_row >= len(self.items):
            return None
        return self.items[self.cursor_row]

    def row_cells(
        self,
        item: QueueItem,
        now: datetime,
        findings: list[FindingView],
        family: frozenset[str],
        revealed: bool,
        selected: bool,
    ) -> list[Text]:
        held = item.claimed_by and item.claimed_by != self.actor
        state = (
            safe.line(f"held:{item.claimed_by}", limit=11, style="bold red")
            if held
            else Text(item.state, style=STATE_STYLE.get(item.state, ""))
        )
        sev = Text(item.severity or "", style=SEVERITY_STYLE.get(item.severity or "", ""))
        where = Text(PLATFORM_SHORT.get(item.platform, item.platform) + " ")
        where.append_text(safe.line(item.account_name or item.account, limit=30))
        masks = [] if revealed else safe.mask_occurrences(item.preview, mask_words(findings, family))
        preview = safe.line(item.preview, limit=400, masks=masks)
        if item.shadow:
            preview = Text("◇ ", style="cyan") + preview
        return [
            Text("●" if selected else " ", style="bold yellow"),
            Text(str(item.id), style="dim"),
            state,
            sev,
            Text(",".join(item.clauses)),
            where,
            Text(age(now - item.created_at)),
            preview,
        ]

    def show(
        self,
        items: list[QueueItem],
        now: datetime,
        findings: Mapping[int, list[FindingView]],
        family: frozenset[str],
        revealed: set[int],
        selected: Mapping[int, object],
        keep: int | None,
    ) -> None:
        """Replace the rows; keep the cursor on comment ``keep`` (or the same index if it is gone)."""
        old_row = self.cursor_row
        old_offset = old_row - int(self.scroll_y)
        self._painted.clear()
        self.clear()
        self.items = list(items)
        self.index = {it.id: n for n, it in enumerate(self.items)}
        self.cells = {}
        for it in self.items:
            self._add(
                it, self.row_cells(it, now, findings.get(it.id, []), family, it.id in revealed, it.id in selected)
            )
        if not self.items:
            return
        target = (
            self.index.get(keep, min(max(old_row, 0), len(self.items) - 1))
            if keep is not None
            else min(max(old_row, 0), len(self.items) - 1)
        )
        self.move_cursor(row=target, animate=False, scroll=False)
        # After the rows are laid out: keep the cursor's row where it was on the screen.
        self.call_after_refresh(self.scroll_to, y=max(0, target - max(old_offset, 0)), animate=False)

    def append(
        self,
        items: list[QueueItem],
        now: datetime,
        findings: Mapping[int, list[FindingView]],
        family: frozenset[str],
        revealed: set[int],
        selected: Mapping[int, object],
    ) -> None:
        self._painted.clear()
        for it in items:
            if it.id in self.index:
                continue
            self.index[it.id] = len(self.items)
            self.items.append(it)
            self._add(
                it, self.row_cells(it, now, findings.get(it.id, []), family, it.id in revealed, it.id in selected)
            )

    def _add(self, item: QueueItem, cells: list[Text]) -> None:
        self.cells[item.id] = cells
        self.add_row(self.line(cells), key=str(item.id))

    def update_item(
        self,
        item: QueueItem,
        now: datetime,
        findings: list[FindingView],
        family: frozenset[str],
        revealed: bool,
        selected: bool,
    ) -> None:
        n = self.index.get(item.id)
        if n is None:
            return
        self.items[n] = item
        cells = self.row_cells(item, now, findings, family, revealed, selected)
        before = self.cells.get(item.id)
        # Only a row that looks different: every update_cell throws away the table's render caches.
        if before is not None and len(before) == len(cells) and all(map(_same, cells, before)):
            return
        self.cells[item.id] = cells
        try:
            self.update_cell(str(item.id), "row", self.line(cells))
        except RowDoesNotExist:
            return
        self._painted.clear()

    def drop(self, comment_id: int) -> None:
        """Remove one row at once (after a decision), leaving the cursor on the row that takes its place."""
        n = self.index.get(comment_id)
        if n is None:
            return
        row = self.cursor_row
        self._painted.clear()
        self.remove_row(str(comment_id))
        del self.items[n]
        self.cells.pop(comment_id, None)
        self.index = {it.id: i for i, it in enumerate(self.items)}
        if self.items:
            self.move_cursor(row=min(row, len(self.items) - 1), animate=False)


def _same(a: Text, b: object) -> bool:
    return isinstance(b, Text) and a.plain == b.plain and a.style == b.style and a.spans == b.spans
