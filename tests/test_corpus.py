"""Validates the demo corpus (moderation/demo/) and the hostile corpus (tests/data/)."""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "moderation" / "demo"
CORPUS = DEMO / "corpus.jsonl"
LABELS = DEMO / "labels.json"

CATEGORIES = (
    "ordinary",
    "lawful_criticism",
    "mild_swearing_criticism",
    "scunthorpe",
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
    "copyright",
    "political",
    "off_topic",
    "hostile_terminal",
)
REQUIRED = ("platform", "account", "post", "id", "parent_id", "author", "text", "created_at", "url")
ACCOUNTS = {"facebook": "1000000001", "instagram": "17841400000000001", "x": "1500000000000000001"}


def medicare_valid(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    if len(digits) not in (10, 11) or digits[0] not in "23456":
        return False
    weights = (1, 3, 7, 9, 1, 3, 7, 9)
    return sum(int(d) * w for d, w in zip(digits[:8], weights, strict=True)) % 10 == int(digits[8])


def tfn_valid(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    weights = (1, 4, 3, 7, 5, 8, 6, 9, 10)
    return len(digits) == 9 and sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


@pytest.fixture(scope="module")
def records() -> list[dict]:
    with open(CORPUS, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def labels() -> dict[str, str]:
    return json.loads(LABELS.read_text(encoding="utf-8"))


def _when(rec: dict) -> datetime:
    return datetime.fromisoformat(rec["created_at"])


def test_at_least_360_lines(records):
    assert len(records) >= 360


def test_interchange_format(records):
    for rec in records:
        for key in REQUIRED:
            assert key in rec, (rec.get("id"), key)
        assert rec["platform"] in ACCOUNTS
        assert rec["account"] == ACCOUNTS[rec["platform"]]
        assert isinstance(rec["text"], str) and rec["text"]
        assert rec["parent_id"] is None or isinstance(rec["parent_id"], str)
        for key in ("id", "text", "url"):
            assert isinstance(rec["post"][key], str) and rec["post"][key]
        for key in ("id", "handle", "name"):
            assert isinstance(rec["author"][key], str) and rec["author"][key]
        assert rec["author"]["id"].isdigit()
        assert rec["url"].startswith("https://")
        when = _when(rec)
        assert when.utcoffset() == timedelta(hours=11), rec["created_at"]
        assert datetime(2026, 11, 19).date() <= when.date() <= datetime(2026, 11, 21).date()


def test_platform_id_shapes(records):
    for rec in records:
        cid, pid = rec["id"], rec["post"]["id"]
        if rec["platform"] == "facebook":
            assert re.fullmatch(r"1000000001_\d{13}", pid)
            assert re.fullmatch(r"\d{13}_\d{13}", cid) and cid.split("_")[0] == pid.split("_")[1]
            assert rec["url"].startswith("https://www.facebook.com/")
        elif rec["platform"] == "instagram":
            assert cid.isdigit() and pid.isdigit()
            assert rec["url"].startswith("https://www.instagram.com/")
        else:
            assert re.fullmatch(r"\d{19}", cid) and re.fullmatch(r"\d{19}", pid)
            assert rec["url"].startswith("https://x.com/")


def test_ids_unique_per_platform(records):
    seen = Counter((r["platform"], r["id"]) for r in records)
    assert [k for k, n in seen.items() if n > 1] == []


def test_parents_exist_precede_and_share_post(records):
    index: dict[tuple[str, str], tuple[int, dict]] = {}
    replies = 0
    for pos, rec in enumerate(records):
        if rec["parent_id"] is not None:
            replies += 1
            key = (rec["platform"], rec["parent_id"])
            assert key in index, f"{rec['id']}: parent {rec['parent_id']} missing or later in the file"
            _, parent = index[key]
            assert parent["post"]["id"] == rec["post"]["id"]
            assert _when(parent) <= _when(rec)
        index[(rec["platform"], rec["id"])] = (pos, rec)
    assert 0.12 <= replies / len(records) <= 0.25


def test_x_has_foreign_conversation(records):
    foreign = [r for r in records if r["platform"] == "x" and r["post"].get("author_id")]
    assert len(foreign) >= 3
    assert all(r["post"]["author_id"] != ACCOUNTS["x"] for r in foreign)


def test_labels_cover_every_id_and_every_category(records, labels):
    ids = {r["id"] for r in records}
    assert set(labels) == ids
    assert set(labels.values()) <= set(CATEGORIES)
    counts = Counter(labels.values())
    for cat in CATEGORIES:
        assert counts[cat] >= 2, cat
    assert counts["copy_paste_campaign"] >= 6


def test_civic_majority_and_variety(records, labels):
    civic = {"ordinary", "lawful_criticism", "mild_swearing_criticism", "scunthorpe"}
    civic_texts = [r["text"] for r in records if labels[r["id"]] in civic]
    assert len(civic_texts) / len(records) >= 0.5
    assert len(set(civic_texts)) >= 150


def test_copy_paste_campaign_many_authors(records, labels):
    camp = [r for r in records if labels[r["id"]] == "copy_paste_campaign"]
    assert len({r["author"]["id"] for r in camp}) >= 6


def test_medicare_and_tfn_examples_have_valid_checksums(records, labels):
    pii = [r["text"] for r in records if labels[r["id"]] == "personal_info"]
    medicare = [m for t in pii if "medicare" in t.lower() for m in re.findall(r"\b\d{4} ?\d{5} ?\d\b", t)]
    tfn = [m for t in pii if re.search(r"\bTFN\b|tax file", t, re.I) for m in re.findall(r"\b\d{3} ?\d{3} ?\d{3}\b", t)]
    assert medicare and all(medicare_valid(m) for m in medicare), medicare
    assert tfn and all(tfn_valid(m) for m in tfn), tfn


def test_checksum_helpers():
    assert tfn_valid("123 456 782")
    assert not tfn_valid("123 456 789")
    assert medicare_valid("2953 81640 1")
    assert not medicare_valid("2953 81641 1")


def test_scunthorpe_traps_present(records, labels):
    text = " ".join(r["text"] for r in records if labels[r["id"]] == "scunthorpe")
    for word in (
        "Cockburn",
        "Mount Buggery",
        "Tittybong",
        "Dicky Beach",
        "Scunthorpe",
        "assessment",
        "class",
        "cocktail",
        "Essex",
        "Wonthaggi",
        "Mooroolbark",
        "Koo Wee Rup",
        "Nar Nar Goon",
    ):
        assert word in text, word


def test_corpus_file_has_no_raw_control_characters():
    raw = CORPUS.read_text(encoding="utf-8")
    bad = [
        c
        for c in set(raw)
        if (ord(c) < 0x20 and c != "\n")
        or 0x7F <= ord(c) <= 0x9F
        or c in "\u200b\u200c\u200d\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
    ]
    assert bad == []


def _hostile_module():
    spec = importlib.util.spec_from_file_location("hostile_data", ROOT / "tests" / "data" / "hostile.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_hostile_corpus_loads():
    hostile = _hostile_module()
    records = hostile.load_hostile()
    assert len(records) >= 40
    for rec in records:
        for key in REQUIRED:
            assert key in rec
        assert rec["account"] == "1000000001" and rec["platform"] == "facebook"
        datetime.fromisoformat(rec["created_at"])
    assert len({r["id"] for r in records}) == len(records)
    assert max(len(r["text"]) for r in records) >= 1_000_000
    names = hostile.case_names()
    assert set(names) == {r["id"] for r in records}
    assert hostile.HOSTILE_PATH.stat().st_size < 200_000  # the big body is built in code, not stored
    joined = "".join(r["text"] for r in records if len(r["text"]) < 100_000)
    for needle in (
        "[@click=",
        "\u001b[2J",
        "\u001b]8;;",
        "\u001b]52;",
        "\u202e",
        "\u2066",
        "\u200d",
        "\r",
        "\b",
        "[ Approve ]",
    ):
        assert needle in joined, repr(needle)
