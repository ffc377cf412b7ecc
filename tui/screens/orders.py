"""The register of court suppression orders (legal and admin only; the names are themselves suppressed).

``n`` adds an order (``OrderDialog``) and ``x`` revokes the one under the cursor with a reason. Both are the
service's calls, made as ``modq orders add`` / ``revoke`` make them: ``add_order`` (without its own sweep), then
``sweep`` over every stored comment with the new order, whose report says how many comments it escalated to legal
and hid. The role check is the service's; the screen only declines early (from the same rights table) so a
moderator does not fill in a form for nothing, and shows any refusal of the service as a message. A refusal that
editing can fix (a term too short, a note naming someone) opens the dialog again with what was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from moderation.domain import ModqError, RoleError
from tui import safe
from tui.screens.dialogs import NoteDialog, OrderDialog, OrderRequest
from tui.widgets.keybar import APP_KEYS, KeyBar

if TYPE_CHECKING:
    from tui.app import ModqApp

HELP = [
    (
        "Orders",
        [
            ("j / k", "move"),
            ("n", "new order (case, court, names, dates, note), then sweep stored comments"),
            ("x", "revoke the order under the cursor, with a reason"),
            ("R", "reload"),
            ("g", "go to screen"),
            ("?", "help"),
            ("q", "quit"),
        ],
    ),
    (
        "In the new-order dialog",
        [
            ("tab / shift+tab", "next / previous field"),
            ("enter", "next field; on the note: add the order"),
            ("ctrl+s", "add the order from any field"),
            ("escape", "cancel"),
        ],
    ),
]
WHO = "legal and admin only"


def days_text(order: Any) -> str:
    """An order's days as entered: both inclusive, in the department's time zone."""
    last = f"{order.last_day:%d %b %Y}" if order.last_day else "until revoked"
    return f"{order.first_day:%d %b %Y} – {last}"


class OrdersScreen(Screen[None]):
    HELP_KEYS = HELP
    BINDINGS = [
        Binding("n", "add", "New order"),
        Binding("x", "revoke", "Revoke"),
        Binding("R", "reload", "Reload"),
        Binding("j", "move(1)", show=False),
        Binding("k", "move(-1)", show=False),
    ]

    class Loaded(Message):
        def __init__(self, rows: list[Any] | None, note: str) -> None:
            super().__init__()
            self.rows, self.note = rows, note

    class Refused(Message):
        """The service would not add the order; ``request`` is shown again unless editing cannot help (a role
        refused: ``role`` is then the person's role as the service now knows it)."""

        def __init__(self, request: OrderRequest, text: str, again: bool, role: str | None = None) -> None:
            super().__init__()
            self.request, self.text, self.again, self.role = request, text, again, role

    class Added(Message):
        def __init__(self, order: Any) -> None:
            super().__init__()
            self.order = order

    class Sweeping(Message):
        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done, self.total = done, total

    class Swept(Message):
        def __init__(self, order: Any, report: Any) -> None:
            super().__init__()
            self.order, self.report = order, report

    class Done(Message):
        def __init__(self, text: str, error: bool) -> None:
            super().__init__()
            self.text, self.error = text, error

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []
        self.keep: int | None = None
        # The outcome of the last add or revoke (or the sweep's progress), shown under the register until the next.
        self.outcome = ""
        self.loaded_note = ""

    @property
    def modq(self) -> ModqApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(Text(" Suppression orders ", style="bold reverse"), id="orders-status")
        yield DataTable(cursor_type="row", id="orders")
        yield Static("", id="orders-note")
        yield KeyBar([("n", "New order"), ("x", "Revoke"), ("R", "Reload"), ("j/k", "Move"), *APP_KEYS])

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (
            ("id", 4),
            ("case", 22),
            ("court", 20),
            ("protected names", 26),
            ("in force (last day)", 25),
            ("state", 8),
        ):
            table.add_column(Text(label, style="bold"), width=width)
        table.focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, table.cursor_row + step))

    @property
    def current(self) -> Any:
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def may_manage(self, verb: str) -> bool:
        if self.modq.can("orders"):
            return True
        self.notify(
            f"{self.modq.actor} ({self.modq.role or 'no role'}) may not {verb} suppression orders ({WHO}).",
            severity="warning",
            timeout=6,
            markup=False,
        )
        return False

    # ------------------------------------------------------------ add
    def action_add(self) -> None:
        if self.may_manage("add"):
            self.open_dialog(None, "")

    def open_dialog(self, request: OrderRequest | None, error: str) -> None:
        def chosen(req: OrderRequest | None) -> None:
            if req is not None:
                self.set_outcome("Adding the order…")
                self.add(req)

        svc = self.modq.svc
        tz = svc.department_zone()
        self.app.push_screen(OrderDialog(svc.now().astimezone(tz).date(), tz, request, error), chosen)

    @work(thread=True, group="orders-add", exit_on_error=False)
    def add(self, req: OrderRequest) -> None:
        svc = self.modq.svc
        try:
            order = svc.add_order(
                req.case,
                req.court,
                req.terms,
                req.starts,
                req.until,
                actor=self.modq.actor,
                note=req.note,
                sweep=False,
            )
        except RoleError as exc:
            try:
                role = svc.role_of(self.modq.actor)
            except Exception:  # noqa: BLE001 - keep the role the app knew
                role = self.modq.role
            self.post_message(self.Refused(req, str(exc), again=False, role=role))
            return
        except Exception as exc:  # noqa: BLE001 - a refusal or a database error: nothing was stored
            self.post_message(self.Refused(req, str(exc), again=True))
            return
        self.post_message(self.Added(order))
        try:
            # As `modq orders add` does: the order's own sweep, so its report (the count escalated) can be shown.
            report = svc.sweep(order_ids=[order.id], progress=lambda d, t: self.post_message(self.Sweeping(d, t)))
        except Exception as exc:  # noqa: BLE001
            self.post_message(
                self.Done(
                    f"Order {order.id} is registered and applies to new comments, but checking the stored comments "
                    f"failed: {exc}",
                    True,
                )
            )
            return
        self.post_message(self.Swept(order, report))

    def on_orders_screen_refused(self, msg: Refused) -> None:
        self.set_outcome(f"Order not added: {msg.text}")
        if msg.again:
            self.open_dialog(msg.request, f"Not added: {msg.text}")
            return
        # The role changed since the terminal opened: the service's word stands, and the next n declines early.
        self.modq.role = msg.role
        self.notify(
            f"Order not added: {msg.text}. Suppression orders are managed by legal and admin.",
            severity="error",
            timeout=8,
            markup=False,
        )

    def on_orders_screen_added(self, msg: Added) -> None:
        self.keep = msg.order.id
        self.set_outcome(f"Order {msg.order.id} added; checking every stored comment against it…")
        self.load()

    def on_orders_screen_sweeping(self, msg: Sweeping) -> None:
        self.set_outcome(f"Checking stored comments against the new order: {msg.done:,} of {msg.total:,}…")

    def on_orders_screen_swept(self, msg: Swept) -> None:
        o, r = msg.order, msg.report
        if not o.active:
            text = (
                f"Order {o.id} ({o.case}) added. It is not in force today ({o.first_day:%d %b %Y}): from its first "
                "day, new comments are checked and the worker checks stored comments within minutes."
            )
        else:
            text = (
                f"Order {o.id} ({o.case}) added. {r.escalated:,} stored comment{'s' if r.escalated != 1 else ''} "
                f"escalated to legal and hidden ({r.scanned:,} checked, {r.matched:,} matched, "
                f"{r.already:,} already with legal)."
            )
        self.set_outcome(text)
        self.notify(text, title="Suppression order", timeout=10, markup=False)
        self.load()

    # ------------------------------------------------------------ revoke
    def action_revoke(self) -> None:
        if not self.may_manage("revoke"):
            return
        order = self.current
        if order is None:
            self.notify("No order selected.", timeout=3)
            return
        if order.revoked_at is not None:
            self.notify(f"Order {order.id} is already revoked.", timeout=3)
            return

        def done(reason: str | None) -> None:
            if reason is None:
                return
            if not reason:
                self.notify("Not revoked: a reason is needed (it is kept in the ledger).", severity="warning")
                return
            self.keep = order.id
            self.revoke(order.id, reason)

        self.app.push_screen(
            NoteDialog(
                f"Revoke order {order.id}? Reason (public ledger):",
                "no names; e.g. lifted by the court on appeal",
            ),
            done,
        )

    @work(thread=True, group="orders-revoke", exit_on_error=False)
    def revoke(self, order_id: int, reason: str) -> None:
        try:
            self.modq.svc.revoke_order(order_id, self.modq.actor, reason)
        except Exception as exc:  # noqa: BLE001 - the service's refusal, or a database error
            self.post_message(self.Done(f"Order {order_id} not revoked: {exc}", True))
            return
        self.post_message(
            self.Done(
                f"Order {order_id} revoked: it no longer matches. What it hid stays hidden until legal decides.", False
            )
        )

    def on_orders_screen_done(self, msg: Done) -> None:
        self.set_outcome(msg.text)
        self.notify(
            msg.text, severity="error" if msg.error else "information", timeout=8 if msg.error else 4, markup=False
        )
        self.load()

    # ------------------------------------------------------------ the register
    @work(thread=True, exclusive=True, group="orders", exit_on_error=False)
    def load(self) -> None:
        orders = getattr(self.modq.svc, "orders", None)
        if orders is None:
            self.post_message(self.Loaded(None, "The suppression-order register is not in this build."))
            return
        try:
            rows = orders(self.modq.actor)
        except ModqError as exc:
            self.post_message(self.Loaded(None, str(exc)))
            return
        self.post_message(self.Loaded(rows, f"{len(rows)} orders."))

    def on_orders_screen_loaded(self, msg: Loaded) -> None:
        table = self.query_one(DataTable)
        keep = self.keep if self.keep is not None else (self.current.id if self.current is not None else None)
        self.keep = None
        self.rows = list(msg.rows or [])
        table.clear()
        for o in self.rows:
            table.add_row(
                Text(str(o.id)),
                safe.line(o.case, limit=60),
                safe.line(o.court, limit=60),
                safe.line("; ".join(o.terms), limit=120),
                Text(days_text(o)),
                Text(o.status, style="bold green" if o.status == "in force" else "dim"),
            )
        ids = [o.id for o in self.rows]
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        self.loaded_note = msg.note
        self.show_note()

    def set_outcome(self, text: str) -> None:
        self.outcome = text
        self.show_note()

    def show_note(self) -> None:
        text = " ".join(t for t in (self.loaded_note, self.outcome) if t)
        self.query_one("#orders-note", Static).update(safe.literal(text, limit=600, max_lines=3, style="dim"))
