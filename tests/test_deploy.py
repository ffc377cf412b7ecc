"""Going live: the online backup and the systemd unit the README points to."""

from __future__ import annotations

import configparser
import shlex
import sqlite3
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from moderation.alerting import MailSettings
from moderation.cli import app
from moderation.config import Settings

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("deploy") / "demo.db"
    assert runner.invoke(app, ["demo", "--no-tui", "--db", str(path)]).exit_code == 0
    return path


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as con:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_backup_is_a_working_database_taken_while_someone_writes(demo_db: Path, tmp_path: Path) -> None:
    stop = threading.Event()

    def writer() -> None:
        con = sqlite3.connect(demo_db, timeout=30)
        con.execute("CREATE TABLE IF NOT EXISTS scratch (n INTEGER)")
        n = 0
        while not stop.is_set():
            con.execute("INSERT INTO scratch VALUES (?)", (n,))
            con.commit()
            n += 1
        con.close()

    t = threading.Thread(target=writer)
    t.start()
    try:
        dest = tmp_path / "copy.db"
        res = runner.invoke(app, ["db", "backup", str(dest), "--db", str(demo_db)])
    finally:
        stop.set()
        t.join()
    assert res.exit_code == 0, res.output
    assert dest.stat().st_mode & 0o077 == 0
    assert _count(dest, "comment") == _count(demo_db, "comment") > 0
    verified = runner.invoke(app, ["ledger", "verify", "--db", str(dest)])
    assert verified.exit_code == 0 and "ledger ok" in verified.output


def test_backup_never_overwrites(demo_db: Path, tmp_path: Path) -> None:
    dest = tmp_path / "taken.db"
    dest.write_text("keep me")
    res = runner.invoke(app, ["db", "backup", str(dest), "--db", str(demo_db)])
    assert res.exit_code == 2 and dest.read_text() == "keep me"


def test_backup_of_postgresql_points_to_pg_dump(monkeypatch: pytest.MonkeyPatch) -> None:
    from moderation.domain import ConfigError
    from moderation.store.backup import backup_sqlite
    from moderation.store.db import make_engine

    engine = make_engine("postgresql://modq@127.0.0.1:1/none")
    with pytest.raises(ConfigError, match="pg_dump"):
        backup_sqlite(engine, Path("/nonexistent/x.db"))


def test_the_systemd_unit_runs_real_commands_with_real_settings() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(REPO / "deploy" / "modq-worker.service")
    service = unit["Service"]
    for key in ("ExecStartPre", "ExecStart"):
        argv = shlex.split(service[key])
        assert argv[0].endswith("/bin/modq")
        res = runner.invoke(app, [*argv[1:], "--help"])
        assert res.exit_code == 0, (key, res.output)
    assert service["Restart"] == "on-failure" and service["KillSignal"] == "SIGTERM"
    known = {f"MODQ_{name.upper()}" for name in [*Settings.model_fields, *MailSettings.model_fields]}
    env = (REPO / "deploy" / "modq.env.example").read_text().splitlines()
    named = {line.lstrip("# ").split("=", 1)[0] for line in env if "=" in line and "MODQ_" in line.split("=", 1)[0]}
    assert named and named <= known, named - known


def test_the_alerts_timer_runs_a_real_command() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(REPO / "deploy" / "modq-alerts.service")
    argv = shlex.split(unit["Service"]["ExecStart"])
    assert argv[0].endswith("/bin/modq") and argv[1:] == ["alerts", "send"]
    assert runner.invoke(app, [*argv[1:], "--help"]).exit_code == 0
    timer = configparser.ConfigParser(strict=False, interpolation=None)
    timer.optionxform = str  # type: ignore[assignment,method-assign]
    timer.read(REPO / "deploy" / "modq-alerts.timer")
    assert timer["Timer"]["Unit"] == "modq-alerts.service"
