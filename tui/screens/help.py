"""? opens this: every key of the screen underneath, grouped, so nothing is only discoverable by accident."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

QUEUE_KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Move",
        [
            ("j / ↓", "next comment"),
            ("k / ↑", "previous comment"),
            ("pgdn / pgup", "page down / up"),
            ("home / end", "first / last loaded"),
            ("ctrl+d / ctrl+u", "scroll the detail pane"),
        ],
    ),
    (
        "Decide",
        [
            ("a", "approve (or resolve an escalation as approved)"),
            ("h", "hide, citing the comment's clause (asks if none)"),
            ("e", "escalate: route media / privacy / legal, clause, note"),
            ("c", "change the clause the next decision cites"),
            ("u", "undo my last decision this session (a bulk action: all of it, after asking)"),
        ],
    ),
    (
        "Many at once",
        [
            ("space", "select / unselect this comment"),
            ("s", "select every open comment with the same or near-identical text"),
            ("A", "approve every selected comment (after asking)"),
            ("H", "hide every selected comment (after asking)"),
            ("x", "clear the selection"),
        ],
    ),
    (
        "Find",
        [
            ("/", "search text and author (enter applies, empty clears)"),
            ("#", "go to a comment by its id (one not in the list is shown in place of the row)"),
            ("f", "filters: state, clause, platform, account, shadow findings; clear all shows legal's items too"),
            ("R", "reload now"),
        ],
    ),
    (
        "View",
        [
            ("r", "reveal / mask offensive words in this comment"),
            ("o", "open the comment on its platform in the browser"),
            ("y", "copy the comment's link"),
            ("t", "high-contrast theme on / off"),
            ("g", "go to screen: q queue, e escalations, s statistics, o orders, a alerts, c complaints"),
            ("?", "this help"),
            ("q", "quit"),
        ],
    ),
]

ESCALATION_KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Escalations",
        [
            ("j / k", "move"),
            ("m / p / l", "show media / privacy / legal (in the re-route dialog: choose the route)"),
            ("*", "every route"),
            ("o", "open only / every status"),
            ("a", "resolve: approve (keep visible), with a note"),
            ("h", "resolve: hide, with a note"),
            ("e", "re-route: send to media / privacy / legal, with a note for its next reviewer"),
            ("r", "reveal masked words"),
            ("g", "go to screen"),
            ("?", "help"),
            ("q", "quit"),
        ],
    ),
]

ALERT_KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Alerts",
        [
            ("j / k", "move"),
            ("a", "acknowledge: someone is on it (it leaves the list and is not mailed)"),
            ("A", "acknowledge every alert shown"),
            ("o", "waiting only / every alert"),
            ("R", "reload now"),
            ("g", "go to screen"),
            ("?", "help"),
            ("q", "quit"),
        ],
    ),
]

COMPLAINT_KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Complaints",
        [
            ("j / k", "move"),
            ("o", "open only (overdue and soonest due first) / every complaint"),
            ("R", "reload now"),
            ("", "review on the command line: modq complaints review ID uphold|dismiss --note TEXT"),
            ("g", "go to screen"),
            ("?", "help"),
            ("q", "quit"),
        ],
    ),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, groups: list[tuple[str, list[tuple[str, str]]]] | None = None) -> None:
        super().__init__()
        self.groups = groups or QUEUE_KEYS

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold reverse", no_wrap=True)
        table.add_column()
        for title, keys in self.groups:
            table.add_row(Text(""), Text(title, style="bold underline"))
            for key, what in keys:
                table.add_row(Text(f" {key} "), Text(what))
        with VerticalScroll(classes="dialog wide"):
            yield Static(Text("modq keys", style="bold"))
            yield Static(table)
            yield Static(Text("escape closes", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
