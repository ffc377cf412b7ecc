"""The queue screen: the list of open comments above, the chosen comment's full story below.

Data flow (ARCHITECTURE.md habit 5): key bindings call ``action_*``; every service call runs in a thread worker
(``@work(thread=True)``); results come back as messages handled on the UI thread. Nothing here touches the
database directly, so a slow query never freezes a key press.

Decisions are optimistic in the list only: the row leaves at once so the next comment is under the cursor
immediately, while the decision runs with the row version the moderator saw. If someone else decided first the
service refuses (``ConflictError``); the message is shown, the queue reloads and the cursor returns to the item so
the moderator sees its fresh state. Live refresh compares a cheap change token every few seconds and reloads the
loaded window keeping the cursor on the same comment.

Moving the cursor shows a comment in two steps. First what the decision rests on (``detail(id, context=False)``:
the text with its findings, why it is queued, decisions, escalations, the official post) in the left column.
Then, once the cursor has rested for ``CONTEXT_REST``, its context (``detail_context``: neighbours on the post,
the author's other comments and earlier decisions, the platform state, the ledger): while j is held, those reads
would only slow down the next comment's. The last ``RECENT`` details shown are kept, so k back shows a comment at
once while its fresh read runs; any decision, undo, reload or outside change empties them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from moderation.domain import ModqError
from moderation.services.views import CommentDetail, FindingView, QueueItem
from tui import safe
from tui.format import mask_spans
from tui.screens.dialogs import (
    ClausePicker,
    ConfirmDialog,
    EscalateDialog,
    EscalateRequest,
    FilterDialog,
    Filters,
)
from tui.screens.help import QUEUE_KEYS
from tui.widgets.detail import DetailPane
from tui.widgets.keybar import APP_KEYS, KeyBar
from tui.widgets.queue_table import QueueTable

if TYPE_CHECKING:
    from tui.app import ModqApp

OPEN = ("queued", "escalated", "auto_hidden")
NEXT_STATE = {"approve": "approved", "hide": "hidden", "escalate": "escalated"}
PAGE = 200
# Seconds the cursor must stay on a comment before its context (neighbours, author history, platform, ledger) is read.
CONTEXT_REST = 0.08
RECENT = 32  # details kept for going back and forth (k, j)


class SearchInput(Input):
    BINDINGS = [Binding("escape", "cancel", "Cancel search")]

    class Cancelled(Message):
        pass

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())


class JumpInput(Input):
    """``#``: a comment id to go to."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    class Cancelled(Message):
        pass

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())


