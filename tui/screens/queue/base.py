"""The queue screen's state and how it is drawn: the status line, the detail pane and a row of the list."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from moderation.services.views import CommentDetail, FindingView, QueueItem
from tui import safe
from tui.screens.dialogs import Filters
from tui.widgets.detail import DetailPane
from tui.widgets.queue_table import QueueTable

if TYPE_CHECKING:
    from tui.app import ModqApp

OPEN = ("queued", "escalated", "auto_hidden")
NEXT_STATE = {"approve": "approved", "hide": "hidden", "escalate": "escalated"}
PAGE = 200
# Seconds the cursor must stay on a comment before its context (neighbours, author history, platform, ledger) is read.
CONTEXT_REST = 0.08
RECENT = 32  # details kept for going back and forth (k, j)


class QueueBase(Screen[None]):
    def __init__(self) -> None:
        super().__init__()
        self.filters = Filters()
        self.window = PAGE
        self.findings: dict[int, list[FindingView]] = {}
        self.revealed: set[int] = set()
        self.selected: dict[int, QueueItem] = {}
        self.cite: dict[int, str] = {}
        self.pending: set[int] = set()
        self.counts: dict[str, int] = {}
        self.detail: CommentDetail | None = None
        # The author's earlier decisions and the masks for neighbours' and history previews, once the detail's
        # context (fetched after the cursor rests) is in; context_id says which comment that context is for.
        self.detail_extra: tuple[list[Any], dict[int, list[tuple[int, int]]]] = ([], {})
        self.context_id: int | None = None
        # Details shown lately, by comment id: (detail, detail_extra, whether it includes the context). Emptied on
        # every decision, undo, reload or change seen elsewhere.
        self.recent: OrderedDict[int, tuple[CommentDetail, tuple[list[Any], dict[int, list[tuple[int, int]]]], bool]]
        self.recent = OrderedDict()
        self.wanted_id: int | None = None
        self.shown_id: int | None = None
        self.claimed: int | None = None
        self.refused: int | None = None
        # (refused comment, row under the cursor): keep showing the refused comment until the cursor moves.
        self.pinned: tuple[int, int | None] | None = None
        # A comment reached with # that is not in the list: shown, and what a decision acts on, until the cursor moves.
        self.jumped: int | None = None
        self.token: Any = None
        self.more_possible = False
        self.loading_more = False
        self.loaded_once = False
        self.accounts: list[tuple[Text, str]] = []
        self._claim_timer: Timer | None = None
        self._context_timer: Timer | None = None
        # Called with the comment id each time its detail is on screen (the benchmark listens here).
        self.detail_shown_hook: Callable[[int], None] | None = None
        # Called with the comment id when its context (neighbours, author history, platform, ledger) is on screen.
        self.context_shown_hook: Callable[[int], None] | None = None

    @property
    def modq(self) -> ModqApp:
        return self.app  # type: ignore[return-value]

    @property
    def table(self) -> QueueTable:
        return self.query_one(QueueTable)

    def render_detail(self) -> None:
        d = self.detail
        if d is None:
            return
        decisions, masks = self.detail_extra
        self.query_one(DetailPane).show(
            d,
            now=self.modq.svc.now(),
            clauses=self.modq.clauses,
            family=self.modq.mask_family,
            revealed=d.item.id in self.revealed,
            actor=self.modq.actor,
            cite=self.cite.get(d.item.id),
            author_decisions=decisions,
            masks_for={} if d.item.id in self.revealed else masks,
            context=self.context_id == d.item.id,
        )

    def render_status(self) -> None:
        app = self.modq
        t = Text(" modq ", style="bold reverse")
        t.append(" ")
        t.append_text(safe.line(app.actor, limit=30, style="bold"))
        t.append(f" ({app.role or 'not a moderator'})  ", style="dim")
        for state in OPEN:
            t.append(f"{state.replace('_', ' ')} {self.counts.get(state, 0):,}  ")
        t.append(f"│ seen {len(app.seen)} this session ", style="cyan")
        if self.selected:
            t.append(f"│ {len(self.selected)} selected ", style="bold yellow")
        described = self.filters.describe()
        if described:
            t.append("│ ")
            t.append_text(safe.line(f"filter: {described}", limit=60, style="yellow"))
        t.no_wrap = True
        t.overflow = "ellipsis"
        self.query_one("#status", Static).update(t, layout=False)  # one line, always: no layout pass

    def refresh_row(self, comment_id: int) -> None:
        n = self.table.index.get(comment_id)
        if n is None:
            return
        it = self.table.items[n]
        self.table.update_item(
            it,
            self.modq.svc.now(),
            self.findings.get(it.id, []),
            self.modq.mask_family,
            it.id in self.revealed,
            it.id in self.selected,
        )
