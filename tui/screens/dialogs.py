"""Modal dialogs: escalate, re-route an escalation, pick a clause, filters, a note, a suppression order, and the
screen switcher.

Each returns a plain value through ``dismiss`` (``None`` on escape); the calling screen does the service call.
Every control is reachable with tab / shift+tab and confirmed with enter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, RadioButton, RadioSet, Select, TextArea
from textual.widgets.option_list import Option

from moderation.domain import InputError
from moderation.domain.days import order_window


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
