"""Modal dialogs: escalate, re-route an escalation, pick a clause, filters, a note, a suppression order, and the
screen switcher.

Each returns a plain value through ``dismiss`` (``None`` on escape); the calling screen does the service call.
Every control is reachable with tab / shift+tab and confirmed with enter.

``base`` holds what they share and the small ones (yes or no, a note, a clause); ``escalation``, ``filters``,
``orders`` and ``switcher`` one dialog each (or two close ones).
"""

from tui.screens.dialogs.base import ClausePicker, ConfirmDialog, Dialog, NoteDialog, clause_options
from tui.screens.dialogs.escalation import (
    ROUTE_LABELS,
    EscalateDialog,
    EscalateRequest,
    RerouteDialog,
    RerouteRequest,
    RouteChoice,
)
from tui.screens.dialogs.filters import STATE_CHOICES, FilterDialog, Filters
from tui.screens.dialogs.orders import OrderDialog, OrderRequest, split_names
from tui.screens.dialogs.switcher import SCREENS, ScreenPicker

__all__ = [
    "ROUTE_LABELS",
    "SCREENS",
    "STATE_CHOICES",
    "ClausePicker",
    "ConfirmDialog",
    "Dialog",
    "EscalateDialog",
    "EscalateRequest",
    "FilterDialog",
    "Filters",
    "NoteDialog",
    "OrderDialog",
    "OrderRequest",
    "RerouteDialog",
    "RerouteRequest",
    "RouteChoice",
    "ScreenPicker",
    "clause_options",
    "split_names",
]
