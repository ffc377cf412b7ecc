"""``modq report``: the Communication Committee's figures from the command line (``--format json`` for every
figure, as ``svc.stats`` computes them).

It builds the service, makes one call and prints; progress goes to standard error, and only when it is a
terminal, so redirected output stays clean.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape

from moderation.cli.common import REPORT_FORMATS, DbOpt, err, handled, one_of, service
from moderation.reports.period import Period
from moderation.services.stats import Progress

FromOpt = typer.Option(None, "--from", help="First local day (YYYY-MM-DD), inclusive. Default: start of last month.")
ToOpt = typer.Option(None, "--to", help="Last local day (YYYY-MM-DD), inclusive. Default: end of last month.")


def _days(svc: object, from_: str | None, to: str | None) -> tuple[date, date]:
    if from_ and to:
        return svc.parse_day(from_), svc.parse_day(to)  # type: ignore[attr-defined]
    settings = svc.settings  # type: ignore[attr-defined]
    today = svc.now().astimezone(ZoneInfo(settings.timezone)).date()  # type: ignore[attr-defined]
    last = Period.month_before(today, settings.timezone)
    first_day = svc.parse_day(from_) if from_ else last.first_day  # type: ignore[attr-defined]
    last_day = svc.parse_day(to) if to else (last.last_day if not from_ else today)  # type: ignore[attr-defined]
    return first_day, last_day


@contextmanager
def _progress(enabled: bool) -> Iterator[Progress | None]:
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    with Bar(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("figures", total=1)

        def tick(step: str, done: int, total: int) -> None:
            bar.update(task, description=f"report: {step}", completed=done, total=max(total, 1))

        yield tick


@handled
def report(
    from_: str | None = FromOpt,
    to: str | None = ToOpt,
    format: str = typer.Option(
        "html", "--format", callback=one_of(REPORT_FORMATS, "format", "--format"), help="html, md, csv or json."
    ),
    output: Path | None = typer.Option(None, "--out", help="Write here instead of standard output."),
    db: Path | None = DbOpt,
) -> None:
    """The committee's report: volumes, decisions, clauses, speed, automation's record, escalations.

    HTML stands alone (charts inline, no network); Markdown suits email; CSV and JSON suit spreadsheets.
    It holds no author names, handles or comment text.
    """
    svc = service(db)
    first_day, last_day = _days(svc, from_, to)
    with _progress(err.is_terminal) as tick:
        text = svc.report(first_day, last_day, format, output, progress=tick)
    if output is None:
        sys.stdout.write(text)
    else:
        err.print(f"report for {first_day} to {last_day} written to {escape(str(output))}")
