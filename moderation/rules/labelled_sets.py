"""The public labelled sets in ``../shared/data``, read by name and by their checked-in split.

``read_set("ghc", "dev")`` yields the Gab Hate Corpus rows whose ids are listed in ``data/splits/ghc/dev.txt``
(written once by ``scripts/make_splits.py``). Tune on ``train`` and ``dev``; quote ``test``.

What counts as positive (a comment the policy should at least queue), per set:

* ``davidson``: class 0 (hate speech) or 1 (offensive language); category ``hate``/``offensive``/``neither``;
* ``olid``: ``subtask_a`` OFF; category ``OFF``/``NOT``;
* ``hatexplain``: category 1 (hate speech) or 2 (offensive); category ``hatespeech``/``offensive``/``normal``;
* ``ghc``: any of ``hd`` (assault on human dignity), ``cv`` (call for violence), ``vo`` (vulgar or offensive);
  category ``hate`` (hd or cv), ``vulgar`` (vo only) or ``none``;
* ``implicit_hate``: stage 1 ``implicit_hate`` or ``explicit_hate``, and every stage-2 post (all implicit hate);
  category the stage-1 class (``implicit_hate``, ``explicit_hate``, ``not_hate``).

``Labelled.hate`` says whether the row is hate rather than offensive language (Davidson class 0, HateXplain
category 1, GHC hd or cv, Implicit Hate implicit or explicit; OLID has no such label: ``None``).

Row ids are as in ``scripts/make_splits.py``: Davidson's index, OLID's and HateXplain's ``id``, and for the Gab
Hate Corpus and Implicit Hate (which carry none) 16 hex digits of SHA-256 over the case- and space-folded text.
Repeated texts share an id; only the first row with an id is read.
"""

from __future__ import annotations

import csv
import hashlib
import html
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from moderation.domain import CommentInput

REPO = Path(__file__).resolve().parents[2]
SPLITS = REPO / "data" / "splits"
SETS = ("davidson", "olid", "hatexplain", "ghc", "implicit_hate")
SPLIT_NAMES = ("train", "dev", "test")


@dataclass(frozen=True)
class SetRow:
    id: str
    text: str
    positive: bool
    category: str
    hate: bool | None


def data_dir() -> Path:
    """Where the shared sets live: ``MODQ_SHARED_DATA``, else ``../shared/data`` beside the repository."""
    env = os.environ.get("MODQ_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def text_id(text: str) -> str:
    folded = " ".join(text.lower().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:16]


def split_ids(name: str, split: str, splits: Path = SPLITS) -> set[str]:
    if name not in SETS:
        raise ValueError(f"unknown set {name!r}; the sets are {', '.join(SETS)}")
    if split not in SPLIT_NAMES:
        raise ValueError(f"unknown split {split!r}; the splits are {', '.join(SPLIT_NAMES)}")
    path = splits / name / f"{split}.txt"
    if not path.is_file():
        raise ValueError(f"{path}: split list not found (scripts/make_splits.py writes it)")
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def _rows(path: Path, delimiter: str, no_quotes: bool = False) -> Iterator[dict[str, str]]:
    if not path.is_file():
        raise ValueError(f"{path}: data file not found (the shared sets live in ../shared/data or MODQ_SHARED_DATA)")
    csv.field_size_limit(sys.maxsize)
    with path.open(newline="", encoding="utf-8") as fh:
        if no_quotes:
            yield from csv.DictReader(fh, delimiter=delimiter, quoting=csv.QUOTE_NONE)
        else:
            yield from csv.DictReader(fh, delimiter=delimiter)


_DAVIDSON = ("hate", "offensive", "neither")
_HATEXPLAIN = ("normal", "hatespeech", "offensive")


def _all_rows(name: str, base: Path) -> Iterator[SetRow]:
    if name == "davidson":
        for r in _rows(base / "davidson/labeled_data.csv", ","):
            number = int(r["class"])
            yield SetRow(r[""], html.unescape(r["tweet"]), number in (0, 1), _DAVIDSON[number], number == 0)
    elif name == "olid":
        for r in _rows(base / "olid/olid-training-v1.0.tsv", "\t", no_quotes=True):
            yield SetRow(r["id"], r["tweet"], r["subtask_a"] == "OFF", r["subtask_a"], None)
    elif name == "hatexplain":
        for file in ("train.csv", "val.csv"):
            for r in _rows(base / "hatexplain" / file, ","):
                number = int(r["category"])
                yield SetRow(r["id"], r["text"], number in (1, 2), _HATEXPLAIN[number], number == 1)
    elif name == "ghc":
        for r in _rows(base / "ghc/ghc_train.tsv", "\t"):
            hate = r["hd"] == "1" or r["cv"] == "1"
            vulgar = r["vo"] == "1"
            cat = "hate" if hate else "vulgar" if vulgar else "none"
            yield SetRow(text_id(r["text"]), r["text"], hate or vulgar, cat, hate)
    elif name == "implicit_hate":
        for r in _rows(base / "implicit_hate/implicit_hate_v1_stg1_posts.tsv", "\t"):
            kind = r["class"]
            yield SetRow(text_id(r["post"]), r["post"], kind != "not_hate", kind, kind != "not_hate")
        for r in _rows(base / "implicit_hate/implicit_hate_v1_stg2_posts.tsv", "\t"):
            yield SetRow(text_id(r["post"]), r["post"], True, "implicit_hate", True)
    else:
        raise ValueError(f"unknown set {name!r}; the sets are {', '.join(SETS)}")


def read_set(name: str, split: str, base: Path | None = None, splits: Path = SPLITS) -> Iterator[SetRow]:
    """The rows of set ``name`` in ``split``, in file order, each id once."""
    wanted = split_ids(name, split, splits)
    seen: set[str] = set()
    for row in _all_rows(name, base or data_dir()):
        if row.id in wanted and row.id not in seen:
            seen.add(row.id)
            yield row


def as_comment(row: SetRow) -> CommentInput:
    """The row as a comment (tweets and Gab posts are read as posts on X)."""
    return CommentInput(text=row.text, platform="x")