class QueueScreen(Screen[None]):
    HELP_KEYS = QUEUE_KEYS
    BINDINGS = [
        Binding("a", "decide('approve')", "Approve"),
        Binding("h", "decide('hide')", "Hide"),
        Binding("e", "escalate", "Escalate"),
        Binding("u", "undo", "Undo"),
        Binding("c", "clause", "Cite"),
        Binding("space", "select", "Select", key_display="␣"),
        Binding("A", "bulk('approve')", "Approve sel.", show=False),
        Binding("H", "bulk('hide')", "Hide sel.", show=False),
        Binding("s", "similar", "Same"),
        Binding("slash", "search", "Find"),
        Binding("number_sign", "jump", "Go to id", key_display="#"),
        Binding("o", "open_link", "Open on the platform"),
        Binding("y", "copy_link", "Copy link"),
        Binding("f", "filters", "Filter"),
        Binding("r", "reveal", "Reveal"),
        Binding("x", "clear_selection", "Clear selection", show=False),
        Binding("R", "reload", "Reload", show=False),
        Binding("ctrl+d", "detail_scroll(1)", "Detail down", show=False),
        Binding("ctrl+u", "detail_scroll(-1)", "Detail up", show=False),
    ]

    # ------------------------------------------------------------ messages
    class QueueLoaded(Message):
        def __init__(
            self,
            items: list[QueueItem],
            findings: dict[int, list[FindingView]],
            keep: int | None,
            limit: int,
            append: bool = False,
            token: Any = None,
        ) -> None:
            super().__init__()
            self.items, self.findings, self.keep, self.limit, self.append, self.token = (
                items,
                findings,
                keep,
                limit,
                append,
                token,
            )

    class CountsLoaded(Message):
        def __init__(self, counts: dict[str, int]) -> None:
            super().__init__()
            self.counts = counts

    class DetailLoaded(Message):
        def __init__(self, detail: CommentDetail) -> None:
            super().__init__()
            self.detail = detail

    class ContextLoaded(Message):
        # context: a DetailContext (moderation.services.tui_support, which the TUI does not import: it reads SQL)
        def __init__(self, context: Any, masks: dict[int, list[tuple[int, int]]]) -> None:
            super().__init__()
            self.context, self.masks = context, masks

    class Claimed(Message):
        def __init__(self, item: QueueItem) -> None:
            super().__init__()
            self.item = item

    class Decided(Message):
        def __init__(
            self, done: list[tuple[int, str]], failed: list[tuple[int, str]], verb: str, bulk: bool = False
        ) -> None:
            super().__init__()
            self.done, self.failed, self.verb, self.bulk = done, failed, verb, bulk

    class UndoneMany(Message):
        def __init__(self, done: list[int], failed: list[tuple[int, str]]) -> None:
            super().__init__()
            self.done, self.failed = done, failed

    class Undone(Message):
        def __init__(self, comment_id: int, text: str) -> None:
            super().__init__()
            self.comment_id, self.text = comment_id, text

    class Failed(Message):
        def __init__(self, text: str, comment_id: int | None = None, reload: bool = True) -> None:
            super().__init__()
            self.text, self.comment_id, self.reload = text, comment_id, reload

    class Changed(Message):
        pass

    class Selected(Message):
        def __init__(self, items: list[QueueItem]) -> None:
            super().__init__()
            self.items = items

    # ------------------------------------------------------------ setup
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

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield QueueTable(self.modq.actor, id="queue")
        yield DetailPane(id="detail")
        yield SearchInput(placeholder="search text, author name or handle; enter applies, empty clears", id="search")
        yield JumpInput(placeholder="comment id to go to (e.g. 1234); enter goes, escape cancels", id="jump")
        yield KeyBar(
            [
                ("a", "Approve"),
                ("h", "Hide"),
                ("e", "Escalate"),
                ("u", "Undo"),
                ("c", "Cite"),
                ("␣", "Select"),
                ("s", "Same"),
                ("/", "Find"),
                ("f", "Filter"),
                ("r", "Reveal"),
                *APP_KEYS,
            ]
        )

    def on_mount(self) -> None:
        # Start on what this person can act on: a moderator's queue leaves out legal's escalations (f shows them).
        self.filters = Filters(hide_routes=self.modq.routes_not_mine())
        self.modq.claim_holders.append(self)
        self.query_one(QueueTable).focus()
        self.render_status()
        self.load_queue(None, self.window)
        self.load_accounts()
        if self.modq.refresh_seconds > 0:
            self.set_interval(self.modq.refresh_seconds, self.check_changes)

    @property
    def table(self) -> QueueTable:
        return self.query_one(QueueTable)

    # ------------------------------------------------------------ workers (threads; never touch widgets)
    def _fail(self, exc: BaseException, comment_id: int | None = None, reload: bool = True) -> None:
        text = str(exc) if isinstance(exc, ModqError) else f"{type(exc).__name__}: {exc}"
        self.post_message(self.Failed(text, comment_id, reload))

    def _page(self, offset: int, limit: int) -> tuple[list[Any], Any]:
        """One page of the queue under the current filters, with its findings (runs in a thread worker)."""
        f = self.filters
        svc = self.modq.svc
        items = svc.queue(
            list(f.states) or None,
            clause=f.clause,
            platform=f.platform,
            account=f.account,
            shadow=f.shadow,
            search=f.search,
            hide_routes=list(f.hide_routes) or None,
            offset=offset,
            limit=limit,
        )
        return items, svc.queue_findings([i.id for i in items])

    @work(thread=True, exclusive=True, group="queue", exit_on_error=False)
    def load_queue(self, keep: int | None, limit: int) -> None:
        try:
            token = self.modq.svc.change_token()
            items, findings = self._page(0, limit)
        except Exception as exc:  # noqa: BLE001 - shown to the moderator, never a crash
            self._fail(exc, reload=False)
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.QueueLoaded(items, findings, keep, limit, token=token))

    @work(thread=True, exclusive=True, group="more", exit_on_error=False)
    def load_more(self, offset: int) -> None:
        try:
            items, findings = self._page(offset, PAGE)
        except Exception as exc:  # noqa: BLE001
            self._fail(exc, reload=False)
            return
        self.post_message(self.QueueLoaded(items, findings, None, PAGE, append=True))

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def load_counts(self) -> None:
        try:
            self.post_message(self.CountsLoaded(self.modq.svc.open_counts()))
        except Exception as exc:  # noqa: BLE001
            self._fail(exc, reload=False)

    @work(thread=True, exclusive=True, group="accounts", exit_on_error=False)
    def load_accounts(self) -> None:
        try:
            rows = self.modq.svc.accounts()
        except Exception:  # noqa: BLE001 - the filter dialog just offers no accounts
            return
        self.accounts = [(safe.line(f"{a.platform}: {a.name or a.external_id}", limit=40), a.external_id) for a in rows]

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def fetch_detail(self, comment_id: int) -> None:
        """The comment itself: what the moderator decides on. Its context follows once the cursor rests."""
        try:
            d = self.modq.svc.detail(comment_id, context=False)
        except Exception as exc:  # noqa: BLE001
            self._fail(exc, comment_id, reload=False)
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.DetailLoaded(d))

    @work(thread=True, exclusive=True, group="context", exit_on_error=False)
    def fetch_context(self, comment_id: int) -> None:
        try:
            ctx = self.modq.svc.detail_context(comment_id)
        except Exception as exc:  # noqa: BLE001
            self._fail(exc, comment_id, reload=False)
            return
        masks = {}
        for n in ctx.neighbours + ctx.author_history:
            found = ctx.findings.get(n.id, [])
            words = [f.match for f in found if (f.start, f.end) in mask_spans([f], self.modq.mask_family)]
            masks[n.id] = safe.mask_occurrences(n.preview, words)
        if not get_current_worker().is_cancelled:
            self.post_message(self.ContextLoaded(ctx, masks))

    @work(thread=True, exclusive=True, group="claim", exit_on_error=False)
    def claim(self, comment_id: int) -> None:
        svc, actor = self.modq.svc, self.modq.actor
        try:
            if self.claimed is not None and self.claimed != comment_id:
                svc.release(self.claimed, actor)
                self.claimed = None
            item = svc.claim(comment_id, actor)
        except ModqError:
            return  # held by someone else (the detail says who) or a read-only role
        except Exception as exc:  # noqa: BLE001
            self._fail(exc, reload=False)
            return
        self.claimed = comment_id
        self.post_message(self.Claimed(item))

    @work(thread=True, group="decide", exit_on_error=False)
    def run_decisions(
        self, requests: list[tuple[QueueItem, str, str | None, str | None, str]], verb: str, bulk: bool = False
    ) -> None:
        svc, actor = self.modq.svc, self.modq.actor
        done: list[tuple[int, str]] = []
        failed: list[tuple[int, str]] = []
        for item, action, clause, route, note in requests:
            try:
                dec = svc.decide(
                    item.id, action, actor, clause=clause, route=route, note=note, expected_version=item.version
                )
                done.append((item.id, dec.to_state))
            except Exception as exc:  # noqa: BLE001 - every refusal is reported, the rest still land
                failed.append((item.id, str(exc) if isinstance(exc, ModqError) else f"{type(exc).__name__}: {exc}"))
        self.post_message(self.Decided(done, failed, verb, bulk))

    @work(thread=True, group="decide", exit_on_error=False)
    def run_undo(self, comment_id: int) -> None:
        try:
            dec = self.modq.svc.undo(comment_id, self.modq.actor)
        except Exception as exc:  # noqa: BLE001
            self._fail(exc, comment_id)
            return
        self.post_message(self.Undone(comment_id, f"Undone on #{comment_id}: {dec.from_state} → {dec.to_state}"))

    @work(thread=True, group="decide", exit_on_error=False)
    def run_undo_many(self, comment_ids: list[int]) -> None:
        """Undo a bulk action: each comment's decision, newest first; refusals are reported, the rest still land."""
        done: list[int] = []
        failed: list[tuple[int, str]] = []
        for cid in reversed(comment_ids):
            try:
                self.modq.svc.undo(cid, self.modq.actor)
                done.append(cid)
            except Exception as exc:  # noqa: BLE001 - e.g. someone decided on it since
                failed.append((cid, str(exc) if isinstance(exc, ModqError) else f"{type(exc).__name__}: {exc}"))
        self.post_message(self.UndoneMany(done, failed))

    @work(thread=True, exclusive=True, group="similar", exit_on_error=False)
    def find_similar(self, comment_id: int) -> None:
        try:
            self.post_message(self.Selected(self.modq.svc.similar(comment_id)))
        except Exception as exc:  # noqa: BLE001
            self._fail(exc, reload=False)

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def check_changes(self) -> None:
        try:
            token = self.modq.svc.change_token()
        except Exception:  # noqa: BLE001 - the next tick tries again
            return
        if self.token is not None and token != self.token:
            self.post_message(self.Changed())

    # ------------------------------------------------------------ message handlers (UI thread)
    def on_queue_screen_queue_loaded(self, msg: QueueLoaded) -> None:
        table = self.table
        items = [i for i in msg.items if i.id not in self.pending]
        self.findings.update(msg.findings)
        now = self.modq.svc.now()
        if msg.append:
            self.loading_more = False
            self.more_possible = len(msg.items) >= msg.limit
            table.append(items, now, self.findings, self.modq.mask_family, self.revealed, self.selected)
        else:
            self.recent.clear()
            if msg.token is not None:
                self.token = msg.token
            self.more_possible = len(msg.items) >= msg.limit
            keep = msg.keep if msg.keep is not None else (table.current.id if table.current else None)
            table.show(items, now, self.findings, self.modq.mask_family, self.revealed, self.selected, keep)
            self.loaded_once = True
            self.load_counts()
        self.after_cursor_change()
        if self.refused is not None and not msg.append:
            # A refused decision: show the comment's fresh state even if it has left this list.
            refused, self.refused = self.refused, None
            if refused not in table.index:
                self.wanted_id = refused
                self.pinned = (refused, table.current.id if table.current else None)
                self.fetch_detail(refused)
        self.render_status()

    def on_queue_screen_counts_loaded(self, msg: CountsLoaded) -> None:
        self.counts = msg.counts
        self.render_status()

    def on_queue_screen_detail_loaded(self, msg: DetailLoaded) -> None:
        d = msg.detail
        if d.item.id != self.wanted_id:
            return
        same = self.detail is not None and self.detail.item.id == d.item.id
        if same and self.context_id == d.item.id and self.detail is not None:
            # The same comment again (shown from the recent ones, a refused decision, an undo): keep its context
            # until the fresh one is in.
            d = _with_context(d, self.detail)
        elif not same:
            self.context_id = None
            self.detail_extra = ([], {})
        self._present(d, render=not same or d != self.detail)
        # The context waits until the cursor rests: while j is held or pressed in quick succession it would only
        # compete with the next comment's fetch for the database and the interpreter.
        if self._context_timer is not None:
            self._context_timer.stop()
        shown = d.item.id
        self._context_timer = self.set_timer(CONTEXT_REST, lambda: self._context_if_current(shown))

    def _present(self, d: CommentDetail, *, render: bool = True) -> None:
        """Put ``d`` on screen (``render``: it differs from what is there) and remember it among the recent ones."""
        self.detail = d
        self.shown_id = d.item.id
        self.modq.seen.add(d.item.id)
        if render:
            self.render_detail()
        self._remember()
        if self.detail_shown_hook is not None:
            self.detail_shown_hook(d.item.id)
        if d.item.state in OPEN or d.item.id in self.table.index:
            self.table.update_item(
                d.item,
                self.modq.svc.now(),
                self.findings.get(d.item.id, []),
                self.modq.mask_family,
                d.item.id in self.revealed,
                d.item.id in self.selected,
            )
        self.render_status()
        if self._claim_timer is not None:
            self._claim_timer.stop()
        if self.modq.can("claim") and self.claimed != d.item.id and d.item.state in OPEN:
            target = d.item.id
            self._claim_timer = self.set_timer(self.modq.claim_delay, lambda: self._claim_if_current(target))

    def _remember(self) -> None:
        d = self.detail
        if d is None:
            return
        self.recent[d.item.id] = (d, self.detail_extra, self.context_id == d.item.id)
        self.recent.move_to_end(d.item.id)
        while len(self.recent) > RECENT:
            self.recent.popitem(last=False)

    def _claim_if_current(self, comment_id: int) -> None:
        if self.shown_id == comment_id and self.wanted_id == comment_id:
            self.claim(comment_id)

    def _context_if_current(self, comment_id: int) -> None:
        if self.shown_id == comment_id and self.wanted_id == comment_id:
            self.fetch_context(comment_id)

    def on_queue_screen_context_loaded(self, msg: ContextLoaded) -> None:
        ctx = msg.context
        if self.detail is None or self.detail.item.id != ctx.comment_id or self.wanted_id != ctx.comment_id:
            return
        d = replace(
            self.detail,
            neighbours=ctx.neighbours,
            author_history=ctx.author_history,
            author_hidden_count=ctx.author_hidden_count,
            ledger=ctx.ledger,
            outbox=ctx.outbox,
        )
        extra = (ctx.author_decisions, msg.masks)
        unchanged = self.context_id == ctx.comment_id and d == self.detail and extra == self.detail_extra
        self.detail, self.detail_extra, self.context_id = d, extra, ctx.comment_id
        if not unchanged:
            self.render_detail()
        self._remember()
        if self.context_shown_hook is not None:
            self.context_shown_hook(ctx.comment_id)

    def on_queue_screen_claimed(self, msg: Claimed) -> None:
        if self.detail is not None and self.detail.item.id == msg.item.id:
            self.detail = replace(self.detail, item=msg.item)
            self.render_detail()
            self._remember()
        self.table.update_item(
            msg.item,
            self.modq.svc.now(),
            self.findings.get(msg.item.id, []),
            self.modq.mask_family,
            msg.item.id in self.revealed,
            msg.item.id in self.selected,
        )

    def on_queue_screen_decided(self, msg: Decided) -> None:
        self.recent.clear()  # states, ledgers and author histories have moved
        for cid, _state in msg.done:
            self.pending.discard(cid)
            self.selected.pop(cid, None)
            self.cite.pop(cid, None)
            if self.claimed == cid:
                self.claimed = None
        if msg.bulk and len(msg.done) > 1:
            self.modq.undo_stack.append([cid for cid, _ in msg.done])  # u undoes them together, after asking
        else:
            self.modq.undo_stack.extend(cid for cid, _ in msg.done)
        for cid, _text in msg.failed:
            self.pending.discard(cid)
        if msg.done:
            if len(msg.done) == 1:
                cid, state = msg.done[0]
                self.notify(f"#{cid} {state}. u undoes.", timeout=3, markup=False)
            else:
                self.notify(f"{msg.verb}: {len(msg.done)} comments. u undoes all of them.", timeout=4, markup=False)
        keep: int | None = None
        if msg.failed:
            cid, text = msg.failed[0]
            more = f" (and {len(msg.failed) - 1} more)" if len(msg.failed) > 1 else ""
            self.notify(f"#{cid}: {text}{more}", title="Not decided", severity="error", timeout=8, markup=False)
            keep = cid
            self.refused = cid
            self.wanted_id = None  # force a fresh detail of the refused item
        if self.jumped is not None and any(cid == self.jumped for cid, _ in msg.done):
            self.wanted_id = self.jumped  # show its new state
            self.fetch_detail(self.jumped)
        kept = [cid for cid, state in msg.done if cid in self.table.index]  # e.g. escalated: still open
        if msg.failed or kept:
            self.load_queue(keep, max(self.window, len(self.table.items) + len(msg.failed)))
        else:
            # The rows already left the list; the next periodic refresh picks up anything else.
            self.load_counts()

    def on_queue_screen_undone(self, msg: Undone) -> None:
        self.recent.clear()
        self.notify(msg.text, timeout=4, markup=False)
        self.wanted_id = None
        self.load_queue(msg.comment_id, max(self.window, len(self.table.items) + 1))

    def on_queue_screen_undone_many(self, msg: UndoneMany) -> None:
        self.recent.clear()
        text = f"Undone: {len(msg.done)} decision{'s' if len(msg.done) != 1 else ''}."
        if msg.failed:
            cid, why = msg.failed[0]
            more = f" (and {len(msg.failed) - 1} more)" if len(msg.failed) > 1 else ""
            text += f" Not undone: #{cid}: {why}{more}"
        self.notify(text, severity="error" if msg.failed else "information", timeout=8, markup=False)
        self.wanted_id = None
        self.load_queue(msg.done[-1] if msg.done else None, max(self.window, len(self.table.items) + len(msg.done)))

    def on_queue_screen_failed(self, msg: Failed) -> None:
        self.notify(msg.text, title="Not done", severity="error", timeout=8, markup=False)
        if msg.comment_id is not None and msg.comment_id == self.jumped:
            # No such comment (or it cannot be read): back to the row under the cursor.
            self.jumped = self.pinned = self.wanted_id = None
            self.after_cursor_change()
            return
        if msg.reload:
            self.wanted_id = None
            self.refused = msg.comment_id
            self.load_queue(msg.comment_id, max(self.window, len(self.table.items) + 1))

    def on_queue_screen_changed(self, _msg: Changed) -> None:
        self.recent.clear()
        self.load_queue(None, max(self.window, len(self.table.items)))

    def on_queue_screen_selected(self, msg: Selected) -> None:
        now = self.modq.svc.now()
        for it in msg.items:
            self.selected[it.id] = it
            self.table.update_item(
                self.table.items[self.table.index[it.id]] if it.id in self.table.index else it,
                now,
                self.findings.get(it.id, []),
                self.modq.mask_family,
                it.id in self.revealed,
                True,
            )
        self.notify(
            f"Selected {len(msg.items)} open comment(s) with the same text; A approves, H hides them all.",
            timeout=4,
            markup=False,
        )
        self.render_status()

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.after_cursor_change()

    def after_cursor_change(self) -> None:
        table = self.table
        cur = table.current
        if cur is None:
            if self.loaded_once:
                self.wanted_id = self.shown_id = None
                self.detail = None
                self.query_one(DetailPane).clear_detail(
                    "Nothing waiting here." + (" (filters on: f changes them)" if self.filters.describe() else "")
                )
            return
        if self.pinned is not None:
            if self.pinned[1] == cur.id:
                return
            self.pinned = self.jumped = None
        if cur.id != self.wanted_id:
            self.wanted_id = cur.id
            if self._context_timer is not None:
                self._context_timer.stop()
            recent = self.recent.get(cur.id)
            if recent is not None:
                # Seen a moment ago (k back, j forward again): show it at once; the fresh read below replaces it
                # if anything changed.
                d, extra, with_context = recent
                self.context_id = cur.id if with_context else None
                self.detail_extra = extra if with_context else ([], {})
                self._present(d)
            self.fetch_detail(cur.id)
        if self.more_possible and not self.loading_more and table.cursor_row >= len(table.items) - 10:
            self.loading_more = True
            self.load_more(len(table.items) + len(self.pending))

    # ------------------------------------------------------------ rendering
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

    # ------------------------------------------------------------ actions
    def _current(self) -> QueueItem | None:
        cur = self.table.current
        if self.jumped is not None and self.detail is not None and self.detail.item.id == self.jumped:
            return self.detail.item
        if cur is None:
            self.notify("No comment under the cursor.", timeout=2)
            return None
        if self.detail is not None and self.detail.item.id == cur.id:
            return self.detail.item
        return cur

    def _allowed(self, right: str) -> bool:
        if self.modq.can(right):
            return True
        self.notify(
            f"{self.modq.actor} ({self.modq.role or 'no role'}) may not {right} here.",
            severity="warning",
            timeout=4,
            markup=False,
        )
        return False

    def _submit(
        self, requests: list[tuple[QueueItem, str, str | None, str | None, str]] | list, verb: str, bulk: bool = False
    ) -> None:
        shown = set(self.filters.states or OPEN)
        for item, action, *_ in requests:
            self.pending.add(item.id)
            self.recent.pop(item.id, None)
            if NEXT_STATE[action] not in shown:
                self.table.drop(item.id)
        # The row under the cursor may have changed without the cursor moving: show the new one.
        self.after_cursor_change()
        self.run_decisions(requests, verb, bulk)

    def action_decide(self, action: str) -> None:
        item = self._current()
        if item is None or not self._allowed(action):
            return
        clause = self.cite.get(item.id)
        if action == "hide" and not clause and not item.clauses:

            def chosen(value: str | None) -> None:
                if value:
                    self._submit([(item, "hide", value, None, "")], "Hidden")

            self.app.push_screen(
                ClausePicker(self.modq.clauses, f"Hide #{item.id}: which clause does it break?"), chosen
            )
            return
        self._submit([(item, action, clause, None, "")], action)

    def action_escalate(self) -> None:
        item = self._current()
        if item is None or not self._allowed("escalate"):
            return

        def chosen(req: EscalateRequest | None) -> None:
            if req is not None:
                self._submit(
                    [(item, "escalate", req.clause or self.cite.get(item.id), req.route, req.note)], "Escalated"
                )

        default = self.cite.get(item.id) or (item.clauses[0] if item.clauses else None)
        self.app.push_screen(EscalateDialog(item.id, self.modq.clauses, default), chosen)

    def action_undo(self) -> None:
        if not self.modq.undo_stack:
            self.notify("Nothing of yours to undo in this session.", timeout=3)
            return
        last = self.modq.undo_stack[-1]
        if isinstance(last, int):
            self.modq.undo_stack.pop()
            self.run_undo(last)
            return

        def answer(ok: bool | None) -> None:
            if ok and self.modq.undo_stack and self.modq.undo_stack[-1] is last:
                self.modq.undo_stack.pop()
                self.run_undo_many(last)

        self.app.push_screen(
            ConfirmDialog(
                f"Undo your last bulk action on {len(last)} comments?",
                "Each goes back to the state it was in before; the ledger records every undo.",
            ),
            answer,
        )

    def action_clause(self) -> None:
        item = self._current()
        if item is None:
            return
        current = self.cite.get(item.id) or (item.clauses[0] if item.clauses else None)

        def chosen(value: str | None) -> None:
            if value:
                self.cite[item.id] = value
                self.render_detail()
                self.notify(f"#{item.id}: a decision will cite clause {value}.", timeout=3, markup=False)

        self.app.push_screen(ClausePicker(self.modq.clauses, f"#{item.id}: cite which clause?", current), chosen)

    def action_select(self) -> None:
        cur = self.table.current
        if cur is None:
            return
        if cur.id in self.selected:
            del self.selected[cur.id]
        else:
            self.selected[cur.id] = cur
        self.refresh_row(cur.id)
        self.render_status()
        self.table.action_cursor_down()

    def action_clear_selection(self) -> None:
        ids = list(self.selected)
        self.selected.clear()
        for cid in ids:
            self.refresh_row(cid)
        self.render_status()

    def action_bulk(self, action: str) -> None:
        if not self.selected:
            self.notify("Nothing selected: space selects a comment, s selects every copy of its text.", timeout=4)
            return
        if not self._allowed(action):
            return
        items = list(self.selected.values())
        verb = "Approve" if action == "approve" else "Hide"

        def go(clause: str | None) -> None:
            reqs = [
                (it, action, self.cite.get(it.id) or (clause if not it.clauses else None), None, "") for it in items
            ]
            self._submit(reqs, "Approved" if action == "approve" else "Hidden", bulk=True)

        def confirm(clause: str | None) -> None:
            what = "stay visible" if action == "approve" else "be hidden on the platform"
            cited = f", citing clause {clause} where none is found" if clause else ""
            self.app.push_screen(
                ConfirmDialog(
                    f"{verb} {len(items)} selected comment{'s' if len(items) != 1 else ''}?",
                    f"They will {what}{cited}. u then undoes all of them (after asking).",
                ),
                lambda ok: go(clause) if ok else None,
            )

        if action == "hide" and any(not it.clauses and it.id not in self.cite for it in items):
            self.app.push_screen(
                ClausePicker(self.modq.clauses, f"Hide {len(items)} comments: which clause?"),
                lambda value: confirm(value) if value else None,
            )
            return
        confirm(None)

    def action_similar(self) -> None:
        cur = self.table.current
        if cur is not None:
            self.find_similar(cur.id)

    def action_search(self) -> None:
        box = self.query_one(SearchInput)
        box.value = self.filters.search or ""
        box.display = True
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "jump":
            event.stop()
            self._close_jump()
            self.jump_to(event.value)
            return
        if event.input.id != "search":
            return
        event.stop()
        self.apply_filters(replace(self.filters, search=event.value.strip() or None))
        self._close_search()

    def on_search_input_cancelled(self, _msg: SearchInput.Cancelled) -> None:
        self._close_search()

    def _close_search(self) -> None:
        box = self.query_one(SearchInput)
        box.display = False
        self.table.focus()

    def action_jump(self) -> None:
        box = self.query_one(JumpInput)
        box.value = ""
        box.display = True
        box.focus()

    def on_jump_input_cancelled(self, _msg: JumpInput.Cancelled) -> None:
        self._close_jump()

    def _close_jump(self) -> None:
        self.query_one(JumpInput).display = False
        self.table.focus()

    def jump_to(self, text: str) -> None:
        """Show comment ``text`` (its id, ``#`` optional): the cursor goes to it if it is in the list; otherwise it
        is shown in place of the row under the cursor (settled, filtered out, or further down), and a decision acts
        on it until the cursor moves."""
        value = text.strip().lstrip("#")
        if not value.isdigit():
            self.notify(
                f"'{text.strip()}' is not a comment id: type its number, e.g. 1234", severity="warning", timeout=4,
                markup=False,
            )  # fmt: skip
            return
        cid = int(value)
        if cid in self.table.index:
            self.jumped = self.pinned = None
            self.table.move_cursor(row=self.table.index[cid], animate=False)
            self.after_cursor_change()
            return
        cur = self.table.current
        self.jumped = cid
        self.pinned = (cid, cur.id if cur else None)
        self.wanted_id = cid
        self.fetch_detail(cid)

    def link(self) -> str | None:
        """The comment's address on the platform, if one is stored and it is a web address."""
        d = self.detail
        if d is None:
            self.notify("No comment shown.", timeout=2)
            return None
        url = (d.url or "").strip()
        if not url.startswith(("https://", "http://")):
            self.notify(f"#{d.item.id}: no link to it on {d.item.platform} is stored.", timeout=4, markup=False)
            return None
        return url

    def action_open_link(self) -> None:
        url = self.link()
        if url:
            self.app.open_url(url)
            self.notify(f"Opening {url}", timeout=3, markup=False)

    def action_copy_link(self) -> None:
        url = self.link()
        if url:
            self.app.copy_to_clipboard(url)
            self.notify(f"Copied {url}", timeout=3, markup=False)

    def apply_filters(self, filters: Filters) -> None:
        self.filters = filters
        self.window = PAGE
        self.wanted_id = None
        self.table.show([], self.modq.svc.now(), {}, self.modq.mask_family, set(), {}, None)
        self.render_status()
        self.load_queue(None, self.window)

    def action_filters(self) -> None:
        def chosen(value: Filters | None) -> None:
            if value is not None:
                self.apply_filters(value)

        self.app.push_screen(FilterDialog(self.filters, self.modq.clauses, self.accounts), chosen)  # type: ignore[arg-type]

    def action_reveal(self) -> None:
        cur = self.table.current
        if cur is None:
            return
        if cur.id in self.revealed:
            self.revealed.discard(cur.id)
        else:
            self.revealed.add(cur.id)
        self.render_detail()
        self.refresh_row(cur.id)

    def action_reload(self) -> None:
        self.load_queue(None, max(self.window, len(self.table.items)))

    def action_detail_scroll(self, pages: int) -> None:
        self.query_one(DetailPane).scroll_main(pages)

    def release_claim(self) -> None:
        """Called on quit: let others open the item at once instead of waiting for the claim to expire."""
        if self.claimed is not None:
            try:
                self.modq.svc.release(self.claimed, self.modq.actor)
            except Exception:  # noqa: BLE001 - it expires on its own within minutes
                pass
            self.claimed = None


def _with_context(d: CommentDetail, old: CommentDetail) -> CommentDetail:
    """``d`` (read without its context) with the context ``old`` already has."""
    return replace(
        d,
        neighbours=old.neighbours,
        author_history=old.author_history,
        author_hidden_count=old.author_hidden_count,
        ledger=old.ledger,
        outbox=old.outbox,
    )
