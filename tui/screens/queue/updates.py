"""The queue screen on the UI thread: what each worker's message does to the list and the detail, and what moving
the cursor fetches."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import DataTable

from moderation.services.views import CommentDetail
from tui.screens.queue import messages
from tui.screens.queue.base import CONTEXT_REST, OPEN, RECENT
from tui.screens.queue.workers import QueueWorkers
from tui.widgets.detail import DetailPane


class QueueUpdates(QueueWorkers):
    def on_queue_screen_queue_loaded(self, msg: messages.QueueLoaded) -> None:
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

    def on_queue_screen_counts_loaded(self, msg: messages.CountsLoaded) -> None:
        self.counts = msg.counts
        self.render_status()

    def on_queue_screen_detail_loaded(self, msg: messages.DetailLoaded) -> None:
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

    def on_queue_screen_context_loaded(self, msg: messages.ContextLoaded) -> None:
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

    def on_queue_screen_claimed(self, msg: messages.Claimed) -> None:
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

    def on_queue_screen_decided(self, msg: messages.Decided) -> None:
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

    def on_queue_screen_undone(self, msg: messages.Undone) -> None:
        self.recent.clear()
        self.notify(msg.text, timeout=4, markup=False)
        self.wanted_id = None
        self.load_queue(msg.comment_id, max(self.window, len(self.table.items) + 1))

    def on_queue_screen_undone_many(self, msg: messages.UndoneMany) -> None:
        self.recent.clear()
        text = f"Undone: {len(msg.done)} decision{'s' if len(msg.done) != 1 else ''}."
        if msg.failed:
            cid, why = msg.failed[0]
            more = f" (and {len(msg.failed) - 1} more)" if len(msg.failed) > 1 else ""
            text += f" Not undone: #{cid}: {why}{more}"
        self.notify(text, severity="error" if msg.failed else "information", timeout=8, markup=False)
        self.wanted_id = None
        self.load_queue(msg.done[-1] if msg.done else None, max(self.window, len(self.table.items) + len(msg.done)))

    def on_queue_screen_failed(self, msg: messages.Failed) -> None:
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

    def on_queue_screen_changed(self, _msg: messages.Changed) -> None:
        self.recent.clear()
        self.load_queue(None, max(self.window, len(self.table.items)))

    def on_queue_screen_selected(self, msg: messages.Selected) -> None:
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
