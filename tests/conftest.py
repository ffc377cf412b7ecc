"""Shared fixtures: a real database for each backend (SQLite always; PostgreSQL when `make test`
started one and set MODQ_TEST_PG_URL), and a service built by the same factory as the CLI."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


class FrozenClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.value = start or datetime(2026, 11, 21, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.value

    def advance(self, **kwargs: float) -> None:
        self.value += timedelta(**kwargs)


def _pg_admin_url() -> str | None:
    return os.environ.get("MODQ_TEST_PG_URL")


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str | None]:
    """Migrate one template database per test session; each test copies it (fast in PostgreSQL)."""
    url = _pg_admin_url()
    if not url:
        yield None
        return
    import psycopg

    from moderation.store.db import make_engine
    from moderation.store.migrate import upgrade

    name = f"tmpl_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(url.rsplit("/", 1)[0] + "/" + name)
    upgrade(engine)
    engine.dispose()
    yield name
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path, pg_template: str | None) -> Iterator[str]:
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'modq.db'}"
        return
    url = _pg_admin_url()
    if not url or not pg_template:
        pytest.skip("PostgreSQL runs under `make test`, which starts a server and sets MODQ_TEST_PG_URL")
    yield from _scratch_database(url, "t", f' TEMPLATE "{pg_template}"')


@pytest.fixture
def empty_url(database_url: str) -> Iterator[str]:
    """An empty database (the PostgreSQL test databases are copies of an already migrated template)."""
    if not database_url.startswith("postgresql"):
        yield database_url
        return
    yield from _scratch_database(os.environ["MODQ_TEST_PG_URL"], "m", "")


def _scratch_database(admin: str, prefix: str, create_options: str) -> Iterator[str]:
    """A new PostgreSQL database on ``admin``'s server for one test (its URL), dropped afterwards."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{create_options}')
    yield admin.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Every test that touches the database runs once per backend.
    if "database_url" in metafunc.fixturenames and "database_url" not in getattr(metafunc, "_params", {}):
        marker = metafunc.definition.get_closest_marker("backends")
        backends = list(marker.args) if marker else BACKENDS
        metafunc.parametrize("database_url", backends, indirect=True, ids=backends)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def make_svc(database_url: str, clock: FrozenClock) -> Callable[..., object]:
    from moderation.bootstrap import make_service
    from moderation.config import Settings

    def build(**settings: object):  # type: ignore[no-untyped-def]
        return make_service(Settings(**settings), database_url=database_url, clock=clock)  # type: ignore[arg-type]

    return build


@pytest.fixture
def svc(make_svc: Callable[..., object]):  # type: ignore[no-untyped-def]
    service = make_svc()
    service.ensure_first_admin("alice")  # type: ignore[attr-defined]
    return service
