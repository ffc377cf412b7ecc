"""A one-line key bar: the screen's main keys, drawn once.

Textual's ``Footer`` recomposes itself whenever bindings are refreshed (every focus change), which cost more
than the rest of a key press; the keys of a screen never change, so a static line is enough and is cheap.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, keys: list[tuple[str, str]], **kwargs: object) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        for key, label in keys:
            line.append(f" {key} ", style="bold reverse")
            line.append(f"{label} ")
        super().__init__(line, **kwargs)  # type: ignore[arg-type]


APP_KEYS = [("g", "Go to"), ("?", "Help"), ("q", "Quit")]
