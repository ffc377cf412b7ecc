"""The rendered report: its four formats agree with the figures, hold no personal information, stand alone;
``modq report`` and the worker's monthly job write it."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from .conftest import AUTHOR_HANDLES, AUTHOR_NAMES, CASE_NAME, MODERATOR, TEXTS, Dataset

NOV = (date(2026, 11, 1), date(2026, 11, 30))
FORMATS = ("html", "md", "csv", "json")


def _add_sensitive_ledger_events(ds: Dataset) -> None:
    """System events whose payloads hold things a report must not repeat (a protected name, a person's reason)."""
    from moderation.store.tables import Alert, RuleOverride

    svc = ds.svc
    with svc.tx() as s:
        svc.parts.core.record(
            s, "order_added", MODERATOR, {"order": 1, "case": CASE_NAME, "court": "County Court", "terms": 2}
        )
        svc.parts.core.record(
            s, "orders_swept", "auto:sweep", {"orders": [1], "scanned": 13, "matched": 2, "escalated": 1}
        )
        svc.parts.core.record(
            s, "orders_swept", "auto:sweep", {"orders": [1], "scanned": 13, "matched": 1, "escalated": 0}
        )
        svc.parts.core.record(
            s,
            "rule_demoted",
            "auto:calibration",
            {"rule_id": "offensive.severe", "mode": "queue_only", "reason": f"overturned by {MODERATOR}"},
        )
        svc.parts.core.record(s, "automation_paused", MODERATOR, {"reason": f"{AUTHOR_NAMES[3]} complained"})
        s.add(RuleOverride(rule_id="offensive.severe", mode="queue_only", reason=AUTHOR_NAMES[4], created_at=svc.now()))
        s.add(Alert(kind="breaker_tripped", message=TEXTS[5], rule_id="offensive.severe", created_at=svc.now()))


@pytest.fixture
def reports(dataset: Dataset) -> dict[str, str]:
    # Events and alerts stamped inside November.
    from .conftest import local

    dataset.clock.value = local(11, 20, 12)
    _add_sensitive_ledger_events(dataset)
    dataset.clock.value = dataset.now
    return {fmt: dataset.svc.report(*NOV, fmt) for fmt in FORMATS}


@pytest.mark.backends("sqlite")
def test_no_author_handle_text_staff_name_or_protected_name_in_any_format(reports: dict[str, str]) -> None:
    secrets = [
        *AUTHOR_NAMES,
        *AUTHOR_HANDLES,
        *TEXTS,
        MODERATOR,
        CASE_NAME,
        "Quimbleworth",
        "zq_secret",
        "Marmalade",
        "pennywhistle",
        "Xanthe",
        "author-1",
    ]
    for fmt, text in reports.items():
        low = text.lower()
        found = [s for s in secrets if s.lower() in low]
        assert not found, f"{fmt} report contains {found}"


@pytest.mark.backends("sqlite")
def test_formats_agree_with_the_figures_and_html_stands_alone(reports: dict[str, str]) -> None:
    data = json.loads(reports["json"])
    assert data["received"] == 11
    assert data["headline"]["hidden_by_automation"] == 5
    assert data["sweep_totals"] == {"escalated": 1, "matched": 3, "scanned": 26}
    assert data["orders"] == {"order_added": 1, "orders_swept": 2}
    assert data["alerts"] == {"breaker_tripped": 1}
    kinds = {c["kind"]: c for c in data["changes"]}
    assert kinds["rule_demoted"]["details"] == {"rule_id": "offensive.severe", "mode": "queue_only"}
    assert kinds["order_added"]["details"] == {"order": 1, "terms": 2} or kinds["order_added"]["details"] == {
        "terms": 2
    }
    assert kinds["automation_paused"] == {**kinds["automation_paused"], "actor": "people", "details": {}}
    assert "response" in data["notes"] and "Overturned" in data["notes"]["trust"]

    rows = list(csv.reader(io.StringIO(reports["csv"])))
    assert rows[0] == ["section", "item", "breakdown", "measure", "value"]
    cells = {(r[0], r[1], r[2], r[3]): r[4] for r in rows[1:]}
    assert cells[("headline", "comments_received", "", "")] == "11"
    assert cells[("trust", "offensive.severe", "", "overturned")] == "1"
    assert cells[("volume", "platform", "facebook", "comments")] == "5"
    # A value starting with '@' is kept from being read as a formula.
    assert ("volume", "account", "'@DCWVic", "x") in cells

    md = reports["md"]
    assert md.startswith("# Moderation report, 2026-11-01 to 2026-11-30")
    assert "| offensive.severe | 3 | 1 | 1 | 1 | 50% |" in md
    assert "How this is computed" in md

    # The HTML stands alone, with a chart per question.
    page = reports["html"]
    assert page.startswith("<!DOCTYPE html>")
    charts = re.findall(r'<figure data-chart="([a-z]+)"><svg', page)
    assert charts == ["trust", "volume", "hours", "decisions", "clauses", "response", "shadow", "escalations", "outbox"]
    # Nothing is fetched: no script, no external stylesheet, image, font or link target.
    assert "<script" not in page.lower()
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)
    assert "@import" not in page and "url(http" not in page
    assert "default-src 'none'" in page
    assert page.count("How this is computed") >= 10
    # The headline numbers are on the page.
    assert re.search(r"<b>11</b><span>comments received</span>", page)
    assert re.search(r"<b>2 of 3 reviewed \(67%, 95% CI \d+%–\d+%\)</b><span>auto-hides overturned</span>", page)


