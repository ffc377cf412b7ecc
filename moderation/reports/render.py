"""The committee's report in four formats: HTML (stands alone, charts inline), Markdown, CSV and JSON.

All four are drawn from one ``Metrics`` value, so they always agree. Only aggregate figures, rule and clause
identifiers, account names of the department's own accounts and routes appear: nothing here can print an
author or a comment, because a ``Metrics`` never holds one. Every string is escaped for its format anyway.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable, Iterable
from typing import Any

from . import complaints, verdict
from .metrics import NOTES, Metrics, Timing
from .period import Hours

Progress = Callable[[str, int, int], None]
FORMATS = ("html", "md", "csv", "json")


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


# ---------------------------------------------------------------- shared pieces
def notes(m: Metrics) -> dict[str, str]:
    return {k: v.format(tz=m.timezone, hours=m.moderation_hours) for k, v in NOTES.items()}


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 3 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


Table = tuple[list[str], list[list[Any]]]


class Section:
    def __init__(
        self,
        key: str,
        title: str,
        question: str,
        chart: Callable[[], str | None] | None,
        tables: list[tuple[str, Table]],
        empty: str,
    ) -> None:
        self.key, self.title, self.question, self.chart, self.tables, self.empty = (
            key,
            title,
            question,
            chart,
            tables,
            empty,
        )


def _timing_rows(label: str, t: dict[str, Timing]) -> list[list[Any]]:
    return [
        [label, g, t[g].count, duration(t[g].median), duration(t[g].p90)]
        for g in ("inside", "outside", "all")
        if g in t
    ]


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


def _sections(m: Metrics, titles: dict[str, str], charts: Any) -> list[Section]:
    hours = Hours.parse(m.moderation_hours)
    clause_tab = charts.clause_table(m)
    sampled = f" (every {m.sample_every}th comment)" if m.sample_every > 1 else ""
    series = [name for name, _c, _k in charts.CLAUSE_SERIES]
    return [
        Section(
            "trust",
            "Can the automation be trusted?",
            "How often did people overturn what automation hid, rule by rule?",
            lambda: charts.trust(m),
            [
                (
                    "Auto-hides by rule",
                    (
                        ["rule", "auto-hides", "confirmed", "overturned", "not reviewed", "overturn rate"],
                        [
                            [r.rule, r.auto_hides, r.confirmed, r.overturned, r.pending, pct(r.overturn_rate)]
                            for r in m.trust
                        ],
                    ),
                )
            ],
            "Automation hid nothing in this period.",
        ),
        Section(
            "volume",
            "Comments received",
            "How many comments arrived, where and when?",
            lambda: _join(charts.volume(m), charts.platforms(m)),
            [
                (
                    "By account",
                    (
                        ["account", "platform", "comments"],
                        [[a["account"], a["platform"], a["comments"]] for a in m.by_account],
                    ),
                ),
                ("By state now", (["state", "comments"], [[s, n] for s, n in m.by_state.items()])),
                (
                    "By day (days with comments)",
                    (["day", "comments"], [[d["day"], d["comments"]] for d in m.by_day if d["comments"]]),
                ),
            ],
            "No comments were posted in this period.",
        ),
        Section(
            "hours",
            "Arrivals by hour",
            "Do comments arrive while moderators are on duty?",
            lambda: charts.arrivals_by_hour(m, hours),
            [("By local hour posted", (["hour", *[f"{h:02d}" for h in range(24)]], [["comments", *m.by_hour]]))],
            "No comments were posted in this period.",
        ),
        Section(
            "decisions",
            "Decisions",
            "What did moderation do, and who did it: automation or people?",
            lambda: charts.decisions(m),
            [
                (
                    "By actor and action",
                    (
                        ["actor", "action", "decisions"],
                        [[w, a, n] for w, acts in m.by_actor_action.items() for a, n in acts.items()],
                    ),
                ),
                (
                    "Policy versions that acted",
                    (["policy version", "decisions"], [[v, n] for v, n in m.policy_versions.items()]),
                ),
            ],
            "No decisions were made in this period.",
        ),
        Section(
            "clauses",
            "Under which clauses",
            "Under which clauses of the published policy were comments hidden, escalated or queued?",
            lambda: charts.clauses(m, titles),
            [
                (
                    "By clause",
                    (
                        ["clause", "title", *series],
                        [[c, titles.get(c, ""), *[row.get(s, 0) for s in series]] for c, row in clause_tab.items()],
                    ),
                )
            ],
            "No decision in this period cited a clause.",
        ),
        Section(
            "response",
            "How fast",
            "How long did comments wait for a decision, inside and outside moderation hours?",
            lambda: charts.response(m),
            [
                (
                    "Waiting times",
                    (
                        ["measure", "arrived", "comments", "median", "90th percentile"],
                        _timing_rows("first decision (any)" + sampled, m.first_decision)
                        + _timing_rows("first decision by a person", m.first_person)
                        + _timing_rows("arrival delay (posted → stored)" + sampled, m.arrival_delay),
                    ),
                )
            ],
            "No comment posted in this period has a decision yet.",
        ),
        Section(
            "shadow",
            "Shadow mode",
            "What would rules on trial have done, and did people agree?",
            lambda: charts.shadow(m),
            [
                (
                    "Shadow findings by rule",
                    (
                        [
                            "rule",
                            "clause",
                            "would",
                            "comments",
                            "people hid",
                            "people approved",
                            "people escalated",
                            "no person decided",
                        ],
                        [
                            [r.rule, r.clause, r.would, r.comments, r.hid, r.approved, r.escalated, r.undecided]
                            for r in m.shadow
                        ],
                    ),
                )
            ],
            "No rule in shadow mode flagged anything in this period.",
        ),
        Section(
            "escalations",
            "Escalations",
            "What went to the Media Unit, privacy and legal, and were they answered in time?",
            lambda: charts.escalations(m),
            [
                (
                    "By route",
                    (
                        [
                            "route",
                            "opened",
                            "resolved",
                            "withdrawn",
                            "open at end",
                            "SLA breached",
                            "median time to resolve",
                        ],
                        [
                            [
                                r.route,
                                r.opened,
                                r.resolved,
                                r.withdrawn,
                                r.open_at_end,
                                r.breached,
                                duration(r.median_resolve_s),
                            ]
                            for r in m.escalations
                        ],
                    ),
                )
            ],
            "No escalations were open in this period.",
        ),
        Section(
            "outbox",
            "Platform actions",
            "Did hides and unhides reach the platforms?",
            lambda: charts.outbox(m),
            [
                ("By status", (["status", "actions"], [[s, n] for s, n in m.outbox_by_status.items()])),
                (
                    "Failures by platform",
                    (["platform", "failed"], [[p, n] for p, n in m.outbox_failed_by_platform.items()]),
                ),
                ("Retried", (["measure", "actions"], [["needed more than one attempt", m.outbox_retried]])),
            ],
            "No platform actions in this period.",
        ),
        Section(
            "orders",
            "Suppression orders",
            "Were court suppression orders applied to stored comments?",
            None,
            [
                ("Order events", (["event", "count"], [[k, n] for k, n in m.orders.items()])),
                ("Sweep totals", (["measure", "total"], [[k, n] for k, n in m.sweep_totals.items()])),
            ],
            "No suppression-order activity in this period.",
        ),
        Section(
            "changes",
            "Policy, rule and system changes",
            "What changed in the policy, the rules and the automation during the period?",
            None,
            [
                (
                    "Events",
                    (
                        ["when (UTC)", "event", "by", "details"],
                        [
                            [
                                c["at"][:16].replace("T", " "),
                                c["kind"],
                                c["actor"],
                                ", ".join(f"{k}={v}" for k, v in c["details"].items()),
                            ]
                            for c in m.changes
                        ],
                    ),
                ),
                (
                    "Rules whose content changed",
                    (
                        ["rule", "versions seen", "findings"],
                        [[r["rule"], r["versions"], r["findings"]] for r in m.rule_versions],
                    ),
                ),
                (
                    "Rule demotions in force",
                    (
                        ["rule", "mode", "since (UTC)", "made in period"],
                        [
                            [o["rule"], o["mode"], o["since"][:16].replace("T", " "), "yes" if o["in_period"] else "no"]
                            for o in m.overrides
                        ],
                    ),
                ),
                ("Alerts", (["alert", "count"], [[k, n] for k, n in m.alerts.items()])),
            ],
            "No changes in this period.",
        ),
        Section(
            "ledger",
            "Cross-check with the ledger",
            "Do the figures agree with the public record?",
            None,
            [
                (
                    "Checks",
                    (
                        ["figure", "tables", "ledger", "agree"],
                        [[c.name, c.tables, c.ledger, "yes" if c.ok else "NO"] for c in m.checks],
                    ),
                ),
                ("Ledger events in the period", (["event", "count"], [[k, n] for k, n in m.ledger_by_kind.items()])),
            ],
            "No ledger events in this period.",
        ),
        Section(
            "complaints",
            "Complaints and reviews",
            "When people complained, did someone else review it in time, and how often were we wrong?",
            None,
            complaints.section_tables(m),
            "No complaints in this period.",
        ),
    ]


def _join(*svgs: str | None) -> str | None:
    found = [s for s in svgs if s]
    return "\n".join(found) if found else None


def headline_items(m: Metrics) -> list[tuple[str, str]]:
    hides = m.hides()
    person = m.first_person.get("all")
    t = verdict.trust_counts(m)
    reviewed = f"{t['overturned']:,} of {t['reviewed']:,} reviewed" + (
        f" ({pct(t['overturn_rate'])}, 95% CI {pct(t['interval'][0])}–{pct(t['interval'][1])})" if t["reviewed"] else ""
    )
    return [
        ("automation: " + verdict.judgement(m), f"{t['auto_hides']:,} auto-hides"),
        ("auto-hides overturned", reviewed),
        ("auto-hides nobody reviewed", f"{t['not_reviewed']:,}"),
        ("violations automation missed (hidden by people)", f"{m.missed:,}"),
        ("comments received", f"{m.received:,}"),
        ("decisions by automation", f"{m.automation_decisions:,}"),
        ("decisions by people", f"{m.people_decisions:,}"),
        ("hidden by automation", f"{hides['automation']:,}"),
        ("hidden by people", f"{hides['people']:,}"),
        (
            "wait for a person: median / 90th percentile",
            f"{duration(person.median if person else None)} / {duration(person.p90 if person else None)}",
        ),
        ("oldest item waiting now", duration(m.oldest_waiting_s)),
        ("escalations opened", f"{sum(r.opened for r in m.escalations):,}"),
        ("SLA breaches", f"{sum(r.breached for r in m.escalations):,}"),
        ("platform actions failed", f"{m.outbox_by_status.get('failed', 0):,}"),
        ("waiting for people now", f"{m.waiting:,}"),
    ]


def _title(m: Metrics) -> str:
    return f"Moderation report, {m.first_day} to {m.last_day}"


# ---------------------------------------------------------------- HTML
CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1b1b1b;
margin:0 auto;max-width:980px;padding:24px;line-height:1.45;background:#fff}
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.25em;margin:32px 0 4px;border-top:2px solid #0072B2;
padding-top:12px}h3{font-size:1em;margin:16px 0 4px}.sub{color:#555;margin:0 0 16px}
.question{font-style:italic;color:#333;margin:0 0 8px}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:8px;margin:16px 0}
.tile{border:1px solid #d0d7de;border-radius:6px;padding:8px 10px}.tile b{display:block;font-size:1.35em}
.tile span{color:#555;font-size:.85em}
table{border-collapse:collapse;margin:4px 0 8px;font-size:.9em}th,td{border-bottom:1px solid #e1e4e8;
padding:3px 10px 3px 0;text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}
.note{font-size:.85em;color:#444;background:#f6f8fa;border-left:3px solid #999;padding:6px 10px;margin:8px 0}
.empty{color:#666}
figure{margin:8px 0;padding:6px;border:1px solid #d0d1d2;border-radius:0}
.chart{width:100%;height:auto;max-width:900px;display:block;margin:8px 0}
.verdict{font-size:1.1em;margin:4px 0 8px}
.bad{color:#b00020;font-weight:bold}footer{margin-top:32px;font-size:.85em;color:#555}
@media print{h2{break-before:auto}.chart{max-width:100%}}
"""


