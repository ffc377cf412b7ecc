"""Typos get a clear error and exit 2, never a quiet wrong answer; read commands never create a database."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from moderation.cli import app
from moderation.cli.common import PLATFORMS, STATES

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    res = runner.invoke(app, ["demo", "--no-tui", "--db", str(path)])
    assert res.exit_code == 0, res.output
    return path


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (["queue", "--state", "escalation"], "escalated"),
        (["queue", "--platform", "myspace"], "instagram"),
        (["queue", "--clause", "99"], "16"),
        (["moderators", "add", "sam", "--role", "boss"], "committee"),
    ],
)
def test_an_unknown_value_exits_2_naming_the_allowed_ones(demo_db: Path, args: list[str], allowed: str) -> None:
    res = runner.invoke(app, [*args, "--db", str(demo_db)])
    assert res.exit_code == 2, res.output
    assert "use one of" in res.output and allowed in res.output


def test_state_all_means_every_state(demo_db: Path) -> None:
    every = runner.invoke(app, ["queue", "--state", "all", "--json", "--limit", "1000", "--db", str(demo_db)])
    plain = runner.invoke(app, ["queue", "--json", "--limit", "1000", "--db", str(demo_db)])
    assert every.exit_code == 0 and every.output == plain.output
    assert '"items": []' not in every.output


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12))
def test_any_state_outside_the_machine_is_refused(demo_db: Path, word: str) -> None:
    res = runner.invoke(app, ["queue", "--state", word, "--db", str(demo_db)])
    if word in STATES or word == "all":
        assert res.exit_code == 0, res.output
    else:
        assert res.exit_code == 2 and "use one of" in res.output


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_known_platform_is_accepted(demo_db: Path, platform: str) -> None:
    assert runner.invoke(app, ["queue", "--platform", platform, "--db", str(demo_db)]).exit_code == 0


@pytest.mark.parametrize(
    "command",
    [["queue"], ["show", "1"], ["ledger", "verify"], ["moderators", "list"], ["accounts", "list"], ["status"]],
)
def test_read_commands_never_create_a_database(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "typo" / "modq.db"
    res = runner.invoke(app, [*command, "--db", str(missing)])
    assert res.exit_code == 2, res.output
    assert "no database at" in res.output
    assert not missing.parent.exists()


def test_ingest_of_a_folder_is_one_clear_line(tmp_path: Path) -> None:
    res = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert res.exit_code == 2
    assert "is not a file" in " ".join(res.output.split()) and "Traceback" not in res.output


def test_poll_seconds_minimum_is_in_the_help() -> None:
    res = runner.invoke(app, ["accounts", "add", "--help"])
    assert "at least 10" in res.output


def test_ledger_export_with_a_reversed_range_is_one_clear_line(demo_db: Path) -> None:
    res = runner.invoke(
        app,
        ["ledger", "export", "--form", "public", "--from", "2026-11-30", "--to", "2026-11-01", "--db", str(demo_db)],
    )
    assert res.exit_code == 2
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert lines == ["error: --from 2026-11-30 is after --to 2026-11-01; give the earlier day first"], res.output
    same_day = runner.invoke(
        app,
        ["ledger", "export", "--form", "public", "--from", "2026-11-30", "--to", "2026-11-30", "--db", str(demo_db)],
    )
    assert same_day.exit_code == 0, same_day.output
