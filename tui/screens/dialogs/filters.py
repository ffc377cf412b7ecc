"""What the queue shows: states, clause, platform, account, shadow, search."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Select

from tui.screens.dialogs.base import Dialog, clause_options


@dataclass(frozen=True)
class Filters:
    states: tuple[str, ...] = ()
    clause: str | None = None
    platform: str | None = None
    account: str | None = None
    shadow: bool | None = None
    search: str | None = None
    # Escalations on these routes are left out: the person cannot act on them (a moderator and legal's items).
    hide_routes: tuple[str, ...] = ()

    def describe(self) -> str:
        bits = []
        if self.hide_routes:
            bits.append("without " + "/".join(self.hide_routes) + " escalations")
        if self.states:
            bits.append("state " + "/".join(self.states))
        for name in ("clause", "platform", "account"):
            if getattr(self, name):
                bits.append(f"{name} {getattr(self, name)}")
        if self.shadow is not None:
            bits.append("shadow only" if self.shadow else "no shadow")
        if self.search:
            bits.append(f"search “{self.search}”")
        return ", ".join(bits)


STATE_CHOICES = ["queued", "escalated", "auto_hidden", "approved", "hidden"]


class FilterDialog(Dialog):
    def __init__(self, current: Filters, clauses: Mapping[str, Any], accounts: list[tuple[str, str]]) -> None:
        super().__init__()
        self.current = current
        self.clauses = clauses
        self.accounts = accounts

    def compose(self) -> ComposeResult:
        c = self.current
        with Vertical(classes="dialog"):
            yield Label(Text("Filter the queue", style="bold"))
            yield Label("State:")
            yield Select(
                [(s, s) for s in STATE_CHOICES],
                value=c.states[0] if len(c.states) == 1 else Select.NULL,
                prompt="any open (queued, escalated, auto hidden)",
                id="state",
            )
            yield Label("Clause:")
            yield Select(clause_options(self.clauses), value=c.clause or Select.NULL, prompt="any clause", id="clause")
            yield Label("Platform:")
            yield Select(
                [("Facebook", "facebook"), ("Instagram", "instagram"), ("X", "x")],
                value=c.platform or Select.NULL,
                prompt="any platform",
                id="platform",
            )
            yield Label("Account:")
            yield Select(
                self.accounts,
                value=c.account if c.account in {v for _, v in self.accounts} else Select.NULL,
                prompt="any account",
                id="account",
            )
            yield Label("Shadow findings:")
            shadow = {True: "only", False: "none"}.get(c.shadow, Select.NULL)  # type: ignore[arg-type]
            yield Select(
                [("only comments with shadow findings", "only"), ("no shadow findings", "none")],
                value=shadow,
                prompt="either",
                id="shadow",
            )
            with Horizontal(classes="buttons"):
                yield Button("Apply", variant="primary", id="ok")
                yield Button("Clear all", id="clear")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#state", Select).focus()

    def _value(self, wid: str) -> str | None:
        v = self.query_one(f"#{wid}", Select).value
        return v if isinstance(v, str) else None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cancel":
            self.dismiss(None)
        elif event.button.id == "clear":
            self.dismiss(Filters())
        else:
            state = self._value("state")
            shadow = {"only": True, "none": False}.get(self._value("shadow") or "")
            self.dismiss(
                replace(
                    self.current,
                    states=(state,) if state else (),
                    clause=self._value("clause"),
                    platform=self._value("platform"),
                    account=self._value("account"),
                    shadow=shadow,
                )
            )
