"""Run every benchmark and print its figures: ``python -m bench`` (or ``make bench``).

Each ``bench/bench_*.py`` is also runnable on its own (``python -m bench workers`` runs only
``bench_workers.py``: several workers on PostgreSQL, which it starts under ``bench/out/pg`` unless
``MODQ_BENCH_PG_URL`` names a server). Large generated databases are cached under
``bench/out/`` (git-ignored) so a second run is quicker.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    only = set(sys.argv[1:])
    status = 0
    for script in scripts:
        if only and script.stem.removeprefix("bench_") not in only:
            continue
        print(f"== {script.stem} ==", flush=True)
        status |= subprocess.call([sys.executable, str(script)])
    return status


if __name__ == "__main__":
    raise SystemExit(main())
