"""Fixtures for the TUI tests: a small deterministic database on SQLite with a frozen clock."""

from __future__ import annotations

from typing import Any

import pytest
from tui_helpers import COMMENTS, ingest, record


@pytest.fixture
def qsvc(svc: Any) -> Any:
    """The service with the small corpus triaged; alice is admin, bob a moderator, lucy legal, cam committee."""
    ingest(svc, [record(cid, a, n, t, i) for i, (cid, a, n, t) in enumerate(COMMENTS)])
    svc.add_moderator("bob", "moderator", "alice")
    svc.add_moderator("lucy", "legal", "alice")
    svc.add_moderator("cam", "committee", "alice")
    return svc


