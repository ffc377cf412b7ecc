"""The learned detector: loaded from the package's JSON file with no network, explainable by spans of the real
text, never hiding a comment on its own, under the context guard, and trained deterministically."""

from __future__ import annotations

import importlib.util
import json
import shutil
import socket
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.domain import Action, CommentInput, ConfigError
from moderation.rules import Policy, load_policy
from moderation.rules.detectors.learned import FUNCTION_WORDS, LearnedDetector
from moderation.rules.evaluation import is_flagged, is_hidden
from moderation.rules.learned import (
    FORMAT,
    MODEL_FILE,
    SHARE,
    LearnedModel,
    features,
    model_text,
    scales,
    word_spans,
)
from moderation.rules.normalise import normalise

from .support import POLICIES, REPO

RULE = "learned.abusive"
ABUSIVE = "what a pathetic moron, shut your stupid mouth"
BENIGN = "Thanks for the update about the new pool opening hours"
# Text a strategy draws from: the model's own strongest words, ordinary words, evasive and non-ASCII characters.
_MODEL = LearnedModel.load()
_WORDS = [
    "moron",
    "stupid",
    "idiot",
    "you",
    "are",
    "the",
    "pool",
    "minister",
    "people",
    "hate",
    "fück",
    "ＩＤＩＯＴ",
    "jews",
    "Muslim",
    "refugees",
]
TEXTS = st.lists(
    st.one_of(st.sampled_from(_WORDS), st.text(alphabet="aeimnorstu0123 .,!?'\"@#\u200b\u00e9\u0430", max_size=8)),
    max_size=12,
).map(" ".join)


@pytest.fixture(scope="module")
def without_learned(tmp_path_factory: pytest.TempPathFactory) -> Policy:
    """The default policy with the learned detector's rule file removed."""
    dest = tmp_path_factory.mktemp("rules_only") / "policies"
    shutil.copytree(POLICIES, dest)
    (dest / "rules" / "learned.toml").unlink()
    return load_policy(dest)


def test_the_model_is_a_small_json_file_of_plain_numbers() -> None:
    raw = MODEL_FILE.read_bytes()
    assert len(raw) < 2_000_000, len(raw)
    data = json.loads(raw)
    assert data["format"] == FORMAT
    assert all(isinstance(w, int) for w in data["weights"][:1000])
    assert 0 < data["threshold"] < 1
    assert set(data["trained_on"]) == {"davidson", "hatexplain", "ghc", "implicit_hate"}


def test_the_model_loads_and_scores_with_the_network_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the learned model tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    model = LearnedModel.load(MODEL_FILE)  # a fresh read, not the cached model
    abusive, benign = model.probabilities([normalise(ABUSIVE).text, normalise(BENIGN).text])
    assert abusive > model.threshold > benign


def test_the_score_is_a_probability_and_the_batch_agrees_with_one_at_a_time() -> None:
    texts = [normalise(t).text for t in (ABUSIVE, BENIGN, "", "   ", "you", "a" * 3000, "ｗｈａｔ ａ ｍｏｒｏｎ")]
    batch = _MODEL.probabilities(texts)
    one = [_MODEL.probabilities([t])[0] for t in texts]
    assert np.allclose(batch, one)
    assert all(0.0 <= p <= 1.0 for p in batch)


def test_the_hashed_features_are_the_same_wherever_an_ngram_stands() -> None:
    f = features([model_text("you are a pig"), model_text("a pig you are")], _MODEL.bits)
    buckets, docs, _, _ = f.words
    # the four words, "you are" and "a pig" are n-grams of both texts; "are a" and "pig you" of one only
    assert len(set(buckets[docs == 0]) & set(buckets[docs == 1])) == 6


