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

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, Static

from tui.screens.dialogs import FilterDialog, Filters
from tui.screens.help import QUEUE_KEYS
from tui.screens.queue.base import PAGE
from tui.screens.queue.decisions import QueueDecisions
from tui.widgets.detail import DetailPane
from tui.widgets.keybar import APP_KEYS, KeyBar
from tui.widgets.queue_table import QueueTable


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


class QueueScreen(QueueDecisions):
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
