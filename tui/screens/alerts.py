"""Alerts that need a person (SLAs, circuit breakers, expired tokens, silent accounts), and acknowledging them.

The worker finds them and mails them as a digest; this screen lists them, newest first, with times in the
department's zone, and ``a`` says someone is on the selected one (``A``: every one shown), the same service call
as ``modq alerts ack``. The committee reads only: the service refuses its acknowledgements, shown as a message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from moderation.services.views import AlertView
from tui import safe
from tui.screens.help import ALERT_KEYS
from tui.widgets.keybar import APP_KEYS, KeyBar

if TYPE_CHECKING:
    from tui.app import ModqApp

KIND_STYLE = {"sla_breach": "bold red", "sla_due": "bold yellow", "token_expired": "red", "worker_silent": "red"}


class AlertsScreen(Screen[None]):
    HELP_KEYS = ALERT_KEYS
    BINDINGS = [
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
        Binding("a", "ack", "Acknowledge"),
        Binding("A", "ack_all", "Acknowledge all shown"),
        Binding("o", "waiting", "Waiting/all"),
        Binding("R", "reload", "Reload", show=False),
    ]

    class Loaded(Message):
        def __init__(self, rows: list[AlertView]) -> None:
            super().__init__()
            self.rows = rows

    class Done(Message):
        def __init__(self, text: str, error: bool) -> None:
            super().__init__()
            self.text, self.error = text, error

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AlertView] = []
        self.waiting_only = True

    @property
    def modq(self) -> ModqApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="alerts-status")
        yield DataTable(cursor_type="row", id="alerts")
        yield KeyBar([("a", "Acknowledge"), ("A", "All shown"), ("o", "Waiting/all"), *APP_KEYS])

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("id", 6), ("when", 13), ("kind", 17), ("state", 20), ("message", 90)):
            table.add_column(Text(label, style="bold"), width=width, key=label)
        table.focus()
        self.load()
        if self.modq.refresh_seconds > 0:
            self.set_interval(max(self.modq.refresh_seconds, 10.0), self.load)

    def on_screen_resume(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="alerts", exit_on_error=False)
    def load(self) -> None:
        try:
            rows = self.modq.svc.alerts(include_acknowledged=not self.waiting_only)
        except Exception as exc:  # noqa: BLE001 - shown as a message
            self.post_message(self.Done(str(exc), True))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(rows))

    @work(thread=True, group="alerts-ack", exit_on_error=False)
    def acknowledge(self, ids: list[int]) -> None:
        try:
            done = self.modq.svc.acknowledge_alerts(ids, self.modq.actor)
        except Exception as exc:  # noqa: BLE001 - the service's refusal
            self.post_message(self.Done(f"Not acknowledged: {exc}", True))
            return
        self.post_message(self.Done(f"Acknowledged {len(done)} alert{'s' if len(done) != 1 else ''}.", False))

    def on_alerts_screen_loaded(self, msg: Loaded) -> None:
        table = self.query_one(DataTable)
        keep = self.current.id if self.current else None
        self.rows = msg.rows
        table.clear()
        for a in self.rows:
            state = f"ack by {a.acknowledged_by}" if a.acknowledged_by else ("ended" if a.cleared_at else "waiting")
            table.add_row(
                Text(str(a.id)),
                Text(self.modq.local(a.created_at, "%d %b %H:%M")),
                Text(a.kind, style=KIND_STYLE.get(a.kind, "")),
                Text(state + (" · mailed" if a.emailed_at else "")),
                safe.line(a.message, limit=400),
                key=str(a.id),
            )
        ids = [a.id for a in self.rows]
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        status = Text(" Alerts ", style="bold reverse")
        status.append(f"  {'waiting' if self.waiting_only else 'all'} · {len(self.rows)} shown")
        status.append(f"  │ times in {self.modq.zone_name}", style="dim")
        self.query_one("#alerts-status", Static).update(status)

    def on_alerts_screen_done(self, msg: Done) -> None:
        self.notify(
            msg.text, severity="error" if msg.error else "information", timeout=6 if msg.error else 3, markup=False
        )
        self.load()

    @property
    def current(self) -> AlertView | None:
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, table.cursor_row + step))

    def action_ack(self) -> None:
        cur = self.current
        if cur is None or cur.acknowledged_by:
            return
        self.acknowledge([cur.id])

    def action_ack_all(self) -> None:
        ids = [a.id for a in self.rows if not a.acknowledged_by]
        if ids:
            self.acknowledge(ids)

    def action_waiting(self) -> None:
        self.waiting_only = not self.waiting_only
        self.load()

    def action_reload(self) -> None:
        self.load()
