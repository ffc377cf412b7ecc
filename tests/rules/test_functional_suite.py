"""The team's functional suite (data/functional/suite.jsonl): its builder, its shape, and per-class figures in eval."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
import typer
from typer.testing import CliRunner

from moderation.cli.rules import register
from moderation.rules import Policy
from moderation.rules.evaluation import EXPECTED, evaluate_items, meets, read_labelled

from .support import REPO

SUITE = REPO / "data" / "functional" / "suite.jsonl"
APP = typer.Typer()
register(APP)
runner = CliRunner()


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_functional_suite", REPO / "scripts/build_functional_suite.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    return _builder()


@pytest.fixture(scope="module")
def rows() -> list[dict[str, object]]:
    return [json.loads(line) for line in SUITE.read_text(encoding="utf-8").splitlines()]


def test_checked_in_suite_is_what_the_builder_writes(builder: ModuleType, rows: list[dict[str, object]]) -> None:
    built = builder.build()
    assert built == builder.build()  # deterministic
    assert built == rows, "data/functional/suite.jsonl is stale: run python scripts/build_functional_suite.py"


def test_suite_size_classes_and_fields(builder: ModuleType, rows: list[dict[str, object]]) -> None:
    assert len(rows) >= 1500
    counts = Counter(str(r["class"]) for r in rows)
    assert set(counts) == set(builder.CLASSES)
    assert min(counts.values()) >= 20
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert len({r["text"] for r in rows}) == len(rows)
    for r in rows:
        expected, label, _ = builder.CLASSES[r["class"]]
        assert r["expected"] == expected and r["label"] == label
        assert r["expected"] in EXPECTED
        assert r["text"] and r["platform"] in ("facebook", "instagram", "x")


def test_hateful_and_lawful_cases_share_groups_and_targets(rows: list[dict[str, object]]) -> None:
    def groups(prefix: str) -> set[str]:
        return {str(r["target"]) for r in rows if str(r["class"]).startswith(prefix)}

    hate, neutral = groups("hate_"), groups("identity_")
    assert len(hate) >= 20 and hate == neutral
    threat_targets = {str(r["target"]).split(":")[0] for r in rows if str(r["class"]).startswith("threat_")}
    assert {"commenter", "staff", "minister", "group"} <= threat_targets
    australian = {"group:aboriginal", "group:first_nations", "group:torres_strait", "group:sudanese"}
    assert australian <= hate


def test_evasive_slur_classes_are_really_evasive(builder: ModuleType, rows: list[dict[str, object]]) -> None:
    plain = {s.replace(" ", "") for s, _ in builder.SLURS}
    for r in rows:
        if r["class"] in ("slur_single_edit", "slur_digits", "slur_separators"):
            words = {w.strip(".,'!?").lower() for w in str(r["text"]).split()}
            assert not words & plain, r
        if r["class"] == "slur_single_edit":
            assert any(len(s) >= 5 for s in plain)


@pytest.mark.parametrize(
    ("expected", "flagged", "hidden", "ok"),
    [
        ("flag", True, False, True),
        ("flag", False, False, False),
        ("must_not_auto_hide", True, False, True),
        ("must_not_auto_hide", True, True, False),
        ("must_not_flag", False, False, True),
        ("must_not_flag", True, False, False),
        ("", True, True, True),
    ],
)
def test_meets(expected: str, flagged: bool, hidden: bool, ok: bool) -> None:
    assert meets(expected, flagged, hidden) is ok


def test_eval_reports_per_class_rates(tmp_path: Path, policy: Policy) -> None:
    data = tmp_path / "mini.jsonl"
    rows = [
        {"id": "a", "text": "go home you boong", "label": "hate", "class": "slur_plain", "expected": "flag"},
        {"id": "b", "text": "lovely day at the clinic", "label": "hate", "class": "slur_plain", "expected": "flag"},
        {
            "id": "c",
            "text": "the new pool is great",
            "label": "ordinary",
            "class": "neutral",
            "expected": "must_not_flag",
        },
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    rep = evaluate_items(policy, read_labelled(data))
    slur = rep.classes["slur_plain"]
    assert (slur.count, slur.flagged, slur.hidden, slur.met) == (2, 1, 1, 1)
    assert slur.misses == [("b", "lovely day at the clinic")]
    assert rep.classes["neutral"].as_dict()["met_rate"] == 1.0
    res = runner.invoke(APP, ["eval", str(data)])
    assert res.exit_code == 0, res.output
    assert "per class" in res.output and "slur_plain" in res.output and "50.0%" in res.output
    res = runner.invoke(APP, ["eval", str(data), "--json"])
    assert json.loads(res.output)["classes"]["slur_plain"]["auto_hidden"] == 1


def test_eval_rejects_an_unknown_expected_outcome(tmp_path: Path) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text(json.dumps({"id": "a", "text": "x", "label": "hate", "expected": "hide"}) + "\n")
    res = runner.invoke(APP, ["eval", str(data)])
    assert res.exit_code == 2
    assert "must_not_auto_hide" in res.output


def test_policy_keeps_lawful_and_neutral_cases_safe(policy: Policy) -> None:
    """The suite's floor that already holds: lawful criticism never hidden, neutral identity mentions unflagged."""
    rep = evaluate_items(policy, read_labelled(SUITE), "suite")
    for cls in ("identity_neutral", "identity_positive"):
        assert rep.classes[cls].flagged <= 0.01 * rep.classes[cls].count, cls
    for cls in ("lawful_criticism", "lawful_criticism_rough"):
        assert rep.classes[cls].hidden == 0, cls
    assert rep.classes["slur_plain"].met == rep.classes["slur_plain"].count
