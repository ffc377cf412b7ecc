"""A built wheel carries the default policy: installed into a fresh virtual environment, away from the source tree,
``modq policy check`` and ``modq demo --no-tui`` work with no MODQ_POLICY_DIR.

The fresh environment gets modq itself from the wheel (``--no-deps``) and its third-party dependencies by a path
entry to this environment's site-packages, so the test needs no network. That path entry does not run this
environment's ``.pth`` files, so the editable install of the source tree stays invisible.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        check=True,
        capture_output=True,
        cwd=base,
    )
    wheels = list(dist.glob("modq-*.whl"))
    assert len(wheels) == 1
    env_dir = base / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    site = next((env_dir / "lib").glob("python3*/site-packages"))
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(env_dir / "bin" / "python"),
            "install",
            "--no-deps",
            "-q",
            str(wheels[0]),
        ],
        check=True,
        capture_output=True,
    )
    return env_dir


def _run(env_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODQ_")}
    env["HOME"] = str(cwd)
    return subprocess.run(
        [str(env_dir / "bin" / "modq"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_wheel_ships_the_policy_and_reads_it_from_the_package(installed: Path, tmp_path: Path) -> None:
    probe = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import moderation.rules as r; print(r.default_policy_dir())"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    shown = Path(probe.stdout.strip())
    assert shown.is_dir() and installed in shown.parents, shown
    assert REPO not in shown.parents


def test_policy_check_and_demo_run_from_another_folder(installed: Path, tmp_path: Path) -> None:
    checked = _run(installed, tmp_path, "policy", "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    demo = _run(installed, tmp_path, "demo", "--no-tui", "--db", str(tmp_path / "demo.db"))
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert (tmp_path / "demo.db").stat().st_size > 0


def test_the_wheel_ships_the_learned_model_and_scores_with_it(installed: Path, tmp_path: Path) -> None:
    probe = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import moderation.rules.learned as m; print(m.MODEL_FILE)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    shipped = Path(probe.stdout.strip())
    assert shipped.is_file() and installed in shipped.parents, shipped
    checked = _run(installed, tmp_path, "check", "--json", "what a pathetic moron, shut your stupid mouth")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "learned.abusive" in checked.stdout
