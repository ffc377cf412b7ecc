"""What every dialog shares (escape cancels), and the small ones: yes or no, a note, a clause."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option


def clause_options(clauses: Mapping[str, Any]) -> list[tuple[str, str]]:
    def key(cid: str) -> tuple[int, str]:
        return (int(cid), cid) if cid.isdigit() else (10_000, cid)

    return [(f"{cid} {getattr(clauses[cid], 'title', '')}", cid) for cid in sorted(clauses, key=key)]


class Dialog(ModalScreen[Any]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)


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


class ConfirmDialog(Dialog):
    """y (or enter on Yes) confirms, n or escape declines: for actions on many comments at once."""

    BINDINGS = [
        Binding("escape,n", "cancel", "No"),
        Binding("y", "confirm", "Yes"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.question, style="bold"))
            if self.detail:
                yield Label(Text(self.detail))
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", variant="warning", id="yes")
                yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # enter alone never confirms a bulk action by accident

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True if event.button.id == "yes" else None)

    def action_confirm(self) -> None:
        self.dismiss(True)


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