def test_the_finding_names_real_words_of_the_original_text(policy: Policy) -> None:
    v = policy.check(ABUSIVE)
    learned = [f for f in v.findings if f.rule_id == RULE]
    assert learned, v.findings
    for f in learned:
        assert f.action is Action.QUEUE
        assert f.match == ABUSIVE[f.start : f.end] and f.match.isalnum()
        assert f.match in f.explanation and "likely abusive or hateful" in f.explanation
        assert f.priority == 60


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_spans_always_point_at_words_of_the_original_text(text: str) -> None:
    detector = LearnedDetector({"threshold": 0.01}, POLICIES)
    n = normalise(text)
    hits = detector.find(CommentInput(text=text), n, None)  # type: ignore[arg-type]
    words = {n.span(s, e) for s, e in word_spans(n.text)}
    for h in hits:
        assert h.match == text[h.start : h.end]
        assert (h.start, h.end) in words or (h.start, h.end) == (0, 0)
        assert h.match.casefold() not in _MODEL.masked  # a group's name is never what raised the score
        assert 0.0 <= h.confidence <= 1.0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_the_learned_detector_never_changes_whether_a_comment_is_hidden(
    text: str, policy: Policy, without_learned: Policy
) -> None:
    with_it, without = policy.check(text), without_learned.check(text)
    assert is_hidden(with_it) == is_hidden(without)
    assert with_it.hide_now == without.hide_now
    others = tuple(f for f in with_it.findings if f.rule_id != RULE)
    assert others == without.findings
    if any(f.rule_id == RULE for f in with_it.findings) and not without.findings:
        assert with_it.action is Action.QUEUE and with_it.priority == 60


def test_a_comment_only_the_model_flags_is_queued_not_hidden(policy: Policy, without_learned: Policy) -> None:
    # Search the functional suite for cases only the model flags: each must be queued and never hidden.
    alone = 0
    for line in (REPO / "data" / "functional" / "suite.jsonl").read_text(encoding="utf-8").splitlines():
        item = CommentInput(text=json.loads(line)["text"])
        v, w = policy.evaluate(item), without_learned.evaluate(item)
        if is_flagged(v) and not is_flagged(w):
            alone += 1
            assert v.action is Action.QUEUE and not v.hide_now
            assert {f.rule_id for f in v.findings} == {RULE}
    assert alone > 0


@pytest.mark.parametrize("action", ["auto_hide", "escalate"])
def test_the_loader_refuses_a_learned_rule_that_would_hide(policy_copy: Path, action: str) -> None:
    path = policy_copy / "rules" / "learned.toml"
    text = path.read_text(encoding="utf-8").replace('action = "queue"', f'action = "{action}"')
    if action == "escalate":
        text = text.replace('severity = "medium"', 'severity = "medium"\nroute = "legal"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="may only queue"):
        load_policy(policy_copy)


def test_the_guard_still_keeps_a_negated_claim_from_being_hidden(policy: Policy) -> None:
    text = "nobody should say muslims are animals"
    v = policy.check(text)
    assert not is_hidden(v) and v.action is Action.QUEUE
    assert any(f.rule_id == RULE for f in v.findings)  # the model flags it too, and changes nothing
    assert any("counter-speech" in f.explanation for f in v.findings if f.rule_id != RULE)


def test_a_threshold_param_and_a_missing_model_file_are_checked(policy_copy: Path) -> None:
    path = policy_copy / "rules" / "learned.toml"
    base = path.read_text(encoding="utf-8")
    path.write_text(base.replace('detector = "learned"', 'detector = "learned"\nparams = { threshold = 1.5 }'))
    with pytest.raises(ConfigError, match="threshold must be a probability"):
        load_policy(policy_copy)
    path.write_text(base.replace('detector = "learned"', 'detector = "learned"\nparams = { model = "nope.json" }'))
    with pytest.raises(ConfigError, match="nope.json"):
        load_policy(policy_copy)


def test_a_retrained_model_changes_the_rule_hash(policy_copy: Path) -> None:
    before = load_policy(policy_copy).by_id[RULE].hash
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    data["bias"] += 0.5
    (policy_copy / "other.json").write_text(json.dumps(data), encoding="utf-8")
    path = policy_copy / "rules" / "learned.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'detector = "learned"', 'detector = "learned"\nparams = { model = "other.json" }'
        )
    )
    assert load_policy(policy_copy).by_id[RULE].hash != before


def test_evaluate_many_gives_the_same_verdicts_as_evaluate(policy: Policy) -> None:
    items = [CommentInput(text=t) for t in (ABUSIVE, BENIGN, ABUSIVE, "", "nobody should say muslims are animals")]
    assert policy.evaluate_many(items) == [policy.evaluate(i) for i in items]


