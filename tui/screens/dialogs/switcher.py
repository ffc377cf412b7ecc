"""g: the screen switcher."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from tui.screens.dialogs.base import Dialog

SCREENS = [
    ("q", "queue", "Queue"),
    ("e", "escalations", "Escalations"),
    ("s", "statistics", "Statistics"),
    ("o", "orders", "Suppression orders"),
    ("a", "alerts", "Alerts"),
    ("c", "complaints", "Complaints"),
]


class ScreenPicker(Dialog):
    """g: choose a screen with one key."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("g", "cancel", "Cancel", show=False)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog narrow"):
            yield Label(Text("Go to screen", style="bold"))
            for n, (key, _mode, label) in enumerate(SCREENS, start=1):
                yield Label(Text.assemble((f" {key} ", "reverse bold"), f" or {n}  {label}"))

    def on_key(self, event: Any) -> None:
        for n, (key, mode, _label) in enumerate(SCREENS, start=1):
            if event.key in (key, str(n)):
                event.stop()
                self.dismiss(mode)
                return
