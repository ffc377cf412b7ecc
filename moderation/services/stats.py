"""Statistics for the Communication Committee: the figures, the rendered report and the worker's monthly job.

Who calls it: ``modq report`` / ``modq stats`` (``moderation/cli/report.py``), the TUI's statistics screen
(``stats``), and the worker's monthly job (``write_monthly_report``). The figures themselves are computed in
``moderation.reports.metrics``; this collaborator only picks the period, opens a read transaction and hands over.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from moderation.domain import ConfigError
from moderation.reports.metrics import Metrics, compute
from moderation.reports.period import Hours, Period

from .base import Component

Progress = Callable[[str, int, int], None]
FORMATS = ("html", "md", "csv", "json")


def _preload_charts() -> None:
    import moderation.reports.charts  # noqa: F401


class Stats(Component):
    """Statistics and the committee's monthly report."""

    def report_period(self, first_day: date, last_day: date) -> Period:
        """Local days (in ``Settings.timezone``) ``first_day``..``last_day`` inclusive."""
        try:
            return Period.days(first_day, last_day, self.core.settings.timezone)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None

    def moderation_hours(self) -> Hours:
        try:
            return Hours.parse(self.core.settings.moderation_hours)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None

    def stats(
        self,
        start: date | Period,
        end: date | None = None,
        progress: Progress | None = None,
        on_step: Callable[[str, Metrics], None] | None = None,
    ) -> Metrics:
        """Every committee figure for local days ``start``..``end`` (inclusive), or for a ``Period``.

        Returns a ``Metrics`` (plain values; ``to_dict()`` for JSON). Runs the groups of figures side by side
        in read-only sessions, so a long report neither blocks nor waits for the worker's writes.
        """
        period = start if isinstance(start, Period) else self.report_period(start, end or start)
        workers = min(4, max(2, os.cpu_count() or 1))
        return compute(
            self._read_sessions(), period, self.moderation_hours(), self.core.now(), progress=progress, workers=workers
        )

    def _read_sessions(self) -> Callable[[], AbstractContextManager[Session]]:
        engine = self._read_engine()

        @contextmanager
        def factory() -> Iterator[Session]:
            with Session(engine) as session:
                try:
                    yield session
                finally:
                    session.rollback()  # read only: nothing to keep

        return factory

    def _read_engine(self) -> Engine:
        """SQLite: a second engine whose transactions are plain (deferred) reads, not ``BEGIN IMMEDIATE``.

        The service's engine begins every transaction with the write lock; a report holding it for seconds
        would stall the worker. WAL readers see a consistent snapshot without any lock. Memory stays flat
        whatever the period: the report's queries aggregate in the database, and the few that read one value
        per comment stream it in chunks (``moderation.reports.values.CHUNK``).
        """
        url = self.core.engine.url
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return self.core.engine
        cached: Engine | None = getattr(self, "_stats_engine", None)
        if cached is not None:
            return cached
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            # No memory map and a 1 MiB page cache per connection: a mapped database file counts in the process's
            # resident memory as it is read (a year's report read 1 GB of it), and the operating system's file
            # cache serves the re-reads about as fast.
            for pragma in ("query_only=1", "busy_timeout=30000", "mmap_size=0", "cache_size=-1024"):
                cur.execute(f"PRAGMA {pragma}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # type: ignore[no-untyped-def]
            conn.exec_driver_sql("BEGIN")

        self._stats_engine = engine
        return engine

    def clause_titles(self) -> dict[str, str]:
        """Clause titles, for labels; empty if the policy's clauses cannot be read.

        Read from the policy already loaded (a worker's), else from the policy's clause file alone: compiling the
        rules (lexicons, word lists, the learned model) would cost a report process well over 100 MB for titles.
        """
        try:
            if self.core._policy is not None:
                return {cid: c.title for cid, c in self.core._policy.clauses.items()}
            from moderation.rules import load_clauses, policy_dir

            return {cid: c.title for cid, c in load_clauses(self.core.settings.policy_dir or policy_dir()).items()}
        except Exception:  # noqa: BLE001 - a report must not fail because the policy files are being edited
            return {}

    def report(
        self,
        start: date,
        end: date,
        fmt: str = "html",
        out: Path | None = None,
        progress: Progress | None = None,
    ) -> str:
        """Render the report for local days ``start``..``end``; write it to ``out`` if given. Returns the text."""
        from moderation.reports.render import render

        if fmt not in FORMATS:
            raise ConfigError(f"unknown report format '{fmt}': use {', '.join(FORMATS)}")
        titles = self.clause_titles()
        drawn: dict[str, str | None] = {}
        on_step = None
        if fmt == "html":
            from moderation.reports.render import draw_for_step

            # Import matplotlib (about a second) while the database works on the figures, then draw each
            # step's charts as soon as its figures are in, while the other steps still run.
            threading.Thread(target=_preload_charts, name="modq-charts-import", daemon=True).start()

            def on_step(step: str, m: Metrics) -> None:
                draw_for_step(m, step, titles, drawn)

        metrics = self.stats(start, end, progress=progress, on_step=on_step)
        if progress:
            progress("rendering", 0, 1)
        text = render(metrics, fmt, clause_titles=titles, drawn=drawn)
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        if progress:
            progress("rendering", 1, 1)
        return text

    def write_monthly_report(
        self, folder: Path | None = None, today: date | None = None, *, overwrite: bool = False
    ) -> list[Path]:
        """Write last month's report (HTML and JSON) to ``folder`` (default ``Settings.report_dir``).

        Safe to call every day: an existing report is left alone unless ``overwrite``. Returns the files written.
        """
        folder = folder or self.core.settings.report_dir
        if folder is None:
            raise ConfigError("no report folder: set MODQ_REPORT_DIR or pass a folder")
        if today is None:
            today = self.core.now().astimezone(ZoneInfo(self.core.settings.timezone)).date()
        period = Period.month_before(today, self.core.settings.timezone)
        stem = f"modq-report-{period.first_day:%Y-%m}"
        targets = [folder / f"{stem}.html", folder / f"{stem}.json"]
        if not overwrite and all(t.exists() for t in targets):
            return []
        from moderation.reports.render import render

        metrics = self.stats(period)
        folder.mkdir(parents=True, exist_ok=True)
        titles = self.clause_titles()
        written = []
        for target, fmt in zip(targets, ("html", "json"), strict=True):
            tmp = target.with_suffix(target.suffix + ".tmp")
            tmp.write_text(render(metrics, fmt, clause_titles=titles), encoding="utf-8")
            tmp.replace(target)
            written.append(target)
        return written

    @staticmethod
    def parse_day(value: str) -> date:
        try:
            return datetime.strptime(value, "%Y-%m-%d").date()
        except ValueError:
            raise ConfigError(f"'{value}' is not a date (YYYY-MM-DD)") from None
