"""Fixtures for the TUI tests: a small deterministic SQLite database with a frozen clock.

The database is built once per session (migrations, the corpus, triage) and copied for each test, and the
loaded policy is shared, so a test pays for its app, not for setting up the engine.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tui_helpers import COMMENTS, ingest, load_hostile_module, record


def _service(path: Path, clock: Any, policy: Any = None) -> Any:
    from moderation.bootstrap import make_service
    from moderation.config import Settings

    svc = make_service(Settings(), database_url=f"sqlite:///{path}", clock=clock, migrate=policy is None)
    if policy is not None:
        svc._policy = policy  # the same policy files: load and compile them once per session
    return svc


def _template(factory: Any, name: str, fill: Callable[[Any], None]) -> tuple[Path, Any]:
    path = factory.mktemp("tui") / f"{name}.db"
    svc = _service(path, lambda: datetime(2026, 11, 21, 9, 0, tzinfo=UTC))  # the clock fixture's start
    svc.ensure_first_admin("alice")
    fill(svc)
    svc.engine.dispose()
    return path, svc.policy


def _small(svc: Any) -> None:
    ingest(svc, [record(cid, a, n, t, i) for i, (cid, a, n, t) in enumerate(COMMENTS)])
    svc.add_moderator("bob", "moderator", "alice")
    svc.add_moderator("lucy", "legal", "alice")
    svc.add_moderator("cam", "committee", "alice")


@pytest.fixture(scope="session")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    return _template(tmp_path_factory, "small", _small)


@pytest.fixture(scope="session")
def hostile_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    return _template(tmp_path_factory, "hostile", lambda svc: ingest(svc, load_hostile_module().load_hostile()))


def _copy(template: tuple[Path, Any], tmp_path: Path, clock: Any) -> Any:
    path = tmp_path / "modq.db"
    shutil.copyfile(template[0], path)
    return _service(path, clock, template[1])


@pytest.fixture
def qsvc(small_template: tuple[Path, Any], tmp_path: Path, clock: Any) -> Any:
    """The small corpus, triaged; alice is admin, bob a moderator, lucy legal, cam committee."""
    return _copy(small_template, tmp_path, clock)


@pytest.fixture
def hsvc(hostile_template: tuple[Path, Any], tmp_path: Path, clock: Any) -> Any:
    """The hostile corpus (with its 1 MB body), triaged; alice is admin."""
    return _copy(hostile_template, tmp_path, clock)
