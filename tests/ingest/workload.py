"""The benchmark's workload generator, for tests: comments from the demo corpus with replies, edits and
re-deliveries (see bench/bench_ingest.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def bench_module() -> ModuleType:
    name = "bench_ingest_for_tests"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "bench_ingest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def write_workload(path: Path, n: int, seed: int = 1) -> Path:
    bench_module().generate(path, n, seed)
    return path


TABLES = (
    "account",
    "post",
    "comment",
    "comment_version",
    "decision",
    "finding",
    "outbox",
    "escalation",
    "ledger_event",
    "ledger_field",
)


def row_counts(engine: object) -> dict[str, int]:
    with engine.connect() as conn:  # type: ignore[attr-defined]
        return {t: int(conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one()) for t in TABLES}
