"""Fixtures for the rules pipeline tests: the real policy, loaded once, and a writable copy. No database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from moderation.rules import Policy, load_policy

from .support import POLICIES, REPO


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy(POLICIES)


@pytest.fixture()
def policy_copy(tmp_path: Path) -> Path:
    """A writable copy of the policy directory, with the published policy beside it."""
    dest = tmp_path / "policies"
    shutil.copytree(POLICIES, dest)
    shutil.copy(REPO / "moderation_policy.md", tmp_path / "moderation_policy.md")
    return dest
