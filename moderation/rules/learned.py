"""The learned model: a logistic regression over hashed word and character n-grams, scored with numpy.

The model reads the folded text (``normalise``) reduced to its words: every run of characters that are not
letters or digits becomes one space, and the text is padded with a space each side (" you are a pig "). From
that it counts

* word unigrams and bigrams ("pig", "a pig"), and
* character 3-, 4- and 5-grams, spaces included (" pi", "pig ", "a pig"),

hashes each into one of ``2**bits`` buckets (a polynomial hash of the characters' code points, in numpy's
wrapping 64-bit arithmetic, the same at training and at run time), and scores

    logit = bias + (sum of the word buckets' weights) / sqrt(word n-grams)
                 + (sum of the character buckets' weights) / sqrt(character n-grams)

so a comment's score is a sum over its n-grams: a batch of comments is scored in a few array operations, and
the n-grams that raised one comment's score most are found by reading the same sum term by term. The logit is
calibrated on held-out data (Platt scaling: ``p = 1 / (1 + exp(-(a * logit + c)))``), so the score is a
probability.

The model is a JSON file of plain numbers (``learned_model.json`` beside this module; ``scripts/train_learned.py``
writes it): no pickle, no scikit-learn and no network at run time.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from pathlib import Path
from typing import Any, cast

import numpy as np

from .normalise import normalise

MODEL_FILE = Path(__file__).resolve().parent / "learned_model.json"
FORMAT = "modq-learned-1"
_U64 = np.uint64
PRIME = 1_000_003  # odd, so it has an inverse modulo 2**64
PRIME_INV = pow(PRIME, -1, 2**64)
_MIX = 0x9E3779B97F4A7C15  # multiplicative mixing (Fibonacci hashing): the top bits pick the bucket
_WORD_SALT, _BIGRAM_SALT = 0x51AB1E5, 0xB16A4
CHAR_SIZES = (3, 4, 5)
SHARE = 0.25  # a word is named when it raised the score at least this share as much as the strongest one
_NOT_WORD = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]+")
_ASCII_WORD = re.compile(r"[a-zA-Z0-9]+")  # the same, for ASCII text, and quicker


def model_text(folded: str, masked: frozenset[str] = frozenset()) -> str:
    """The text the model reads: the folded text's words, one space between, a space each side, without the
    words and phrases in ``masked`` (those naming protected groups, chosen at training: "jews", "non binary",
    "torres strait islander"): naming a group never raises the score by itself ("Jews are welcome here"); what
    is said of it does."""
    words = _NOT_WORD.sub(" ", folded).split()
    if masked:
        keep = kept_words(words, masked)
        if keep is not None:
            words = list(compress(words, keep))
    return " " + " ".join(words) + " "


@lru_cache(maxsize=8)
def _phrases(masked: frozenset[str]) -> tuple[frozenset[str], dict[str, list[tuple[str, ...]]]]:
    """The masked words and phrases' first words; the masked phrases (more than one word) by their first word,
    longest first."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for entry in masked:
        parts = tuple(entry.split())
        if len(parts) > 1:
            out.setdefault(parts[0], []).append(parts)
    for found in out.values():
        found.sort(key=len, reverse=True)
    return masked | out.keys(), out


def kept_words(words: list[str], masked: frozenset[str]) -> list[bool] | None:
    """For each word, whether the model reads it: not a masked word, nor part of a masked phrase (None when
    every word is read)."""
    starts, phrases = _phrases(masked)
    if starts.isdisjoint(words):
        return None
    keep = [w not in masked for w in words]
    if phrases and not phrases.keys().isdisjoint(words):
        i, n = 0, len(words)
        while i < n:
            for phrase in phrases.get(words[i], ()):
                size = len(phrase)
                if tuple(words[i : i + size]) == phrase:
                    keep[i : i + size] = [False] * size
                    i += size - 1
                    break
            i += 1
    return keep


