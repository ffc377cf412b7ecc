"""The queue screen's decision keys: approve, hide, escalate, undo, cite a clause, select and act on many."""

from __future__ import annotations

from moderation.services.views import QueueItem
from tui.screens.dialogs import ClausePicker, ConfirmDialog, EscalateDialog, EscalateRequest
from tui.screens.queue.base import NEXT_STATE, OPEN
from tui.screens.queue.updates import QueueUpdates


class QueueDecisions(QueueUpdates):
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