def _trainer() -> object:
    spec = importlib.util.spec_from_file_location("train_learned", REPO / "scripts" / "train_learned.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_training_is_deterministic() -> None:
    """The fit the training command makes, twice on the same rows, gives the same stored weights."""
    trainer = _trainer()
    texts = [f"you {a} {b}" for a in ("stupid", "lovely", "rotten", "kind") for b in ("idiot", "neighbour", "moron")]
    labels = np.array([a in ("stupid", "rotten") or b != "neighbour" for a in ("stupid", "lovely", "rotten", "kind")
                       for b in ("idiot", "neighbour", "moron")], dtype=np.int8)  # fmt: skip
    runs = [trainer.fit_and_store(trainer.matrix(texts), labels, np.ones(len(texts)), 1.0) for _ in range(2)]  # type: ignore[attr-defined]
    assert runs[0][0].tolist() == runs[1][0].tolist() and runs[0][1] == runs[1][1]
    assert len(runs[0][0]) > 0


@settings(max_examples=100, deadline=None)
@given(batch=st.lists(TEXTS, min_size=1, max_size=6))
def test_the_batched_scorer_agrees_with_the_training_features(batch: list[str]) -> None:
    """``score`` (the fast path) sums the same n-grams as ``features`` (what training reads), and names the words
    a slow word-by-word reading of the same sum ranks highest."""
    folded = [normalise(t).text for t in batch]
    scored = _MODEL.score(folded, 0.0, 3)
    reference = _MODEL.calibrate(_MODEL.logits([model_text(t, _MODEL.masked) for t in folded]))
    assert np.allclose([p for p, _ in scored], reference, atol=1e-9)
    for text, (_, named) in zip(folded, scored, strict=True):
        words = word_spans(text, masked=_MODEL.masked)
        assert all(0 <= i < len(words) for i in named)
        assert len(set(named)) == len(named)
        gains = _slow_gains(text)
        assert [gains[i] for i in named] == sorted((gains[i] for i in named), reverse=True)
        assert all(gains[i] > 0 and gains[i] >= SHARE * max(gains) - 1e-9 for i in named)
        best = sorted((g for g in gains if g > 0), reverse=True)[: len(named)]
        assert np.allclose(sorted((gains[i] for i in named), reverse=True), best)


def _slow_gains(folded: str) -> list[float]:
    """Each word's share of the logit, read n-gram by n-gram from ``features``."""
    words = word_spans(folded, masked=_MODEL.masked)
    text = model_text(folded, _MODEL.masked)
    f = features([text], _MODEL.bits)
    w_scale, c_scale = scales(f)
    gains = [0.0] * len(words)

    def slot(pos: int) -> int:
        return min(text[: pos + 1].count(" ") - 1, len(words) - 1)

    for b, s, e in zip(f.words[0], f.words[2], f.words[3], strict=True):
        share = _MODEL.weights[b] * w_scale[0]
        first, last = slot(int(s)), slot(int(e) - 1)
        if first == last:
            gains[first] += share
        else:
            gains[first] += share / 2
            gains[last] += share / 2
    for b, s in zip(f.chars[0], f.chars[2], strict=True):
        if words:
            gains[slot(int(s))] += _MODEL.weights[b] * c_scale[0]
    return gains


@settings(max_examples=150, deadline=None)
@given(text=TEXTS)
def test_the_finding_never_names_a_function_word(text: str) -> None:
    detector = LearnedDetector({"threshold": 0.01}, POLICIES)
    n = normalise(text)
    for h in detector.find(CommentInput(text=text), n, None):  # type: ignore[arg-type]
        assert normalise(h.match).text not in FUNCTION_WORDS
        assert len(h.explanation.split("raised most by")[-1].split(",")) <= detector.top


def test_a_score_raised_by_a_word_the_policy_calls_innocent_is_not_a_finding() -> None:
    # "Scunthorpe" holds a swear word; the allowed list says it is a town. The model reads character n-grams, so
    # a score it raises must not become a finding. Shown with a word the model names for an abusive comment.
    text = "you are a worthless piece of shit"
    n = normalise(text)
    hits = LearnedDetector({}, POLICIES).find(CommentInput(text=text), n, None)  # type: ignore[arg-type]
    assert hits and hits[0].match
    guarded = LearnedDetector({}, POLICIES)
    guarded.allow([hits[0].match.lower()])
    assert guarded.find(CommentInput(text=text), n, None) == []  # type: ignore[arg-type]
