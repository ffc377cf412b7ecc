"""The queue screen's service calls, each in a thread worker: they never touch widgets, they post messages."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.worker import get_current_worker

from moderation.domain import ModqError
from moderation.services.views import QueueItem
from tui import safe
from tui.format import mask_spans
from tui.screens.queue.base import PAGE, QueueBase
from tui.screens.queue.messages import (
    Changed,
    Claimed,
    ContextLoaded,
    CountsLoaded,
    Decided,
    DetailLoaded,
    Failed,
    QueueLoaded,
    Selected,
    Undone,
    UndoneMany,
)


class QueueWorkers(QueueBase):
    def _fail(self, exc: BaseException, comment_id: int | None = None, reload: bool = True) -> None:
        text = str(exc) if isinstance(exc, ModqError) else f"{type(exc).__name__}: {exc}"
        self.post_message(Failed(text, comment_id, reload))

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
            self.post_message(QueueLoaded(items, findings, keep, limit, token=token))

    @work(thread=True, exclusive=True, group="more", exit_on_error=False)
    def load_more(self, offset: int) -> None:
        try:
            items, findings = self._page(offset, PAGE)
        except Exception as exc:  # noqa: BLE001
            self._fail(exc, reload=False)
            return
        self.post_message(QueueLoaded(items, findings, None, PAGE, append=True))

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def load_counts(self) -> None:
        try:
            self.post_message(CountsLoaded(self.modq.svc.open_counts()))
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
            self.post_message(DetailLoaded(d))

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
            self.post_message(ContextLoaded(ctx, masks))

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
        self.post_message(Claimed(item))

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
        self.post_message(Decided(done, failed, verb, bulk))

    @work(thread=True, group="decide", exit_on_error=False)
    def run_undo(self, comment_id: int) -> None:
        try:
            dec = self.modq.svc.undo(comment_id, self.modq.actor)
        except Exception as exc:  # noqa: BLE001
            self._fail(exc, comment_id)
            return
        self.post_message(Undone(comment_id, f"Undone on #{comment_id}: {dec.from_state} → {dec.to_state}"))

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
        self.post_message(UndoneMany(done, failed))

    @work(thread=True, exclusive=True, group="similar", exit_on_error=False)
    def find_similar(self, comment_id: int) -> None:
        try:
            self.post_message(Selected(self.modq.svc.similar(comment_id)))
        except Exception as exc:  # noqa: BLE001
            self._fail(exc, reload=False)

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def check_changes(self) -> None:
        try:
            token = self.modq.svc.change_token()
        except Exception:  # noqa: BLE001 - the next tick tries again
            return
        if self.token is not None and token != self.token:
            self.post_message(Changed())
