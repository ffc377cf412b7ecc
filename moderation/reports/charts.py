"""Charts for the HTML report: matplotlib (Agg) drawn to inline SVG, one per question.

Why SVG text inline: the report must open with no network and no other files, and stay readable when printed.
Fonts are left as SVG text (``svg.fonttype = none``) so the file stays small and the browser's sans-serif
font is used. Each function returns ``None`` when there is nothing to draw: the report then says so in words
instead of showing an empty frame.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .metrics import Metrics  # noqa: E402
from .period import Hours  # noqa: E402

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
BLUE, ORANGE, GREEN, VERMILION, SKY, PURPLE, YELLOW, GREY = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#CC79A7",
    "#F0E442",
    "#999999",
)
PLATFORM_COLOURS = {"facebook": BLUE, "instagram": PURPLE, "x": GREY}
STYLE: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "modq-report",
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#e4e4e4",
    "axes.axisbelow": True,
    "figure.constrained_layout.use": True,
}


def _svg(fig: Figure, title: str) -> str:
    buf = io.StringIO()
    # Constrained layout places everything in the one draw savefig makes (bbox_inches="tight" would draw twice).
    fig.savefig(buf, format="svg", metadata={"Date": None, "Title": title})
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg") :]  # drop the XML prolog and doctype: this goes inside HTML
    # Make the chart scale with the page: keep the viewBox, drop the fixed size.
    text = re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r"<svg\1", text, count=1)
    return text.replace("<svg", f'<svg role="img" aria-label="{_attr(title)}" class="chart"', 1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _hbar_stacked(
    labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[int]]], title: str, xlabel: str = "comments"
) -> str:
    with plt.rc_context(STYLE):  # type: ignore[arg-type]
        fig, ax = plt.subplots(figsize=(7.5, max(1.9, 0.32 * len(labels) + 1.3)))
        left = [0] * len(labels)
        y = list(range(len(labels)))
        for name, colour, values in series:
            if not any(values):
                continue
            ax.barh(y, values, left=left, color=colour, label=name, height=0.65)
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
        ax.grid(axis="y", visible=False)
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.18 if len(labels) > 3 else -0.35),
            frameon=False,
            fontsize=8,
            ncol=5,
        )
        return _svg(fig, title)


def volume(m: Metrics) -> str | None:
    if not m.received:
        return None
    from matplotlib import dates as mdates

    days = [mdates.date2num(date.fromisoformat(d["day"])) for d in m.by_day]
    values = [d["comments"] for d in m.by_day]
    with plt.rc_context(STYLE):  # type: ignore[arg-type]
        fig, ax = plt.subplots(figsize=(7.5, 2.6))
        if len(days) <= 62:
            ax.bar(days, values, color=BLUE, width=0.8)
        else:  # a long period: an area, not hundreds of bars (and far quicker to draw)
            ax.fill_between(days, values, step="mid", color=BLUE, linewidth=0)
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=10))
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
        ax.set_ylabel("comments per day")
        ax.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
        ax.grid(axis="x", visible=False)
        return _svg(fig, "Comments received per day")


def platforms(m: Metrics) -> str | None:
    if not m.received:
        return None
    names = [p for p, n in m.by_platform.items() if n]
    series = [(p, PLATFORM_COLOURS.get(p, YELLOW), [m.by_platform[q] if q == p else 0 for q in names]) for p in names]
    return _hbar_stacked(names, series, "Comments received by platform", "comments")


def arrivals_by_hour(m: Metrics, hours: Hours) -> str | None:
    if not m.received:
        return None
    with plt.rc_context(STYLE):  # type: ignore[arg-type]
        fig, ax = plt.subplots(figsize=(7.5, 2.4))
        colours = []
        for h in range(24):
            s = h * 3600 + 1800
            inside = (
                hours.start_s <= s < hours.end_s
                if hours.start_s < hours.end_s
                else (s >= hours.start_s or s < hours.end_s)
            )
            colours.append(BLUE if inside else ORANGE)
        ax.bar(range(24), m.by_hour, color=colours, width=0.8)
        ax.set_xticks(range(0, 24, 2), [f"{h:02d}:00" for h in range(0, 24, 2)])
        ax.set_ylabel("comments")
        ax.set_xlabel(f"local hour posted ({m.timezone}); blue = moderation hours")
        ax.grid(axis="x", visible=False)
        return _svg(fig, "Comments by hour of day")


CLAUSE_SERIES = [
    ("hidden by automation", VERMILION, ("automation:auto_hide",)),
    ("hidden by people", ORANGE, ("people:hide", "people:resolve_hide")),
    ("escalated", PURPLE, ("automation:escalate", "people:escalate")),
    ("queued for people", SKY, ("automation:queue",)),
    ("approved", GREEN, ("automation:approve", "people:approve", "people:resolve_approve")),
]


def clause_table(m: Metrics) -> dict[str, dict[str, int]]:
    """Clause -> series name -> decisions (not undone), from the flat per-clause rows."""
    table: dict[str, dict[str, int]] = {}
    for row in m.by_clause:
        key = f"{row['actor']}:{row['action']}"
        for name, _colour, keys in CLAUSE_SERIES:
            if key in keys:
                table.setdefault(row["clause"], {}).setdefault(name, 0)
                table[row["clause"]][name] += row["decisions"]
    return table


def clauses(m: Metrics, titles: dict[str, str]) -> str | None:
    table = clause_table(m)
    if not table:
        return None
    labels = [f"{c} {titles.get(c, '')}".strip()[:40] for c in table]
    series = [(name, colour, [table[c].get(name, 0) for c in table]) for name, colour, _ in CLAUSE_SERIES]
    return _hbar_stacked(labels, series, "Decisions by policy clause", "decisions (not undone)")


def decisions(m: Metrics) -> str | None:
    if not m.decisions:
        return None
    actions = sorted({a for acts in m.by_actor_action.values() for a in acts})
    series = [
        (who, colour, [m.by_actor_action.get(who, {}).get(a, 0) for a in actions])
        for who, colour in (("automation", BLUE), ("people", ORANGE), ("system", GREY))
    ]
    return _hbar_stacked([a.replace("_", " ") for a in actions], series, "Decisions by action and actor", "decisions")


def _unit(seconds: float) -> tuple[float, str]:
    if seconds < 120:
        return 1, "seconds"
    if seconds < 2 * 3600:
        return 60, "minutes"
    if seconds < 3 * 86400:
        return 3600, "hours"
    return 86400, "days"


def response(m: Metrics) -> str | None:
    panels = [("to first decision (any)", m.first_decision), ("to first decision by a person", m.first_person)]
    if not any(p.get("all") and p["all"].count for _, p in panels):
        return None
    with plt.rc_context(STYLE):  # type: ignore[arg-type]
        fig, axes = plt.subplots(1, 2, figsize=(7.5, 2.6))
        for ax, (title, timings) in zip(axes, panels, strict=True):
            ax.set_title(title, fontsize=9)
            groups = [g for g in ("inside", "outside") if timings.get(g) and timings[g].count]
            if not groups:
                ax.text(0.5, 0.5, "no such decisions yet", ha="center", va="center", transform=ax.transAxes)
                ax.set_axis_off()
                continue
            top = max((timings[g].p90 or 0) for g in groups)
            div, unit = _unit(top)
            x = range(len(groups))
            med = [(timings[g].median or 0) / div for g in groups]
            p90 = [(timings[g].p90 or 0) / div for g in groups]
            ax.bar([i - 0.2 for i in x], med, width=0.4, color=BLUE, label="median")
            ax.bar([i + 0.2 for i in x], p90, width=0.4, color=ORANGE, label="90th percentile")
            ax.set_xlim(-0.8, 1.8)
            ax.set_xticks(list(x), [f"{g} hours\n(n={timings[g].count})" for g in groups])
            ax.set_ylabel(unit)
            ax.grid(axis="x", visible=False)
            ax.legend(frameon=False, fontsize=7)
        return _svg(fig, "Time from arrival to decision")


def trust(m: Metrics) -> str | None:
    if not m.trust:
        return None
    rows = m.trust[:20]
    series = [
        ("overturned by people", VERMILION, [r.overturned for r in rows]),
        ("confirmed by people", GREEN, [r.confirmed for r in rows]),
        ("not reviewed yet", GREY, [r.pending for r in rows]),
    ]
    return _hbar_stacked(
        [r.rule for r in rows], series, "Auto-hides by rule and what people made of them", "auto-hides"
    )


def shadow(m: Metrics) -> str | None:
    if not m.shadow:
        return None
    rows = m.shadow[:20]
    series = [
        ("people hid", VERMILION, [r.hid for r in rows]),
        ("people approved", GREEN, [r.approved for r in rows]),
        ("people escalated", PURPLE, [r.escalated for r in rows]),
        ("no person decided", GREY, [r.undecided for r in rows]),
    ]
    return _hbar_stacked(
        [f"{r.rule} (would {r.would.replace('_', ' ')})" for r in rows],
        series,
        "Shadow-mode findings and people's decisions",
        "comments",
    )


def escalations(m: Metrics) -> str | None:
    if not m.escalations:
        return None
    with plt.rc_context(STYLE):  # type: ignore[arg-type]
        fig, ax = plt.subplots(figsize=(7.5, 2.6))
        measures = [
            ("opened", BLUE, "opened"),
            ("resolved", GREEN, "resolved"),
            ("withdrawn", GREY, "withdrawn"),
            ("open at end", ORANGE, "open_at_end"),
            ("SLA breached", VERMILION, "breached"),
        ]
        width = 0.8 / len(measures)
        for i, (label, colour, attr) in enumerate(measures):
            values = [getattr(r, attr) for r in m.escalations]
            ax.bar(
                [j + (i - 2) * width for j in range(len(m.escalations))], values, width=width, color=colour, label=label
            )
        ax.set_xticks(range(len(m.escalations)), [r.route for r in m.escalations])
        ax.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
        ax.set_ylabel("escalations")
        ax.grid(axis="x", visible=False)
        ax.legend(frameon=False, fontsize=8, ncol=5, loc="upper center", bbox_to_anchor=(0.5, -0.12))
        return _svg(fig, "Escalations by route")


def outbox(m: Metrics) -> str | None:
    if not m.outbox_by_status:
        return None
    colours = {"confirmed": GREEN, "failed": VERMILION, "pending": SKY, "sent": BLUE, "superseded": GREY}
    labels = list(m.outbox_by_status)
    series = [(s, colours.get(s, YELLOW), [m.outbox_by_status[s] if s == lab else 0 for lab in labels]) for s in labels]
    return _hbar_stacked(labels, series, "Platform actions by status", "actions")
