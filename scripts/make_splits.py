"""Write the fixed train / dev / test split of every labelled set in ../shared/data, by id, once.

Run from the repository root: ``python scripts/make_splits.py``. The lists in ``data/splits/<set>/`` are checked in;
rerunning gives the same lists (the split is a hash of the set's name and the row's id, not a random draw).

Row ids: Davidson's index column, OLID's ``id``, HateXplain's ``id``; the Gab Hate Corpus and Implicit Hate carry no
id, so a row's id is the first 16 hex digits of SHA-256 over its text with case and spacing folded (repeated texts
share an id, and so a split). HateXplain's official train split is all train; its official validation split is cut
in half, dev and test. Every other set: 70% train, 15% dev, 15% test.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "data" / "splits"


def text_id(text: str) -> str:
    folded = " ".join(text.lower().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:16]


def bucket(name: str, row_id: str) -> int:
    return int(hashlib.sha256(f"{name}:{row_id}".encode()).hexdigest()[:8], 16) % 100


def three_way(name: str, row_id: str) -> str:
    b = bucket(name, row_id)
    return "train" if b < 70 else "dev" if b < 85 else "test"


def rows(path: Path, delimiter: str, quoting: int = csv.QUOTE_MINIMAL) -> Iterator[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f, delimiter=delimiter, quoting=quoting)


def splits() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    out["davidson"] = {r[""]: three_way("davidson", r[""]) for r in rows(DATA / "davidson/labeled_data.csv", ",")}
    olid = rows(DATA / "olid/olid-training-v1.0.tsv", "\t", csv.QUOTE_NONE)
    out["olid"] = {r["id"]: three_way("olid", r["id"]) for r in olid}
    hx = {r["id"]: "train" for r in rows(DATA / "hatexplain/train.csv", ",")}
    for r in rows(DATA / "hatexplain/val.csv", ","):
        hx[r["id"]] = "dev" if bucket("hatexplain", r["id"]) < 50 else "test"
    out["hatexplain"] = hx
    ghc = (text_id(r["text"]) for r in rows(DATA / "ghc/ghc_train.tsv", "\t"))
    out["ghc"] = {i: three_way("ghc", i) for i in ghc}
    ih: dict[str, str] = {}
    for name in ("implicit_hate_v1_stg1_posts.tsv", "implicit_hate_v1_stg2_posts.tsv"):
        for r in rows(DATA / "implicit_hate" / name, "\t"):
            i = text_id(r["post"])
            ih[i] = three_way("implicit_hate", i)
    out["implicit_hate"] = ih
    return out


def main() -> None:
    for name, table in splits().items():
        folder = OUT / name
        folder.mkdir(parents=True, exist_ok=True)
        for split in ("train", "dev", "test"):
            ids = sorted(i for i, s in table.items() if s == split)
            (folder / f"{split}.txt").write_text("".join(f"{i}\n" for i in ids), encoding="utf-8")
            print(f"{name:14} {split:5} {len(ids):6}")


if __name__ == "__main__":
    main()
