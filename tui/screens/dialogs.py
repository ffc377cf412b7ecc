"""Modal dialogs: escalate, pick a clause, filters, a note, and the screen switcher.

Each returns a plain value through ``dismiss`` (``None`` on escape); the calling screen does the service call.
Every control is reachable with tab / shift+tab and confirmed with enter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, RadioButton, RadioSet, Select
from textual.widgets.option_list import Option


def clause_options(clauses: Mapping[str, Any]) -> list[tuple[str, str]]:
    def key(cid: str) -> tuple[int, str]:
        return (int(cid), cid) if cid.isdigit() else (10_000, cid)

    return [(f"{cid} {getattr(clauses[cid], 'title', '')}", cid) for cid in sorted(clauses, key=key)]


class Dialog(ModalScreen[Any]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class EscalateRequest:
    route: str
    clause: str | None
    note: str


class EscalateDialog(Dialog):
    """Route (media / privacy / legal), clause, note."""

    def __init__(self, comment_id: int, clauses: Mapping[str, Any], default_clause: str | None) -> None:
        super().__init__()
        self.comment_id = comment_id
        self.clauses = clauses
        self.default_clause = default_clause

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(f"Escalate comment #{self.comment_id}", style="bold"))
            yield Label("Route (m / p / l):")
            with RadioSet(id="route"):
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
        self.query_one("#note", Input).focus()

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


class ClausePicker(Dialog):
    """Choose the clause a decision cites."""

    def __init__(
        self, clauses: Mapping[str, Any], title: str = "Cite which clause?", current: str | None = None
    ) -> None:
        super().__init__()
        self.clauses = clauses
        self.title_text = title
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.title_text, style="bold"))
            yield OptionList(*[Option(label, id=cid) for label, cid in clause_options(self.clauses)], id="clauses")
            yield Label(Text("enter chooses · escape cancels", style="dim"))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if self.current is not None:
            try:
                options.highlighted = options.get_option_index(self.current)
            except Exception:  # noqa: BLE001 - an unknown clause just leaves the first highlighted
                pass

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)


@dataclass(frozen=True)
class Filters:
    states: tuple[str, ...] = ()
    clause: str | None = None
    platform: str | None = None
    account: str | None = None
    shadow: bool | None = None
    search: str | None = None

    def describe(self) -> str:
        bits = []
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


class NoteDialog(Dialog):
    """A note for a resolution (reviewers) or any free text."""

    def __init__(self, title: str, placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.title_text, style="bold"))
            yield Input(placeholder=self.placeholder, id="note")
            yield Label(Text("enter confirms · escape cancels", style="dim"))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())


SCREENS = [
    ("q", "queue", "Queue"),
    ("e", "escalations", "Escalations"),
    ("s", "statistics", "Statistics"),
    ("o", "orders", "Suppression orders"),
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
