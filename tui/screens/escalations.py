"""Escalations by route and status, with the SLA clock; reviewers resolve with a note, or re-route.

Media, privacy and legal reviewers open this screen (legal starts here). Resolving is the same service call as a
moderator's decision on an escalated comment (``decide`` approve / hide), so the role check, the ledger event and
the platform action are the service's, not this screen's. ``e`` re-routes an open escalation (legal finds it is a
privacy matter) with a note: ``reroute_escalation`` closes it and opens one on the new route, with that route's SLA.
Who may do either is the service's rule (resolving or re-routing needs the right to resolve the current route);
the screen declines early from the same rights table and shows any refusal of the service as a message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from moderation.domain import ModqError
from moderation.services.views import CommentDetail, EscalationView
from tui import safe
from tui.format import mask_spans, sla
from tui.screens.dialogs import NoteDialog, RerouteDialog, RerouteRequest
from tui.screens.help import ESCALATION_KEYS
from tui.widgets.detail import heading
from tui.widgets.keybar import APP_KEYS, KeyBar

if TYPE_CHECKING:
    from tui.app import ModqApp

ROUTES = (None, "media", "privacy", "legal")


class EscalationsScreen(Screen[None]):
    HELP_KEYS = ESCALATION_KEYS
    BINDINGS = [
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
        Binding("a", "resolve('approve')", "Resolve: approve"),
        Binding("h", "resolve('hide')", "Resolve: hide"),
        Binding("e", "reroute", "Re-route"),
        Binding("m", "route('media')", "Media"),
        Binding("p", "route('privacy')", "Privacy"),
        Binding("l", "route('legal')", "Legal"),
        Binding("asterisk", "route('')", "All routes"),
        Binding("o", "status", "Open/all"),
        Binding("r", "reveal", "Reveal"),
        Binding("R", "reload", "Reload", show=False),
    ]

    class Loaded(Message):
        def __init__(self, rows: list[EscalationView]) -> None:
            super().__init__()
            self.rows = rows

    class DetailLoaded(Message):
        def __init__(self, detail: CommentDetail) -> None:
            super().__init__()
            self.detail = detail

    class Done(Message):
        def __init__(self, text: str, error: bool) -> None:
            super().__init__()
            self.text, self.error = text, error

    def __init__(self) -> None:
        super().__init__()
        self.route: str | None = None
        self.open_only = True
        self.rows: list[EscalationView] = []
        self.detail: CommentDetail | None = None
        self.revealed: set[int] = set()

    @property
    def modq(self) -> ModqApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="esc-status")
        yield DataTable(cursor_type="row", id="escalations")
        with VerticalScroll(id="esc-detail"):
            yield Static(Text("Select an escalation.", style="dim"), id="esc-body")
        yield KeyBar(
            [
                ("a", "Resolve: approve"),
                ("h", "Resolve: hide"),
                ("e", "Re-route"),
                ("m/p/l", "Show route"),
                ("*", "All"),
                ("o", "Open/all"),
                ("r", "Reveal"),
                *APP_KEYS,
            ]
        )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (
            ("route", 8),
            ("status", 9),
            ("comment", 8),
            ("clause", 6),
            ("SLA", 20),
            ("notes", 30),
            ("text", 40),
        ):
            table.add_column(Text(label, style="bold"), width=width, key=label)
        table.focus()
        self.load()
        if self.modq.refresh_seconds > 0:
            self.set_interval(max(self.modq.refresh_seconds, 5.0), self.load)

    def on_screen_resume(self) -> None:
        self.load()

    # ------------------------------------------------------------ workers
    @work(thread=True, exclusive=True, group="esc", exit_on_error=False)
    def load(self) -> None:
        try:
            rows = self.modq.svc.escalations(route=self.route, status="open" if self.open_only else None)
        except Exception as exc:  # noqa: BLE001
            self.post_message(self.Done(str(exc), True))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(rows))

    @work(thread=True, exclusive=True, group="esc-detail", exit_on_error=False)
    def fetch(self, comment_id: int) -> None:
        try:
            d = self.modq.svc.detail(comment_id)
        except Exception as exc:  # noqa: BLE001
            self.post_message(self.Done(str(exc), True))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.DetailLoaded(d))

    @work(thread=True, group="esc-reroute", exit_on_error=False)
    def reroute(self, esc: EscalationView, req: RerouteRequest) -> None:
        try:
            new = self.modq.svc.reroute_escalation(esc.id, req.route, self.modq.actor, note=req.note)
        except Exception as exc:  # noqa: BLE001 - the service's refusal, or a database error
            self.post_message(self.Done(f"Escalation {esc.id} (#{esc.comment_id}) not re-routed: {exc}", True))
            return
        self.post_message(
            self.Done(
                f"#{esc.comment_id} re-routed from {esc.route} to {new.route}; "
                f"due {self.modq.local(new.due_at, '%d %b %H:%M %Z')}.",
                False,
            )
        )

    @work(thread=True, group="esc-resolve", exit_on_error=False)
    def resolve(self, esc: EscalationView, action: str, note: str) -> None:
        try:
            dec = self.modq.svc.decide(esc.comment_id, action, self.modq.actor, note=note)
        except ModqError as exc:
            self.post_message(self.Done(f"#{esc.comment_id}: {exc}", True))
            return
        self.modq.undo_stack.append(esc.comment_id)
        self.post_message(self.Done(f"#{esc.comment_id} resolved: {dec.to_state}.", False))

    # ------------------------------------------------------------ handlers
    def on_escalations_screen_loaded(self, msg: Loaded) -> None:
        table = self.query_one(DataTable)
        keep = self.current.id if self.current else None
        self.rows = msg.rows
        table.clear()
        now = self.modq.svc.now()
        for e in self.rows:
            label, style = sla(e.due_at, now, e.resolved_at)
            table.add_row(
                Text(e.route, style="bold magenta"),
                Text(e.status),
                Text(f"#{e.comment_id}"),
                Text(e.clause),
                Text(label, style=style),
                safe.line(e.notes, limit=200),
                safe.line(e.preview, limit=200),
                key=str(e.id),
            )
        ids = [e.id for e in self.rows]
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        self.render_status()
        if not self.rows:
            self.query_one("#esc-body", Static).update(Text("No escalations here.", style="dim"))
        else:
            self.on_data_table_row_highlighted(None)

    def on_escalations_screen_detail_loaded(self, msg: DetailLoaded) -> None:
        self.detail = msg.detail
        self.render_detail()

    def on_escalations_screen_done(self, msg: Done) -> None:
        self.notify(
            msg.text, severity="error" if msg.error else "information", timeout=6 if msg.error else 3, markup=False
        )
        self.load()

    def on_data_table_row_highlighted(self, _event: Any) -> None:
        cur = self.current
        if cur is not None:
            self.fetch(cur.comment_id)

    @property
    def current(self) -> EscalationView | None:
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def render_status(self) -> None:
        t = Text(" Escalations ", style="bold reverse")
        t.append(
            f"  route: {self.route or 'all'} · status: {'open' if self.open_only else 'all'} · "
            f"{len(self.rows)} shown · "
        )
        breached = sum(1 for e in self.rows if e.breached and e.status == "open")
        t.append(f"{breached} past SLA", style="bold red" if breached else "green")
        t.append(f"  │ {self.modq.actor} ({self.modq.role or 'no role'})", style="dim")
        self.query_one("#esc-status", Static).update(t)

    def render_detail(self) -> None:
        d, esc = self.detail, self.current
        if d is None or esc is None or d.item.id != esc.comment_id:
            return
        revealed = d.item.id in self.revealed
        masks = [] if revealed else mask_spans(d.findings + d.shadow_findings, self.modq.mask_family)
        label, style = sla(esc.due_at, self.modq.svc.now(), esc.resolved_at)
        due = self.modq.local(esc.due_at, "%d %b %H:%M %Z")
        head = Text(f"Escalation {esc.id} · {esc.route} · {esc.status} · due {due} · ")
        head.append(label, style=style)
        parts: list[Any] = [head, heading("Notes"), safe.literal(esc.notes or "(no note)", limit=2000, max_lines=12)]
        parts += [
            heading(f"Comment #{d.item.id} on {d.item.platform}"),
            safe.literal(d.text, masks=masks, limit=2000, max_lines=16),
        ]
        for f in d.findings:
            t = Text(f"• {f.rule_id} · clause {f.clause} · {f.severity} · ")
            t.append_text(safe.line(f.explanation, limit=200, style="italic"))
            parts.append(t)
        parts += [heading("In reply to"), safe.literal(d.post_text, limit=400, max_lines=4, style="italic")]
        self.query_one("#esc-body", Static).update(Group(*parts))

    # ------------------------------------------------------------ actions
    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, table.cursor_row + step))

    def action_route(self, route: str) -> None:
        self.route = route or None
        self.load()

    def action_status(self) -> None:
        self.open_only = not self.open_only
        self.load()

    def action_reload(self) -> None:
        self.load()

    def action_reveal(self) -> None:
        if self.detail is not None:
            self.revealed ^= {self.detail.item.id}
            self.render_detail()

    def action_resolve(self, action: str) -> None:
        esc = self.current
        if esc is None:
            return
        if esc.status != "open":
            self.notify(f"Escalation {esc.id} is {esc.status}; nothing to resolve.", timeout=3)
            return
        right = f"resolve_{esc.route}"
        if not self.modq.can(right):
            self.notify(
                f"{self.modq.actor} ({self.modq.role or 'no role'}) may not resolve {esc.route} escalations.",
                severity="warning",
                timeout=5,
                markup=False,
            )
            return
        verb = "approve (keep visible)" if action == "approve" else "hide"

        def done(note: str | None) -> None:
            if note is not None:
                self.resolve(esc, action, note)

        self.app.push_screen(
            NoteDialog(f"Resolve #{esc.comment_id} ({esc.route}): {verb}. Note:", "your reasoning, for the record"),
            done,
        )

    def action_reroute(self) -> None:
        esc = self.current
        if esc is None:
            return
        if esc.status != "open":
            self.notify(f"Escalation {esc.id} is {esc.status}; only an open one can be re-routed.", timeout=3)
            return
        if not self.modq.can(f"resolve_{esc.route}"):
            self.notify(
                f"{self.modq.actor} ({self.modq.role or 'no role'}) may not re-route {esc.route} escalations "
                f"(only those who may resolve them).",
                severity="warning",
                timeout=5,
                markup=False,
            )
            return

        def done(req: RerouteRequest | None) -> None:
            if req is not None:
                self.reroute(esc, req)

        self.app.push_screen(RerouteDialog(esc.id, esc.comment_id, esc.route), done)