@pytest.mark.backends("sqlite")
def test_empty_period_renders_words_not_empty_charts(dataset: Dataset) -> None:
    page = dataset.svc.report(date(2025, 1, 1), date(2025, 1, 31), "html")
    assert "<figure" not in page
    assert "No comments were posted in this period." in page


@pytest.mark.backends("sqlite")
def test_report_progress_and_out_file(dataset: Dataset, tmp_path: Path) -> None:
    seen: list[str] = []
    out = tmp_path / "deep" / "r.md"
    text = dataset.svc.report(*NOV, "md", out, progress=lambda step, done, total: seen.append(step))
    assert out.read_text(encoding="utf-8") == text
    assert seen[0] == "starting" and {"volume", "response", "rendering"} <= set(seen)


def test_monthly_job_writes_last_month_once(dataset: Dataset, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    written = dataset.svc.write_monthly_report(folder, today=date(2026, 12, 15))
    assert [p.name for p in written] == ["modq-report-2026-11.html", "modq-report-2026-11.json"]
    assert json.loads((folder / "modq-report-2026-11.json").read_text())["received"] == 11
    assert "<svg" in (folder / "modq-report-2026-11.html").read_text()
    assert dataset.svc.write_monthly_report(folder, today=date(2026, 12, 16)) == []  # already there
    assert len(dataset.svc.write_monthly_report(folder, today=date(2026, 12, 16), overwrite=True)) == 2


def test_monthly_job_needs_a_folder(dataset: Dataset) -> None:
    from moderation.domain import ConfigError

    with pytest.raises(ConfigError, match="MODQ_REPORT_DIR"):
        dataset.svc.write_monthly_report(None, today=date(2026, 12, 15))


@pytest.mark.backends("sqlite")
def test_cli_report(dataset: Dataset, database_url: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from moderation.cli import app

    db = database_url.removeprefix("sqlite:///")
    runner = CliRunner()
    result = runner.invoke(
        app, ["report", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "json", "--db", db]
    )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    assert data["received"] == 11 and data["first_day"] == "2026-11-01"
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", "--from", "2026-11-01", "--to", "2026-11-30", "--out", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<!DOCTYPE html>")
    bad = runner.invoke(app, ["report", "--from", "2026-11-31", "--to", "2026-12-01", "--db", db])
    assert bad.exit_code == 2 and "not a date" in bad.output
    bad = runner.invoke(app, ["report", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "pdf", "--db", db])
    assert bad.exit_code == 2 and "'pdf' is not a format" in bad.output and "json" in bad.output
