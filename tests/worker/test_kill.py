"""``modq run`` killed with SIGKILL at 30 random moments while comments arrive: every clear violation is hidden
exactly once, nothing else is, the ledger verifies (see scripts/kill_test.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "kill_test.py"


def _run(*args: str, timeout: int) -> str:
    proc = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    assert "double=0 missing=0 extra=0 ledger=ok sigterm_exit=0 log_leaks=0" in proc.stdout, proc.stdout
    return proc.stdout


def test_thirty_kills_exactly_once() -> None:
    out = _run("--kills", "30", "--seed", "5", "--max-wait", "1.5", "--rate", "2", timeout=420)
    assert "kills=30" in out


@pytest.mark.slow
def test_two_hundred_kills_exactly_once() -> None:
    _run("--kills", "200", "--seed", "9", timeout=1800)
