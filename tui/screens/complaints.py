"""Complaints about moderation decisions, with the due clock: the policy promises a review within five business days.

Read-only: it lists what ``modq complaints list`` lists, open complaints first and the soonest (or most overdue)
due first, with the day due in the department's zone and the time left or overdue; reviewing stays on the command
line (``modq complaints review``), where independence is checked. ``o`` shows reviewed ones too. The
complainant's contact details are never shown here.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from tui import safe
from tui.screens.help import COMPLAINT_KEYS
from tui.widgets.keybar import APP_KEYS, KeyBar

if TYPE_CHECKING:
    from tui.app import ModqApp


def due_clock(due_at: datetime, state: str, now: datetime) -> tuple[str, str]:
    """The time left before a review is due (or how long it is overdue), and its style."""
    if state != "open":
        return "", ""
    hours = int((due_at - now).total_seconds() // 3600)
    if hours < 0:
        return f"OVERDUE {-hours // 24}d {-hours % 24}h", "bold red"
    return f"{hours // 24}d {hours % 24}h left", "bold yellow" if hours < 24 else ""


class ComplaintsScreen(Screen[None]):
    HELP_KEYS = COMPLAINT_KEYS
    BINDINGS = [
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
        Binding("o", "open_only", "Open/all"),
        Binding("R", "reload", "Reload", show=False),
    ]

    class Loaded(Message):
        def __init__(self, rows: list[Any], now: datetime) -> None:
            super().__init__()
            self.rows, self.now = rows, now

    class Failed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []
        self.open_only = True

    @property
    def modq(self) -> ModqApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="complaints-status")
        yield DataTable(cursor_type="row", id="complaints")
        yield KeyBar([("o", "Open/all"), *APP_KEYS])

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (
            ("id", 5),
            ("comment", 8),
            ("disputes", 22),
            ("channel", 8),
            ("received", 10),
            ("due", 10),
            ("clock", 16),
            ("state", 16),
            ("note", 60),
        ):
            table.add_column(Text(label, style="bold"), width=width, key=label)
        table.focus()
        self.load()
        if self.modq.refresh_seconds > 0:
            self.set_interval(max(self.modq.refresh_seconds, 10.0), self.load)

    def on_screen_resume(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="complaints", exit_on_error=False)
    def load(self) -> None:
        svc = self.modq.svc
        try:
            rows = svc.complaints("open" if self.open_only else None)
            now = svc.now()
        except Exception as exc:  # noqa: BLE001 - shown as a message
            self.post_message(self.Failed(str(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(rows, now))

    def on_complaints_screen_loaded(self, msg: Loaded) -> None:
        table = self.query_one(DataTable)
        keep = self.current.id if self.current else None
        self.rows = msg.rows
        table.clear()
        overdue = 0
        for c in self.rows:
            clock, style = due_clock(c.due_at, c.state, msg.now)
            overdue += clock.startswith("OVERDUE")
            state = c.state if c.on_time is None else f"{c.state} {'on time' if c.on_time else 'late'}"
            table.add_row(
                Text(str(c.id)),
                Text(str(c.comment_id)),
                safe.line(f"{c.disputed_action.replace('_', ' ')} by {c.disputed_by}", limit=60),
                Text(c.channel),
                Text(c.received_on),
                Text(c.due_on),
                Text(clock, style=style),
                Text(state),
                safe.line(c.note, limit=300),
                key=str(c.id),
            )
        ids = [c.id for c in self.rows]
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        status = Text(" Complaints ", style="bold reverse")
        status.append(f"  {'open' if self.open_only else 'all'} · {len(self.rows)} shown")
        if overdue:
            status.append(f" · {overdue} overdue", style="bold red")
        status.append(f"  │ due days in {self.modq.zone_name}; review with 'modq complaints review'", style="dim")
        self.query_one("#complaints-status", Static).update(status)

    def on_complaints_screen_failed(self, msg: Failed) -> None:
        self.notify(msg.text, severity="error", timeout=6, markup=False)

    @property
    def current(self) -> Any | None:
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, table.cursor_row + step))

    def action_open_only(self) -> None:
        self.open_only = not self.open_only
        self.load()

    def action_reload(self) -> None:
        self.load()