def _cell(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<td class="n">{value:,}</td>'
    text = html.escape(str(value))
    return f'<td class="bad">{text}</td>' if text == "NO" else f"<td>{text}</td>"


def _html_table(caption: str, table: Table) -> str:
    head, rows = table
    if not rows:
        return ""
    out = [f"<h3>{html.escape(caption)}</h3><table><thead><tr>"]
    out += [f"<th>{html.escape(h)}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(_cell(v) for v in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def to_html(m: Metrics, sections: list[Section], progress: Progress | None = None) -> str:
    n = notes(m)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-AU"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # No network, ever: nothing may load from anywhere.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        'img-src data:">',
        f"<title>{html.escape(_title(m))}</title><style>{CSS}</style></head><body>",
        f"<h1>{html.escape(_title(m))}</h1>",
        f'<p class="sub">Local days in {html.escape(m.timezone)} (UTC {html.escape(m.start[:16])} to '
        f"{html.escape(m.end[:16])}). Moderation hours {html.escape(m.moderation_hours)}. "
        f"Made {html.escape(m.generated_at[:16].replace('T', ' '))} UTC.</p>",
        f'<section id="verdict"><h2>Verdict</h2><p class="verdict">{html.escape(verdict.paragraph(m, duration))}</p>'
        f'<p class="note"><b>How this is computed.</b> {html.escape(n["verdict"])}</p></section>',
        '<section class="tiles" id="headline">',
    ]
    for label, value in headline_items(m):
        parts.append(f'<div class="tile"><b>{html.escape(value)}</b><span>{html.escape(label)}</span></div>')
    parts.append("</section>")
    for i, s in enumerate(sections):
        if progress:
            progress(f"chart: {s.key}", i, len(sections))
        parts.append(f'<section id="{s.key}"><h2>{html.escape(s.title)}</h2>')
        parts.append(f'<p class="question">{html.escape(s.question)}</p>')
        svg = s.chart() if s.chart else None
        if svg:
            parts.append(f'<figure data-chart="{s.key}">{svg}</figure>')
        body = "".join(_html_table(c, t) for c, t in s.tables)
        parts.append(body or f'<p class="empty">{html.escape(s.empty)}</p>')
        note = n.get(s.key) or (n["volume"] if s.key == "hours" else n["decisions"] if s.key == "clauses" else "")
        if note:
            parts.append(f'<p class="note"><b>How this is computed.</b> {html.escape(note)}</p>')
        parts.append("</section>")
    parts.append(
        "<footer>This report holds aggregate figures only: no author names, handles or comment text. "
        "Produced by modq from the moderation database and its hash-chained ledger; "
        "see docs/report.md for how each figure is computed.</footer></body></html>"
    )
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------- Markdown
def _md_cell(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _md_table(caption: str, table: Table) -> list[str]:
    head, rows = table
    if not rows:
        return []
    out = [f"**{caption}**", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
    return out + [""]


def to_markdown(m: Metrics, sections: list[Section]) -> str:
    n = notes(m)
    lines = [
        f"# {_title(m)}",
        "",
        f"Local days in {m.timezone}; moderation hours {m.moderation_hours}; made {m.generated_at[:16]} UTC.",
        "",
        "## Verdict",
        "",
        verdict.paragraph(m, duration),
        "",
        "## At a glance",
        "",
    ]
    lines += [f"- **{value}** {label}" for label, value in headline_items(m)]
    for s in sections:
        lines += ["", f"## {s.title}", "", f"_{s.question}_", ""]
        body: list[str] = []
        for caption, table in s.tables:
            body += _md_table(caption, table)
        lines += body or [s.empty, ""]
        note = n.get(s.key)
        if note:
            lines += [f"> How this is computed: {note}", ""]
    lines += ["", "_Aggregate figures only: no author names, handles or comment text._", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- CSV
def csv_rows(m: Metrics) -> Iterable[tuple[str, str, str, str, Any]]:
    """Tidy rows: (section, item, breakdown, measure, value): one pivot table in a spreadsheet covers them."""
    yield from (
        ("period", k, "", "", getattr(m, k))
        for k in ("first_day", "last_day", "timezone", "moderation_hours", "start", "end", "generated_at")
    )
    for k, v in m.headline().items():
        yield ("headline", k, "", "", v)
    for acc in m.by_account:
        yield ("volume", "account", acc["account"], acc["platform"], acc["comments"])
    for p, v in m.by_platform.items():
        yield ("volume", "platform", p, "comments", v)
    for day in m.by_day:
        yield ("volume", "day", day["day"], "comments", day["comments"])
    for h, v in enumerate(m.by_hour):
        yield ("volume", "hour", f"{h:02d}", "comments", v)
    for state, v in m.by_state.items():
        yield ("volume", "state", state, "comments", v)
    yield ("decisions", "total", "", "decisions", m.decisions)
    yield ("decisions", "undone", "", "decisions", m.decisions_undone)
    for w, acts in m.by_actor_action.items():
        for a, v in acts.items():
            yield ("decisions", "actor_action", w, a, v)
    for row in m.by_clause:
        yield ("decisions", f"clause {row['clause']}", row["actor"], row["action"], row["decisions"])
    for v, n in m.policy_versions.items():
        yield ("decisions", "policy_version", v, "decisions", n)
    yield ("response", "sample_every", "", "", m.sample_every)
    for name, t in (
        ("first_decision", m.first_decision),
        ("first_person", m.first_person),
        ("arrival_delay", m.arrival_delay),
    ):
        for g, tm in t.items():
            yield ("response", name, g, "count", tm.count)
            yield ("response", name, g, "median_s", tm.median)
            yield ("response", name, g, "p90_s", tm.p90)
    for r in m.trust:
        for k in ("auto_hides", "confirmed", "overturned", "pending"):
            yield ("trust", r.rule, "", k, getattr(r, k))
        yield ("trust", r.rule, "", "overturn_rate", r.overturn_rate)
    for sh in m.shadow:
        for k in ("comments", "hid", "approved", "escalated", "undecided"):
            yield ("shadow", sh.rule, f"clause {sh.clause}; would {sh.would}", k, getattr(sh, k))
    for e in m.escalations:
        for k in ("opened", "resolved", "withdrawn", "open_at_end", "breached", "median_resolve_s"):
            yield ("escalations", e.route, "", k, getattr(e, k))
    for status, v in m.outbox_by_status.items():
        yield ("outbox", "status", status, "actions", v)
    for p, v in m.outbox_failed_by_platform.items():
        yield ("outbox", "failed", p, "actions", v)
    yield ("outbox", "retried", "", "actions", m.outbox_retried)
    for k, v in m.orders.items():
        yield ("orders", k, "", "events", v)
    for k, v in m.sweep_totals.items():
        yield ("orders", "sweep_total", k, "", v)
    for k, v in m.ledger_by_kind.items():
        yield ("ledger", k, "", "events", v)
    for check in m.checks:
        yield ("ledger", "check", check.name, "tables", check.tables)
        yield ("ledger", "check", check.name, "ledger", check.ledger)
    for change in m.changes:
        yield ("changes", change["kind"], change["at"], change["actor"], json.dumps(change["details"], sort_keys=True))
    for version in m.rule_versions:
        yield ("changes", "rule_versions", version["rule"], "versions", version["versions"])
    for k, v in m.alerts.items():
        yield ("changes", "alert", k, "count", v)
    yield from complaints.csv_rows(m)


def _csv_cell(value: Any) -> Any:
    """Keep spreadsheets from running a cell as a formula (an account named "@DCWVic" or "=1+1")."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(m: Metrics) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["section", "item", "breakdown", "measure", "value"])
    for row in csv_rows(m):
        writer.writerow([_csv_cell(v) for v in row])
    return buf.getvalue()
