"""The register of court suppression orders (legal and admin only; the names are themselves suppressed).

Read-only here: orders are added and revoked with ``modq orders`` so each change and its retroactive sweep is one
deliberate command. If this build's service has no ``orders`` method the screen says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from moderation.domain import ModqError
from tui import safe
from tui.widgets.keybar import APP_KEYS, KeyBar

if TYPE_CHECKING:
    from tui.app import ModqApp

HELP = [("Orders", [("j / k", "move"), ("R", "reload"), ("g", "go to screen"), ("?", "help"), ("q", "quit")])]


class OrdersScreen(Screen[None]):
    HELP_KEYS = HELP
    BINDINGS = [
        Binding("R", "reload", "Reload"),
        Binding("j", "move(1)", show=False),
        Binding("k", "move(-1)", show=False),
    ]

    class Loaded(Message):
        def __init__(self, rows: list[Any] | None, note: str) -> None:
            super().__init__()
            self.rows, self.note = rows, note

    @property
    def modq(self) -> ModqApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(Text(" Suppression orders ", style="bold reverse"), id="orders-status")
        yield DataTable(cursor_type="row", id="orders")
        yield Static("", id="orders-note")
        yield KeyBar([("R", "Reload"), ("j/k", "Move"), *APP_KEYS])

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (
            ("id", 4),
            ("case", 28),
            ("court", 26),
            ("protected names", 30),
            ("in force", 26),
            ("state", 8),
        ):
            table.add_column(Text(label, style="bold"), width=width)
        table.focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, table.cursor_row + step))

    @work(thread=True, exclusive=True, group="orders", exit_on_error=False)
    def load(self) -> None:
        orders = getattr(self.modq.svc, "orders", None)
        if orders is None:
            self.post_message(self.Loaded(None, "The suppression-order register is not in this build."))
            return
        try:
            rows = orders(self.modq.actor)
        except ModqError as exc:
            self.post_message(self.Loaded(None, str(exc)))
            return
        self.post_message(self.Loaded(rows, f"{len(rows)} orders. Add or revoke with 'modq orders'."))

    def on_orders_screen_loaded(self, msg: Loaded) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for o in msg.rows or []:
            until = f"{o.until:%d %b %Y}" if o.until else "until revoked"
            state = "revoked" if o.revoked_at else ("active" if o.active else "expired")
            table.add_row(
                Text(str(o.id)),
                safe.line(o.case, limit=60),
                safe.line(o.court, limit=60),
                safe.line("; ".join(o.terms), limit=120),
                Text(f"{o.starts:%d %b %Y} – {until}"),
                Text(state, style="bold green" if state == "active" else "dim"),
            )
        self.query_one("#orders-note", Static).update(safe.line(msg.note, limit=200, style="dim"))
