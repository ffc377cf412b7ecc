"""A new suppression order: case, court, protected names, first and last day, a note."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, TextArea

from moderation.domain import InputError
from moderation.domain.days import order_window
from tui.screens.dialogs.base import Dialog


def split_names(text: str) -> list[str]:
    """Protected names and aliases, one per line or separated by commas; blanks and repeats dropped."""
    names: list[str] = []
    for part in text.replace("\n", ",").split(","):
        name = " ".join(part.split())
        if name and name not in names:
            names.append(name)
    return names


@dataclass(frozen=True)
class OrderRequest:
    """What the order dialog returns: the fields as typed (to show them again if the service refuses) and parsed."""

    case: str
    court: str
    names_text: str
    starts_text: str
    until_text: str
    note: str
    terms: list[str] = field(default_factory=list)
    starts: datetime | None = None
    until: datetime | None = None


class OrderDialog(Dialog):
    """A new suppression order: case, court, protected names, first day, optional last day, a note.

    Checks what it can without the service (required fields, dates); the service checks the rest (roles, terms
    long enough to match safely, a note that names nobody) and the screen shows the dialog again with its reason.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "submit", "Add order")]

    def __init__(self, today: date, tz: ZoneInfo, request: OrderRequest | None = None, error: str = "") -> None:
        super().__init__()
        self.today = today  # in the department's time zone
        self.tz = tz
        self.request = request
        self.error = error

    def compose(self) -> ComposeResult:
        r = self.request
        with Vertical(classes="dialog wide", id="order-dialog"):
            yield Label(Text("New suppression order", style="bold"))
            with Horizontal(classes="fields"):
                with Vertical():
                    yield Label("Case:")
                    yield Input(r.case if r else "", placeholder="as the court names it", id="case")
                with Vertical():
                    yield Label("Court:")
                    yield Input(r.court if r else "", placeholder="the court that made it", id="court")
            yield Label("Protected names and aliases (one a line, or separated by commas):")
            yield TextArea(r.names_text if r else "", id="names", soft_wrap=True, show_line_numbers=False)
            with Horizontal(classes="fields"):
                with Vertical():
                    yield Label(f"First day (YYYY-MM-DD, {self.tz.key}):")
                    yield Input(r.starts_text if r else self.today.isoformat(), id="starts")
                with Vertical():
                    yield Label("Last day (inclusive; empty: until revoked):")
                    yield Input(r.until_text if r else "", placeholder="YYYY-MM-DD", id="until")
            yield Label("Note (kept in the public ledger: never write the names):")
            yield Input(r.note if r else "", placeholder="e.g. served by the court registry on 21 Nov", id="note")
            yield Label(Text(self.error, style="bold red"), id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Add and sweep", variant="warning", id="ok")
                yield Button("Cancel", id="cancel")
            yield Label(Text("tab moves · enter on the note or ctrl+s adds · escape cancels", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#case", Input).focus()

    def _fail(self, message: str, focus: str) -> None:
        self.query_one("#error", Label).update(Text(message, style="bold red"))
        self.query_one(f"#{focus}").focus()

    def action_submit(self) -> None:
        values = {wid: self.query_one(f"#{wid}", Input).value for wid in ("case", "court", "starts", "until", "note")}
        names_text = self.query_one("#names", TextArea).text
        case, court = values["case"].strip(), values["court"].strip()
        terms = split_names(names_text)
        if not case:
            self._fail("The case is required.", "case")
            return
        if not court:
            self._fail("The court is required.", "court")
            return
        if not terms:
            self._fail("Name at least one protected person or alias.", "names")
            return
        try:
            starts, until = order_window(values["starts"], values["until"], self.tz)
        except InputError as exc:
            message = str(exc)
            self._fail(message[0].upper() + message[1:] + ".", "starts" if "first day" in message[:14] else "until")
            return
        self.dismiss(
            OrderRequest(
                case=case,
                court=court,
                names_text=names_text,
                starts_text=values["starts"].strip(),
                until_text=values["until"].strip(),
                note=values["note"].strip(),
                terms=terms,
                starts=starts,
                until=until,
            )
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "note":
            self.action_submit()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self.action_submit()
        else:
            self.dismiss(None)
