"""The report written as HTML (one file, charts inline, printable), Markdown (for email) and CSV (one row per
figure, for spreadsheets). Every string is escaped for its format."""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable, Iterable
from typing import Any

from . import complaints, verdict
from .metrics import Metrics
from .sections import Section, Table, _title, duration, headline_items, notes

Progress = Callable[[str, int, int], None]


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
