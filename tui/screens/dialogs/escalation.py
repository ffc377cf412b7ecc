"""Escalating a comment and re-routing an open escalation: route, clause, note."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select

from tui.screens.dialogs.base import Dialog, clause_options


@dataclass(frozen=True)
class EscalateRequest:
    route: str
    clause: str | None
    note: str


class RouteChoice(RadioSet):
    """The route buttons of a dialog: m / p / l choose, space toggles, and enter sends the dialog as it stands
    (so ``e``, ``p``, enter escalates to privacy; enter never changes the route chosen)."""

    BINDINGS = [
        Binding("down,right", "next_button", "Next option", show=False),
        Binding("space", "toggle_button", "Toggle", show=False),
        Binding("up,left", "previous_button", "Previous option", show=False),
        Binding("enter", "send", "Send", show=False),
    ]

    def action_send(self) -> None:
        send = getattr(self.screen, "send", None)
        if send is not None:
            send()


class EscalateDialog(Dialog):
    """Route (media / privacy / legal), clause, note. Focus starts on the route: m / p / l choose it, tab moves
    to the clause and the note, and enter on the route or the note escalates."""

    def __init__(self, comment_id: int, clauses: Mapping[str, Any], default_clause: str | None) -> None:
        super().__init__()
        self.comment_id = comment_id
        self.clauses = clauses
        self.default_clause = default_clause

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(f"Escalate comment #{self.comment_id}", style="bold"))
            yield Label("Route (m / p / l; enter escalates, tab moves to the clause and the note):")
            with RouteChoice(id="route"):
                yield RadioButton("media: reputational, media-sensitive", id="route-media")
                yield RadioButton("privacy: personal or client information", id="route-privacy")
                yield RadioButton("legal: defamation, suppression orders, contempt", value=True, id="route-legal")
            yield Label("Clause:")
            options = clause_options(self.clauses)
            default = self.default_clause if self.default_clause in self.clauses else Select.NULL
            yield Select(options, value=default, allow_blank=True, prompt="(the comment's clause)", id="clause")
            yield Label("Note for the reviewer:")
            yield Input(placeholder="why this needs a reviewer", id="note")
            with Horizontal(classes="buttons"):
                yield Button("Escalate", variant="warning", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        # The route first: a key typed at once chooses it and never lands in the note (which goes into the ledger).
        self.query_one("#route", RadioSet).focus()

    def send(self) -> None:
        self.dismiss(self._result())

    def on_key(self, event: Any) -> None:
        if isinstance(self.focused, Input):
            return
        ids = {"m": "route-media", "p": "route-privacy", "l": "route-legal"}
        if event.key in ids:
            self.query_one(f"#{ids[event.key]}", RadioButton).value = True
            event.stop()

    def _result(self) -> EscalateRequest:
        pressed = self.query_one("#route", RadioSet).pressed_button
        route = (pressed.id or "route-legal").removeprefix("route-") if pressed else "legal"
        value = self.query_one("#clause", Select).value
        clause = value if isinstance(value, str) else None
        return EscalateRequest(route=route, clause=clause, note=self.query_one("#note", Input).value.strip())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(self._result())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self._result() if event.button.id == "ok" else None)


ROUTE_LABELS = {
    "media": "media: reputational, media-sensitive",
    "privacy": "privacy: personal or client information",
    "legal": "legal: defamation, suppression orders, contempt",
}


@dataclass(frozen=True)
class RerouteRequest:
    route: str
    note: str


class RerouteDialog(Dialog):
    """Send an open escalation to another route, with a note for its next reviewer (both required)."""

    def __init__(self, escalation_id: int, comment_id: int, current: str) -> None:
        super().__init__()
        self.escalation_id = escalation_id
        self.comment_id = comment_id
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                Text(f"Re-route escalation {self.escalation_id} (comment #{self.comment_id}), now with {self.current}")
            )
            yield Label("To (m / p / l):")
            with RouteChoice(id="route"):
                for route, label in ROUTE_LABELS.items():
                    if route != self.current:
                        yield RadioButton(label, id=f"route-{route}")
            yield Label("Note for the next reviewer:")
            yield Input(placeholder="why it belongs there", id="note")
            yield Label("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Re-route", variant="warning", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#route", RadioSet).focus()

    def on_key(self, event: Any) -> None:
        if isinstance(self.focused, Input):
            return
        route = {"m": "media", "p": "privacy", "l": "legal"}.get(event.key)
        if route is not None and route != self.current:
            self.query_one(f"#route-{route}", RadioButton).value = True
            event.stop()

    def send(self) -> None:
        self._submit()

    def _submit(self) -> None:
        pressed = self.query_one("#route", RadioSet).pressed_button
        note = self.query_one("#note", Input).value.strip()
        error = self.query_one("#error", Label)
        if pressed is None or not pressed.id:
            error.update(Text("Choose where it goes: m media, p privacy, l legal.", style="bold red"))
            self.query_one("#route", RadioSet).focus()
        elif not note:
            error.update(Text("Write a note: the next reviewer needs to know why.", style="bold red"))
            self.query_one("#note", Input).focus()
        else:
            self.dismiss(RerouteRequest(route=pressed.id.removeprefix("route-"), note=note))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self._submit()
        else:
            self.dismiss(None)
