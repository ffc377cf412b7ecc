"""``modq demo --db PATH`` replaces a demo database, never a real one or any other file unless told to."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from moderation.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "alice")


def test_demo_refuses_a_real_database_and_leaves_it_whole(tmp_path: Path) -> None:
    real = tmp_path / "modq.db"
    assert runner.invoke(app, ["init", "--db", str(real)]).exit_code == 0
    assert runner.invoke(app, ["moderators", "add", "bob", "--role", "legal", "--db", str(real)]).exit_code == 0
    before = real.read_bytes()
    res = runner.invoke(app, ["demo", "--no-tui", "--db", str(real)])
    assert res.exit_code == 2
    assert "is not a demo database" in " ".join(res.output.split()) and "--force" in res.output
    assert real.read_bytes() == before
    listed = runner.invoke(app, ["moderators", "list", "--db", str(real)])
    assert "bob" in listed.output and "demo-legal" not in listed.output


def test_demo_refuses_any_other_file(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("my notes, not a database")
    res = runner.invoke(app, ["demo", "--no-tui", "--db", str(notes)])
    assert res.exit_code == 2 and notes.read_text() == "my notes, not a database"


def test_demo_replaces_its_own_database_and_force_replaces_anything(tmp_path: Path) -> None:
    demo = tmp_path / "demo.db"
    assert runner.invoke(app, ["demo", "--no-tui", "--db", str(demo)]).exit_code == 0
    assert runner.invoke(app, ["demo", "--no-tui", "--db", str(demo)]).exit_code == 0  # a demo again: fine
    real = tmp_path / "modq.db"
    assert runner.invoke(app, ["init", "--db", str(real)]).exit_code == 0
    res = runner.invoke(app, ["demo", "--no-tui", "--force", "--db", str(real)])
    assert res.exit_code == 0, res.output
    assert "demo-legal" in runner.invoke(app, ["moderators", "list", "--db", str(real)]).output
