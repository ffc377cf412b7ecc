"""Labelled comments read from files for ``modq eval``: the formats, and what counts as a positive label.

Formats read (chosen by ``--format`` or guessed from the file):

* ``davidson``: the Davidson et al. CSV (``class`` 0 hate, 1 offensive, 2 neither); positive = class 0 or 1.
  Its tweets keep HTML entities (``&amp;``, ``&#128514;``); they are decoded, as a connector would.
* ``olid``: the OLID training TSV (``subtask_a`` OFF or NOT); positive = OFF. Read with ``QUOTE_NONE``.
* ``jsonl``: one object per line with ``id``, ``text``, optional ``author`` {id, handle, name}, ``platform``,
  ``account`` and a label: ``label``/``category`` (a demo-corpus category or OFF/NOT, hate/offensive/neither),
  or ``flagged`` (bool). When lines carry no label, a ``labels.json`` beside the file (id -> category, the demo
  corpus's layout) supplies it. Lines of the functional suite (data/functional/suite.jsonl) also carry ``class``
  (what the case tests) and ``expected``: ``flag``, ``must_not_auto_hide`` or ``must_not_flag``.
"""

from __future__ import annotations

import csv
import html
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moderation.domain import CommentInput

# Demo-corpus categories: which are violations, which clause each maps to, which must never be auto-hidden.
NEGATIVE_CATEGORIES = {"ordinary", "lawful_criticism", "mild_swearing_criticism", "scunthorpe", "hostile_terminal"}
NEVER_HIDE = {"ordinary", "lawful_criticism", "mild_swearing_criticism", "scunthorpe", "political", "off_topic"}
CATEGORY_CLAUSE = {
    "offensive_severe": "1", "hate": "2", "threat": "3", "harassment": "4", "personal_info": "5",
    "defamation": "6", "suppression_order": "7", "sub_judice": "8", "impersonation": "9", "spam": "10",
    "copy_paste_campaign": "11", "copyright": "13", "political": "16", "off_topic": "15",
}  # fmt: skip
_POSITIVE_WORDS = {"off", "offensive", "hate", "hate_speech", "1", "true", "yes", "positive"}
_NEGATIVE_WORDS = {"not", "neither", "none", "0", "false", "no", "negative", "2"}


EXPECTED = ("flag", "must_not_auto_hide", "must_not_flag")


@dataclass(frozen=True)
class Labelled:
    id: str
    item: CommentInput
    positive: bool
    category: str = ""
    cls: str = ""  # the functional suite's class of case
    expected: str = ""  # flag, must_not_auto_hide or must_not_flag


def _truthy_label(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _POSITIVE_WORDS:
        return True
    if word in _NEGATIVE_WORDS:
        return False
    if word in NEGATIVE_CATEGORIES:
        return False
    if word in CATEGORY_CLAUSE:
        return True
    return None


def detect_format(path: Path) -> str:
    if path.suffix == ".jsonl" or path.suffix == ".json":
        return "jsonl"
    with path.open(encoding="utf-8", errors="replace") as fh:
        head = fh.readline()
    if "\t" in head and "subtask_a" in head:
        return "olid"
    if "class" in head and "tweet" in head:
        return "davidson"
    raise ValueError(f"{path}: cannot tell the format; pass --format davidson|olid|jsonl")


def read_labelled(path: Path, fmt: str = "auto") -> Iterator[Labelled]:
    """Yield labelled comments from ``path`` (see the module docstring for the formats)."""
    fmt = detect_format(path) if fmt == "auto" else fmt
    csv.field_size_limit(sys.maxsize)
    if fmt == "davidson":
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                cls = int(row["class"])
                rid = row.get("") or row.get("index") or str(row.get("id", ""))
                yield Labelled(
                    str(rid),
                    CommentInput(text=html.unescape(row["tweet"]), platform="x"),
                    cls in (0, 1),
                    {0: "hate", 1: "offensive", 2: "neither"}[cls],
                )
    elif fmt == "olid":
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                yield Labelled(
                    row["id"],
                    CommentInput(text=row["tweet"], platform="x"),
                    row["subtask_a"] == "OFF",
                    row["subtask_a"],
                )
    elif fmt == "jsonl":
        labels: dict[str, str] = {}
        side = path.parent / "labels.json"
        if side.is_file():
            labels = {str(k): v for k, v in json.loads(side.read_text(encoding="utf-8")).items()}
        with path.open(encoding="utf-8") as fh:
            for no, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                obj = json.loads(line)
                rid = str(obj.get("id", no))
                raw = next((obj[k] for k in ("flagged", "label", "category", "subtask_a", "class") if k in obj), None)
                if raw is None:
                    raw = labels.get(rid)
                positive = _truthy_label(raw) if raw is not None else None
                if positive is None:
                    raise ValueError(f"{path}:{no}: no usable label for id {rid!r}")
                category = str(raw) if isinstance(raw, str) else ""
                expected = str(obj.get("expected", "") or "")
                if expected and expected not in EXPECTED:
                    raise ValueError(f"{path}:{no}: expected must be one of {', '.join(EXPECTED)}, not {expected!r}")
                case_class = obj.get("class") if "label" in obj or "flagged" in obj or "category" in obj else None
                yield Labelled(rid, item_from_json(obj), positive, category, str(case_class or ""), expected)
    else:
        raise ValueError(f"unknown format {fmt!r}")


ITEM_SHAPE = (
    'each line is a JSON object with a "text" string, and optionally "id", "platform", "account", "parent_id" and '
    '"author": {"id", "handle", "name"}'
)


def _kind(value: Any) -> str:
    names = {bool: "true or false", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return names.get(type(value), f"a {type(value).__name__}")


def item_from_json(obj: dict[str, Any]) -> CommentInput:
    """A ``CommentInput`` from the interchange JSON (``text``, ``author``, ``platform``, ``account`` ...).

    Raises:
        ValueError: the object has no ``text`` string, or ``author`` is not an object, or a count is not a number;
            the message says what was wrong and what a line holds.
    """
    if not isinstance(obj, dict):
        raise ValueError(f"not a JSON object: {ITEM_SHAPE}")
    text = obj.get("text")
    if not isinstance(text, str):
        what = "missing" if text is None else f"{_kind(text)}, not a string"
        raise ValueError(f'"text" is {what}: {ITEM_SHAPE}')
    author = obj.get("author") or {}
    if not isinstance(author, dict):
        raise ValueError(f'"author" is {_kind(author)}, not an object: {ITEM_SHAPE}')
    try:
        prior = int(obj.get("author_prior_hidden", 0) or 0)
        repeats = int(obj.get("repeat_count", 0) or 0)
    except (TypeError, ValueError):
        raise ValueError('"author_prior_hidden" and "repeat_count" must be whole numbers') from None
    return CommentInput(
        text=text,
        platform=str(obj.get("platform", "facebook")),
        account=str(obj.get("account", "")),
        author_id=str(author.get("id", "") or ""),
        author_handle=str(author.get("handle", "") or ""),
        author_name=str(author.get("name", "") or ""),
        is_reply=bool(obj.get("parent_id")),
        author_prior_hidden=prior,
        repeat_count=repeats,
    )
