"""Render a Rich renderable to plain text, for assertions on what a widget shows."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console


def rendered_text(renderable: Any, width: int = 118) -> str:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text()