class _Powers:
    """Powers of ``PRIME`` and of its inverse modulo 2**64, grown as longer batches need them."""

    def __init__(self) -> None:
        self.up = np.ones(1, dtype=_U64)
        self.down = np.ones(1, dtype=_U64)

    def need(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if len(self.up) < n:
            size = max(n, 2 * len(self.up), 4096)
            with np.errstate(over="ignore"):
                self.up = np.cumprod(np.full(size, PRIME, dtype=_U64), dtype=_U64)
                self.up = np.concatenate([np.ones(1, dtype=_U64), self.up[:-1]])
                self.down = np.cumprod(np.full(size, PRIME_INV, dtype=_U64), dtype=_U64)
                self.down = np.concatenate([np.ones(1, dtype=_U64), self.down[:-1]])
        return self.up[:n], self.down[:n]


_POWERS = _Powers()


@dataclass(frozen=True)
class Features:
    """The hashed n-grams of a batch of model texts joined end to end: for each kind (word, char), the
    bucket of every n-gram, the document it belongs to, and its [start, end) in the joined text."""

    words: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    chars: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    docs: int
    offsets: np.ndarray  # where each document starts in the joined text


def _bucket(h: np.ndarray, salt: int, bits: int) -> np.ndarray:
    with np.errstate(over="ignore"):
        mixed = (h ^ _U64(salt)) * _U64(_MIX)
    return (mixed >> _U64(64 - bits)).astype(np.int64)


def features(texts: Sequence[str], bits: int) -> Features:
    """Hash the n-grams of ``texts`` (already model texts, see ``model_text``) into ``2**bits`` buckets."""
    joined = "".join(texts)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    total = len(joined)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(_U64)
    doc = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    up, down = _POWERS.need(total + 1)
    with np.errstate(over="ignore"):
        # prefix[i] = sum of codes[j] * PRIME**j for j < i; the hash of [s, e) is (prefix[e] - prefix[s]) / PRIME**s
        prefix = np.zeros(total + 1, dtype=_U64)
        np.cumsum(codes * up[:total], dtype=_U64, out=prefix[1:])

        def span_hash(s: np.ndarray, e: np.ndarray) -> np.ndarray:
            return cast(np.ndarray, (prefix[e] - prefix[s]) * down[s])

        char_b, char_d, char_s, char_e = [], [], [], []
        for n in CHAR_SIZES:
            if total < n:
                continue
            s = np.arange(total - n + 1, dtype=np.int64)
            e = s + n
            same = doc[s] == doc[e - 1]
            s, e = s[same], e[same]
            char_b.append(_bucket(span_hash(s, e), n, bits))
            char_d.append(doc[s])
            char_s.append(s)
            char_e.append(e)
        # Words lie between consecutive spaces (every model text starts and ends with one).
        spaces = np.flatnonzero(codes == 32)
        ws, we = spaces[:-1] + 1, spaces[1:]
        real = we > ws
        ws, we = ws[real], we[real]
        wd = doc[ws]
        uni = _bucket(span_hash(ws, we), _WORD_SALT, bits)
        pair = wd[:-1] == wd[1:]
        bs, be = ws[:-1][pair], we[1:][pair]
        bi = _bucket(span_hash(bs, be), _BIGRAM_SALT, bits)
    empty = np.zeros(0, dtype=np.int64)
    chars = (
        (np.concatenate(char_b), np.concatenate(char_d), np.concatenate(char_s), np.concatenate(char_e))
        if char_b
        else (empty, empty, empty, empty)
    )
    words = (
        np.concatenate([uni, bi]),
        np.concatenate([wd, wd[:-1][pair]]),
        np.concatenate([ws, bs]),
        np.concatenate([we, be]),
    )
    return Features(words, chars, len(texts), offsets)


def scales(f: Features) -> tuple[np.ndarray, np.ndarray]:
    """Each document's factor for its word and its character n-grams: 1 / sqrt(how many it has)."""
    out = []
    for _, d, _, _ in (f.words, f.chars):
        count = np.bincount(d, minlength=f.docs).astype(np.float64)
        out.append(1.0 / np.sqrt(np.maximum(count, 1.0)))
    return out[0], out[1]


@dataclass(frozen=True)
class Contribution:
    """One word of a comment and how much it raised the model's logit (original-text offsets)."""

    start: int
    end: int
    weight: float


class LearnedModel:
    """A loaded model: ``probabilities`` for a batch, ``explain`` for one comment."""

    def __init__(self, data: dict[str, Any], digest: str = "") -> None:
        if data.get("format") != FORMAT:
            raise ValueError(f"learned model: format must be {FORMAT!r}, not {data.get('format')!r}")
        self.data = data
        self.bits = int(data["bits"])
        self.bias = float(data["bias"])
        self.platt_a, self.platt_c = (float(x) for x in data["platt"])
        self.threshold = float(data["threshold"])
        self.digest = digest
        # Words naming protected groups, which the model does not read (see ``model_text``); chosen at training.
        self.masked = frozenset(str(w) for w in data.get("masked", ()))
        weights = np.zeros(1 << self.bits, dtype=np.float64)
        index = np.cumsum(np.asarray(data["index_deltas"], dtype=np.int64))
        values = np.asarray(data["weights"], dtype=np.float64) * float(data["weight_scale"])
        if len(index) != len(values) or (len(index) and (index[0] < 0 or index[-1] >= len(weights))):
            raise ValueError("learned model: index_deltas and weights do not fit the model's buckets")
        weights[index] = values
        self.weights = weights

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> LearnedModel:
        if not path.is_file():
            raise ValueError(f"learned model {path} not found (make model writes it)")
        raw = path.read_bytes()
        return cls(json.loads(raw), hashlib.sha256(raw).hexdigest())

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Uncalibrated scores of model texts (see ``model_text``)."""
        if not texts:
            return np.zeros(0)
        f = features(texts, self.bits)
        w_scale, c_scale = scales(f)
        w = self.weights
        word = np.bincount(f.words[1], weights=w[f.words[0]], minlength=f.docs)
        char = np.bincount(f.chars[1], weights=w[f.chars[0]], minlength=f.docs)
        return cast(np.ndarray, self.bias + word * w_scale + char * c_scale)

    def calibrate(self, logits: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.platt_a * logits + self.platt_c)))

    def probabilities(self, folded: Sequence[str]) -> list[float]:
        """The calibrated probability that each folded text is abusive or hateful."""
        return self.calibrate(self.logits([model_text(t, self.masked) for t in folded])).tolist()  # type: ignore[no-any-return]

    def score(self, folded: Sequence[str], threshold: float, top: int = 3) -> list[tuple[float, tuple[int, ...]]]:
        """For each folded text: its calibrated probability and, when that reaches ``threshold``, the indices of
        the (at most ``top``) words that raised its logit most, largest first (word ``i`` is the ``i``-th run of
        letters and digits in the folded text that is not a group word; only words that raised it by at least
        ``SHARE`` of what the strongest word did are named). Each word collects its
        unigram, half of each bigram it is in, and every character n-gram that starts in it or in the space
        before it.

        The same sum as ``logits`` (which follows ``features``, as training does), worked out in a few array
        operations over the whole batch: the character n-grams are read at every position of the joined text
        (slices, not index arrays) and summed per document with one cumulative sum."""
        if not folded:
            return []
        texts = [model_text(t, self.masked) for t in folded]
        ndocs = len(texts)
        joined = "".join(texts)
        total = len(joined)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=ndocs)
        offsets = np.zeros(ndocs + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        raw = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        doc = np.repeat(np.arange(ndocs, dtype=np.int64), lengths)
        up, down = _POWERS.need(total + 1)
        w = self.weights
        shift = _U64(64 - self.bits)
        mix = _U64(_MIX)
        char_at = np.zeros(total)  # the weight of the character n-grams starting at each position
        with np.errstate(over="ignore"):
            prefix = np.zeros(total + 1, dtype=_U64)
            np.cumsum(raw.astype(_U64) * up[:total], out=prefix[1:])
            for n in CHAR_SIZES:
                m = total - n + 1
                if m <= 0:
                    continue
                h = (prefix[n:] - prefix[:m]) * down[:m]
                found = w[((h ^ _U64(n)) * mix) >> shift]
                found[doc[:m] != doc[n - 1 :]] = 0.0  # across two documents: no n-gram
                char_at[:m] += found
            spaces = np.flatnonzero(raw == 32)
            ws, we = spaces[:-1] + 1, spaces[1:]
            real = we > ws
            ws, we = ws[real], we[real]
            wd = doc[ws]
            uni = w[((((prefix[we] - prefix[ws]) * down[ws]) ^ _U64(_WORD_SALT)) * mix) >> shift]
            pair = wd[:-1] == wd[1:]
            bs, be, bd = ws[:-1][pair], we[1:][pair], wd[:-1][pair]
            bi = w[((((prefix[be] - prefix[bs]) * down[bs]) ^ _U64(_BIGRAM_SALT)) * mix) >> shift]
        words = np.bincount(wd, minlength=ndocs)
        w_scale = 1.0 / np.sqrt(np.maximum(words + np.maximum(words - 1, 0), 1))
        chars = sum(np.maximum(lengths - n + 1, 0) for n in CHAR_SIZES)
        c_scale = 1.0 / np.sqrt(np.maximum(chars, 1))
        running = np.zeros(total + 1)
        np.cumsum(char_at, out=running[1:])
        logits = (
            self.bias
            + (np.bincount(wd, weights=uni, minlength=ndocs) + np.bincount(bd, weights=bi, minlength=ndocs)) * w_scale
            + (running[offsets[1:]] - running[offsets[:-1]]) * c_scale
        )
        probs = self.calibrate(logits)
        hot = probs >= threshold
        out: list[tuple[float, tuple[int, ...]]] = [(p, ()) for p in probs.tolist()]
        if not hot.any():
            return out
        # Word "slots": every space opens one (the space and the word after it), numbered across the batch; the
        # last space of each document opens an empty slot that is never named.
        owner = np.cumsum(raw == 32) - 1
        slots = len(spaces)
        gain = np.bincount(owner, weights=char_at * c_scale[doc], minlength=slots)
        gain += np.bincount(owner[ws], weights=uni * w_scale[wd], minlength=slots)
        half = bi * w_scale[bd] / 2
        gain += np.bincount(owner[bs], weights=half, minlength=slots)
        gain += np.bincount(owner[bs] + 1, weights=half, minlength=slots)
        slot_doc = doc[spaces]
        chosen = np.flatnonzero(hot[slot_doc] & (gain > 0) & (spaces != offsets[slot_doc + 1] - 1))
        if not len(chosen):
            return out
        # Only words that raised it at least SHARE as much as the document's strongest word.
        strongest = np.zeros(ndocs)
        np.maximum.at(strongest, slot_doc[chosen], gain[chosen])
        chosen = chosen[gain[chosen] >= SHARE * strongest[slot_doc[chosen]]]
        chosen = chosen[np.lexsort((-gain[chosen], slot_doc[chosen]))]  # by document, then largest gain first
        docs = slot_doc[chosen]
        new_doc = np.flatnonzero(np.concatenate([[True], docs[1:] != docs[:-1]]))
        rank = np.arange(len(chosen)) - np.repeat(new_doc, np.diff(np.append(new_doc, len(chosen))))
        keep = rank < top
        first_slot = owner[offsets[:-1]]
        named: dict[int, list[int]] = {}
        for d, i in zip(docs[keep].tolist(), (chosen[keep] - first_slot[docs[keep]]).tolist(), strict=True):
            named.setdefault(d, []).append(i)
        for d, found_words in named.items():
            out[d] = (out[d][0], tuple(found_words))
        return out


def word_spans(folded: str, upto: int | None = None, masked: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """The model's words in the folded text, as (start, end): the runs of letters and digits that are not masked
    words or parts of masked phrases (see ``model_text``; only the first ``upto`` when given)."""
    found = [m.span() for m in (_ASCII_WORD if folded.isascii() else _WORD).finditer(folded)]
    if masked:
        keep = kept_words([folded[s:e] for s, e in found], masked)
        if keep is not None:
            found = list(compress(found, keep))
    return found if upto is None else found[:upto]


_LOADED: dict[Path, LearnedModel] = {}


def load_model(path: Path = MODEL_FILE) -> LearnedModel:
    """The model at ``path``, read once per process."""
    model = _LOADED.get(path)
    if model is None:
        model = _LOADED[path] = LearnedModel.load(path)
    return model


def probability(text: str, model: LearnedModel | None = None) -> float:
    """The calibrated probability for one raw comment text (normalised here)."""
    m = model or load_model()
    return m.probabilities([normalise(text).text])[0]


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))
