"""The demo as a newcomer sees it, and what automation does to the demo corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from moderation.demo_loader import load_demo

REPO = Path(__file__).resolve().parents[1]
LABELS = json.loads((REPO / "moderation" / "demo" / "labels.json").read_text())
LAWFUL = {"ordinary", "lawful_criticism", "mild_swearing_criticism", "scunthorpe", "hostile_terminal"}
VIOLATIONS = {
    "offensive_severe",
    "hate",
    "threat",
    "harassment",
    "personal_info",
    "defamation",
    "sub_judice",
    "suppression_order",
    "spam",
    "copy_paste_campaign",
    "impersonation",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    svc, summary = load_demo(tmp_path_factory.mktemp("demo") / "demo.db")
    items = svc.queue(["queued", "escalated", "auto_hidden", "approved", "hidden", "new"], limit=10_000)
    return svc, summary, {i.external_id: i for i in items}


def test_every_comment_is_stored_and_triaged(demo) -> None:  # type: ignore[no-untyped-def]
    svc, summary, items = demo
    assert set(items) == set(LABELS)
    assert not any(i.state == "new" for i in items.values())
    assert svc.ledger_verify().ok


def test_no_lawful_comment_is_auto_hidden(demo) -> None:  # type: ignore[no-untyped-def]
    _, _, items = demo
    hidden = [cid for cid, i in items.items() if LABELS[cid] in LAWFUL and i.state in ("auto_hidden", "hidden")]
    assert hidden == []


def test_violations_come_first_in_the_queue(demo) -> None:  # type: ignore[no-untyped-def]
    svc, _, _ = demo
    top = svc.queue(limit=40)
    assert sum(LABELS[i.external_id] in VIOLATIONS for i in top) >= 36


def test_legal_matters_are_escalated_not_only_hidden(demo) -> None:  # type: ignore[no-untyped-def]
    _, _, items = demo
    for label in ("suppression_order", "defamation"):
        states = [i.state for cid, i in items.items() if LABELS[cid] == label]
        assert states.count("escalated") >= len(states) * 0.8, (label, states)


def test_suppression_order_matches_are_hidden_on_the_platform(demo) -> None:  # type: ignore[no-untyped-def]
    svc, _, items = demo
    breaches = [i for cid, i in items.items() if LABELS[cid] == "suppression_order" and i.state == "escalated"]
    assert breaches
    for item in breaches:
        d = svc.detail(item.id)
        assert d.intended_hidden and d.platform_hidden, item.external_id


def test_make_demo_without_a_terminal_prints_the_queue(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "moderation", "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert "Top of the queue" in result.stdout and "escalated" in result.stdout
    assert (tmp_path / "modq" / "demo.db").exists()
