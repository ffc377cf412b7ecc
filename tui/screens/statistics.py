"""The committee's figures for the last 7 and 30 days, with terminal charts (plotext).

The figures come from ``svc.stats`` (``moderation.reports.metrics``), the same numbers as the committee's report.
If this build's service has no ``stats`` yet, the screen falls back to the live state counts from ``svc.counts``
and says so. Charts are drawn by plotext in the worker thread (plotext keeps global state, so one chart at a
time, under a lock) and shown through ``Text.from_ansi``: our own output, never public text.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from tui.widgets.keybar import APP_KEYS, KeyBar

if TYPE_CHECKING:
    from tui.app import ModqApp

SERIES_COLOURS = ["blue", "magenta", "cyan"]
# plotext draws on one module-level figure. A screen that is mounted and resumed at once starts two workers (the
# older one is cancelled but its thread runs on), so every chart is drawn under this lock.
_PLOTEXT = threading.Lock()
HELP = [("Statistics", [("R", "recompute"), ("j / k", "scroll"), ("g", "go to screen"), ("?", "help"), ("q", "quit")])]


def chart(
    kind: str,
    labels: list[str],
    values: list[float] | list[list[float]],
    title: str,
    width: int,
    height: int,
    series: list[str] | None = None,
) -> Text:
    """One plotext chart as ANSI text, turned into ``Text`` (safe from any thread: drawing takes a lock).

    plotext is pinned (5.3.2 in pyproject.toml): 6.x draws the frames of bar charts but no bars. It keeps one
    module-level figure: clear it, size it, draw, build. The "clear" theme has no background, so the chart sits on
    the app's theme (high contrast included); stacked series get a colour and a legend (``series``).
    """
    import plotext as plt

    if not labels:
        return Text(f"{title}: nothing in this period", style="dim")
    with _PLOTEXT:
        plt.clf()
        plt.plotsize(width, height)
        plt.theme("clear")
        plt.title(title)
        if kind == "stacked":
            plt.stacked_bar(labels, values, labels=series, color=SERIES_COLOURS[: len(values)])
        elif kind == "hbar":
            plt.bar(labels, values, orientation="horizontal")
        else:
            plt.bar(labels, values)
        out = Text.from_ansi(plt.build())
        plt.clf()
    return out


def fmt_seconds(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 120:
        return f"{value:.0f}s"
    if value < 7200:
        return f"{value / 60:.0f}m"
    return f"{value / 3600:.1f}h"


class StatisticsScreen(Screen[None]):
    HELP_KEYS = HELP
    BINDINGS = [
        Binding("R", "reload", "Recompute"),
        Binding("j", "scroll(1)", show=False),
        Binding("k", "scroll(-1)", show=False),
    ]

    class Ready(Message):
        def __init__(self, body: RenderableType) -> None:
            super().__init__()
            self.body = body

    @property
    def modq(self) -> ModqApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(Text(" Statistics ", style="bold reverse"), id="stats-status")
        with VerticalScroll(id="stats-body"):
            yield Static(Text("Computing the committee's figures…", style="dim"), id="stats")
        yield KeyBar([("R", "Recompute"), ("j/k", "Scroll"), *APP_KEYS])

    def on_mount(self) -> None:
        self.query_one("#stats-body").focus()
        self.compute(self.size.width or 120)

    def on_screen_resume(self) -> None:
        self.compute(self.size.width or 120)

    def action_reload(self) -> None:
        self.compute(self.size.width or 120)

    def action_scroll(self, step: int) -> None:
        body = self.query_one("#stats-body", VerticalScroll)
        body.scroll_to(y=body.scroll_y + 3 * step, animate=False)

    def on_statistics_screen_ready(self, msg: Ready) -> None:
        self.query_one("#stats", Static).update(msg.body)

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False)
    def compute(self, width: int) -> None:
        try:
            body = self.build(width)
        except Exception as exc:  # noqa: BLE001 - the screen says what failed instead of crashing
            body = Text(f"Statistics could not be computed: {type(exc).__name__}: {exc}", style="red")
        self.post_message(self.Ready(body))

    # ------------------------------------------------------------ building (worker thread)
    def build(self, width: int) -> RenderableType:
        svc = self.modq.svc
        stats = getattr(svc, "stats", None)
        if stats is None:
            return self.fallback(width)
        tz = ZoneInfo(getattr(svc.settings, "timezone", "UTC"))
        today = svc.now().astimezone(tz).date()
        week = stats(today - timedelta(days=6), today)
        month = stats(today - timedelta(days=29), today)
        return Group(self.headline(week, month), *self.charts(week, month, width))

    def headline(self, week: Any, month: Any) -> Table:
        table = Table(title="The committee's figures", title_justify="left", box=None, padding=(0, 2))
        table.add_column("", style="bold")
        table.add_column(f"7 days ({week.first_day} – {week.last_day})", justify="right")
        table.add_column(f"30 days ({month.first_day} – {month.last_day})", justify="right")

        def person(m: Any) -> str:
            t = m.first_person.get("all")
            return fmt_seconds(t.median if t else None)

        def rate(m: Any) -> str:
            r = m.overturn_rate
            return "–" if r is None else f"{r:.0%}"

        rows = [
            ("Comments received", lambda m: f"{m.received:,}"),
            ("Decisions by automation", lambda m: f"{m.automation_decisions:,}"),
            ("Decisions by people", lambda m: f"{m.people_decisions:,}"),
            ("Hidden by automation", lambda m: f"{m.hides()['automation']:,}"),
            ("Hidden by people", lambda m: f"{m.hides()['people']:,}"),
            ("Median time to a person", person),
            ("Auto-hides overturned", lambda m: f"{m.overturned:,} ({rate(m)})"),
            ("Escalations opened", lambda m: f"{sum(r.opened for r in m.escalations):,}"),
            ("Escalations past SLA", lambda m: f"{sum(r.breached for r in m.escalations):,}"),
            ("Platform actions failed", lambda m: f"{m.outbox_by_status.get('failed', 0):,}"),
            ("Waiting for people now", lambda m: f"{m.waiting:,}"),
        ]
        for label, fn in rows:
            table.add_row(label, fn(week), fn(month))
        return table

    def charts(self, week: Any, month: Any, width: int) -> list[RenderableType]:
        half = max(40, (width - 4) // 2)
        out: list[RenderableType] = []
        days = month.by_day
        if days:
            labels = [str(d["day"])[5:] for d in days]
            series = [[float(d.get(p, 0)) for d in days] for p in ("facebook", "instagram", "x")]
            out.append(
                chart(
                    "stacked",
                    labels,
                    series,
                    "Comments per day, 30 days",
                    min(width - 2, 116),
                    12,
                    series=["facebook", "instagram", "x"],
                )
            )
        hidden: dict[str, float] = {}
        for row in month.by_clause:
            if row.get("action") in ("hide", "auto_hide", "resolve_hide"):
                hidden[str(row["clause"])] = hidden.get(str(row["clause"]), 0) + float(row.get("decisions", 0))
        keys = sorted(hidden, key=lambda c: (int(c) if c.isdigit() else 999, c))
        by_clause = chart(
            "hbar", [f"cl.{c}" for c in keys], [hidden[c] for c in keys], "Hidden by clause, 30 days", half, 12
        )
        week_hides = week.hides()
        who = chart(
            "bar",
            ["automation", "people"],
            [float(week_hides["automation"]), float(week_hides["people"])],
            "Hidden by whom, 7 days",
            half,
            12,
        )
        grid = Table.grid(padding=(0, 2))
        grid.add_row(by_clause, who)
        out.append(grid)
        return out

    def fallback(self, width: int) -> RenderableType:
        counts = self.modq.svc.counts()
        states = sorted(counts)
        note = Text(
            "The committee's statistics (svc.stats) are not in this build: showing the live state counts.",
            style="yellow",
        )
        return Group(
            note,
            chart("bar", states, [float(counts[s]) for s in states], "Comments by state now", min(width - 2, 100), 14),
        )
