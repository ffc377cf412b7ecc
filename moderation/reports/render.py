"""The committee's report in four formats: HTML (stands alone, charts inline), Markdown, CSV and JSON.

All four are drawn from one ``Metrics`` value, so they always agree. Only aggregate figures, rule and clause
identifiers, account names of the department's own accounts and routes appear: nothing here can print an
author or a comment, because a ``Metrics`` never holds one. Every string is escaped for its format anyway.

``sections`` says what the report shows (its sections, tables and headline); ``formats`` writes them as HTML,
Markdown or CSV; this module picks the format and draws charts early while the figures are computed.
"""

from __future__ import annotations

import json

from .formats import Progress, csv_rows, to_csv, to_html, to_markdown
from .metrics import Metrics
from .sections import Section, Table, _sections, duration, headline_items, notes, pct

FORMATS = ("html", "md", "csv", "json")

__all__ = [
    "CHARTS_OF_STEP",
    "FORMATS",
    "Progress",
    "Section",
    "Table",
    "build_sections",
    "csv_rows",
    "draw_for_step",
    "duration",
    "headline_items",
    "notes",
    "pct",
    "render",
    "to_csv",
    "to_html",
    "to_markdown",
]


def render(
    m: Metrics,
    fmt: str,
    clause_titles: dict[str, str] | None = None,
    progress: Progress | None = None,
    drawn: dict[str, str | None] | None = None,
) -> str:
    """``drawn``: charts already drawn by ``draw_for_step`` while the figures were computed (section -> SVG)."""
    titles = clause_titles or {}
    if fmt == "json":
        return (
            json.dumps(
                {**m.to_dict(), "notes": notes(m), "clause_titles": titles}, indent=2, ensure_ascii=False, default=str
            )
            + "\n"
        )
    if fmt == "csv":
        return to_csv(m)
    sections = build_sections(m, titles, drawn)
    if fmt == "md":
        return to_markdown(m, sections)
    if fmt == "html":
        return to_html(m, sections, progress)
    raise ValueError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")


# Which sections' charts can be drawn once a step of ``metrics.compute`` has finished.
CHARTS_OF_STEP = {
    "volume": ("volume", "hours"),
    "decisions": ("decisions", "clauses"),
    "response": ("response",),
    "trust": ("trust",),
    "shadow": ("shadow",),
    "escalations": ("escalations",),
    "outbox": ("outbox",),
}


def draw_for_step(m: Metrics, step: str, titles: dict[str, str], drawn: dict[str, str | None]) -> None:
    """Draw the charts that depend only on ``step``'s figures (called while the other steps still run)."""
    keys = CHARTS_OF_STEP.get(step, ())
    if not keys:
        return
    for section in build_sections(m, titles):
        if section.key in keys and section.chart is not None:
            drawn[section.key] = section.chart()


def build_sections(m: Metrics, titles: dict[str, str], drawn: dict[str, str | None] | None = None) -> list[Section]:
    from . import charts

    sections = _sections(m, titles, charts)
    for section in sections:
        if drawn is not None and section.key in drawn:
            svg = drawn[section.key]
            section.chart = lambda svg=svg: svg  # type: ignore[misc]
    return sections
