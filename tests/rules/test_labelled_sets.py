"""The shared labelled sets by name and checked-in split, and ``modq eval --set`` beside the comparison libraries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from moderation.cli.rules import register
from moderation.rules.evaluation import Labelled, peer_scores
from moderation.rules.labelled_sets import SPLITS, as_comment, read_set, split_ids, text_id

from .support import SHARED_DATA

APP = typer.Typer()
register(APP)
runner = CliRunner()
needs_data = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"shared data sets not found at {SHARED_DATA}")


def _fake(tmp_path: Path) -> tuple[Path, Path]:
    data, splits = tmp_path / "data", tmp_path / "splits"
    (data / "ghc").mkdir(parents=True)
    (data / "ghc" / "ghc_train.tsv").write_text(
        "text\thd\tcv\tvo\n"
        "they are vermin\t1\t0\t0\n"
        "what a lovely pool\t0\t0\t0\n"
        "bloody hell\t0\t0\t1\n"
        "What  a LOVELY pool\t0\t0\t0\n",
        encoding="utf-8",
    )
    (splits / "ghc").mkdir(parents=True)
    ids = [text_id(t) for t in ("they are vermin", "what a lovely pool", "bloody hell")]
    (splits / "ghc" / "train.txt").write_text(f"{ids[0]}\n{ids[1]}\n", encoding="utf-8")
    (splits / "ghc" / "dev.txt").write_text(f"{ids[2]}\n", encoding="utf-8")
    return data, splits


def test_read_set_takes_only_the_split_and_each_id_once(tmp_path: Path) -> None:
    data, splits = _fake(tmp_path)
    train = list(read_set("ghc", "train", data, splits))
    assert [(r.text, r.positive, r.category, r.hate) for r in train] == [
        ("they are vermin", True, "hate", True),
        ("what a lovely pool", False, "none", False),
    ]  # the repeated text (same id after folding) is read once
    dev = list(read_set("ghc", "dev", data, splits))
    assert [(r.positive, r.category, r.hate) for r in dev] == [(True, "vulgar", False)]
    assert as_comment(dev[0]).text == "bloody hell"


@pytest.mark.parametrize(("name", "split"), [("unlisted_set", "test"), ("ghc", "validation")])
def test_unknown_set_or_split_is_refused(name: str, split: str) -> None:
    with pytest.raises(ValueError, match="the sets are|the splits are"):
        split_ids(name, split)


def test_peer_scores_on_the_same_rows() -> None:
    items = [
        Labelled("1", as_comment_text("you are a dickhead"), True),
        Labelled("2", as_comment_text("the new pool is open"), False),
    ]
    peers = peer_scores(items, ("better-profanity",))
    bp = peers["better-profanity"]
    assert bp is not None and (bp.tp, bp.fp, bp.fn, bp.tn) == (1, 0, 0, 1)
    with pytest.raises(ValueError, match="unknown comparison"):
        peer_scores(items, ("nope",))


def as_comment_text(text: str):  # type: ignore[no-untyped-def]
    from moderation.domain import CommentInput

    return CommentInput(text=text, platform="x")


@needs_data
def test_splits_are_disjoint_and_read_in_full() -> None:
    ids = {s: split_ids("olid", s) for s in ("train", "dev", "test")}
    assert not ids["train"] & ids["dev"] and not ids["train"] & ids["test"] and not ids["dev"] & ids["test"]
    dev = list(read_set("olid", "dev"))
    assert {r.id for r in dev} == ids["dev"]
    assert (SPLITS / "olid" / "dev.txt").is_file()


@needs_data
def test_eval_set_prints_the_policy_beside_the_libraries() -> None:
    res = runner.invoke(APP, ["eval", "--set", "olid", "--split", "dev", "--limit", "120", "--json"])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)
    assert rep["count"] == 120 and rep["source"] == "olid (dev)"
    bp = rep["peers"]["better-profanity"]
    assert bp["tp"] + bp["fp"] + bp["fn"] + bp["tn"] == 120
    res = runner.invoke(APP, ["eval", "--set", "olid", "--split", "dev", "--limit", "50"])
    assert "better-profanity flagged" in res.output


@pytest.mark.parametrize(
    "args",
    [
        ["eval", "--set", "unlisted_set"],
        ["eval", "--set", "olid", "--split", "holdout"],
        ["eval"],
        ["eval", "x.jsonl", "--set", "olid"],
    ],
)
def test_eval_set_bad_input_exit_2(args: list[str]) -> None:
    res = runner.invoke(APP, [*args, "--no-peers"])
    assert res.exit_code == 2
