"""The moderator's terminal: a Textual app over ``ModerationService``, nothing else.

``run_tui(svc, actor)`` is what ``modq demo`` and ``modq tui`` call. The app holds what every screen shares (the
service, who is acting and their role, the policy's clauses, the session's undo stack and the count of items seen)
and switches between six screens with ``g``: queue, escalations, statistics, orders, alerts, complaints. Each screen
does its own service calls in thread workers; see ``tui/screens/queue/screen.py`` for the data flow.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.theme import Theme

from moderation.domain import Role, RoleError
from moderation.domain.days import zone
from moderation.domain.states import ROLE_RIGHTS
from tui.format import mask_clauses
from tui.screens.alerts import AlertsScreen
from tui.screens.complaints import ComplaintsScreen
from tui.screens.dialogs import ScreenPicker
from tui.screens.escalations import EscalationsScreen
from tui.screens.help import HelpScreen
from tui.screens.orders import OrdersScreen
from tui.screens.queue import QueueScreen
from tui.screens.statistics import StatisticsScreen

if TYPE_CHECKING:
    from moderation.services import ModerationService

HIGH_CONTRAST = Theme(
    name="modq-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FF00FF",
    warning="#FFFF00",
    error="#FF4040",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#202020",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
)
DEFAULT_THEME = "textual-dark"


class ModqApp(App[None]):
    CSS_PATH = "modq.tcss"
    TITLE = "modq"
    ENABLE_COMMAND_PALETTE = False
    MODES = {
        "queue": QueueScreen,
        "escalations": EscalationsScreen,
        "statistics": StatisticsScreen,
        "orders": OrdersScreen,
        "alerts": AlertsScreen,
        "complaints": ComplaintsScreen,
    }
    BINDINGS = [
        Binding("g", "screens", "Go to"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit_modq", "Quit"),
        Binding("t", "contrast", "Contrast", show=False),
    ]

    def __init__(
        self,
        svc: ModerationService,
        actor: str,
        *,
        refresh_seconds: float = 3.0,
        claim_delay: float = 0.4,
        break_minutes: float = 0,
        high_contrast: bool = False,
        start: str | None = None,
    ) -> None:
        super().__init__()
        self.svc = svc
        self.actor = actor
        # Read before the event loop starts: one row and the policy file, both needed for the first paint.
        self.role: str | None = svc.role_of(actor)
        if self.role is None:  # someone the database does not know sees nothing of the queue
            raise RoleError(f"'{actor}' is not an active moderator in this database, so the queue is not shown")
        # Times are shown where the department is (MODQ_TIMEZONE), not in UTC.
        self.zone_name: str = svc.settings.timezone
        self.tz = zone(self.zone_name)
        self.clauses: dict[str, Any] = dict(svc.policy.clauses)
        self.mask_family = mask_clauses(self.clauses)
        self.refresh_seconds = refresh_seconds
        self.claim_delay = claim_delay
        self.break_minutes = break_minutes
        self.high_contrast = high_contrast
        self.start = start or {"legal": "escalations", "committee": "statistics"}.get(self.role or "", "queue")
        # Comment ids to undo, newest last; a bulk action is one entry (its ids), undone together after asking.
        self.undo_stack: list[int | list[int]] = []
        self.seen: set[int] = set()
        # Screens holding a claim register here so quitting releases it at once.
        self.claim_holders: list[Any] = []
        self.started = time.monotonic()

    def local(self, at: datetime, fmt: str = "%d %b %H:%M") -> str:
        """``at`` as the department's local time."""
        return at.astimezone(self.tz).strftime(fmt)

    def can(self, right: str) -> bool:
        try:
            return self.role is not None and right in ROLE_RIGHTS[Role(self.role)]
        except ValueError:
            return False

    def routes_not_mine(self) -> tuple[str, ...]:
        """Escalation routes this person cannot resolve, left out of their queue at the start (a moderator:
        legal). Read-only people act on nothing, so they are shown everything."""
        if not self.can("approve"):
            return ()
        return tuple(r for r in ("media", "privacy", "legal") if not self.can(f"resolve_{r}"))

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = HIGH_CONTRAST.name if self.high_contrast else DEFAULT_THEME
        self.switch_mode(self.start)
        if self.break_minutes > 0:
            self.set_interval(self.break_minutes * 60, self.remind_break)
        # What the service has to tell the person after an action (e.g. a note withheld from the public ledger).
        self.set_interval(0.5, self.tell_notices)

    def tell_notices(self) -> None:
        take = getattr(self.svc, "take_notices", None)
        for notice in take() if take is not None else []:
            self.notify(notice, title="Kept out of the public record", severity="warning", timeout=10, markup=False)

    def remind_break(self) -> None:
        minutes = int((time.monotonic() - self.started) // 60)
        self.notify(
            f"You have been moderating for {minutes} minutes and seen {len(self.seen)} comments. "
            "A short break away from the screen helps.",
            title="Time for a break?",
            timeout=15,
            markup=False,
        )

    def action_screens(self) -> None:
        def chosen(mode: str | None) -> None:
            if mode and mode != self.current_mode:
                self.switch_mode(mode)

        self.push_screen(ScreenPicker(), chosen)

    def action_help(self) -> None:
        keys = getattr(self.screen, "HELP_KEYS", None)
        self.push_screen(HelpScreen(keys))

    def action_contrast(self) -> None:
        self.high_contrast = not self.high_contrast
        self.theme = HIGH_CONTRAST.name if self.high_contrast else DEFAULT_THEME

    def action_quit_modq(self) -> None:
        for holder in self.claim_holders:
            holder.release_claim()
        self.exit()


def run_tui(svc: ModerationService, actor: str, **options: Any) -> None:
    """Open the moderator's terminal on ``svc`` acting as ``actor`` (blocks until the user quits).

    Raises:
        RoleError: ``actor`` is not an active person here: the queue holds protected names and personal
            information, so someone the database does not know sees nothing of it.
    """
    if svc.role_of(actor) is None:
        raise RoleError(
            f"'{actor}' is not an active moderator in this database, so the queue is not shown "
            "(an admin can add you with 'modq moderators add')"
        )
    ModqApp(svc, actor, **options).run()
