"""The fast pipeline and the plain reference evaluator give the same verdict for every comment.

``Policy.evaluate`` shares work between rules (one automaton pass, gates, short cuts); ``reference.evaluate`` looks
for every word of every rule on its own and builds everything by name. They are compared verdict for verdict
(action, priority, route, hide-now, and every finding whole: rule, clause, span, match, confidence, explanation)
on comments generated from the policy's own words, their evasive spellings, the guard's cues and random text,
and on every rule example and every comment of the functional suite.
"""

from __future__ import annotations

import json
import re
import tomllib
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.domain import CommentInput, Finding, Verdict
from moderation.rules import Policy, load_policy, reference
from moderation.rules.model import positional_builder
from moderation.rules.scan import masked_spellings

from .support import DEMO_ORDER, DURING, POLICIES, REPO

_POLICY = load_policy(POLICIES)


def _pool(policy: Policy) -> list[str]:
    """The words the policy listens for: word-list terms, prefilter and detector words, allowed names."""
    words: set[str] = set()
    for rule, compiled in zip(policy.rules, policy.compiled, strict=True):
        words.update(t.rstrip("*") for t in rule.terms)
        words.update(rule.prefilter)
        words.update(getattr(compiled, "prefilter_terms", ()))
        words.update(getattr(compiled, "vocabulary", ()))
    words.update(t.rstrip("*") for t in policy.meta["allow_terms"])
    return sorted(w.strip() for w in words if w.strip())


def _expand(phrase: str, pick: int) -> str:
    """A guard phrase with each "{a|b}" choice made (the first or the last option) and "*" endings dropped."""
    return re.sub(r"\{([^}]*)\}", lambda m: m.group(1).split("|")[pick], phrase).replace("*", "").strip()


def _cue_phrases() -> list[str]:
    data = tomllib.loads((POLICIES / "guard.toml").read_text(encoding="utf-8"))
    phrases: set[str] = set()
    for entry in [*data.get("cue", []), *data.get("homonym", [])]:
        for key in ("before", "after", "words", "senses"):
            value = entry.get(key, [])
            for phrase in [value] if isinstance(value, str) else value:
                phrases.update(_expand(phrase, pick) for pick in (0, -1))
    return sorted(p for p in phrases if p)


WORDS = _pool(_POLICY)
SPELLINGS = sorted(_POLICY.variants.keys)  # evasive spellings worked out from the policy's words
CUES = _cue_phrases()
FILLER = [
    "you", "are", "a", "the", "I", "will", "kill", "all", "those", "Minister", "Carraway", "Jordan Mills",
    "0412 345 678", "123 456 782", "jo.bloggs@example.com", "http://bit.ly/x1", "www.example.com/a", "@resident_1",
    "#auspol", '"', "'", "?", "!", ".", ",", "lol", "not", "said", "called me", "don't", "faggots and peas",
]  # fmt: skip
LEET = str.maketrans("aeiost", "431057")
LOOKALIKE = str.maketrans("aeopcx", "аеорсх")  # Cyrillic letters that look Latin


def _evade(word: str, how: int) -> str:
    """One of the evasions writers use on ``word``."""
    letters = word.replace(" ", "")
    return [
        word,
        word.upper(),
        word.translate(LEET),
        ".".join(letters),
        " ".join(letters),
        "-".join(letters),
        re.sub(r"([aeiou])", r"\1\1\1", word, count=1),
        (masked_spellings(word) or [word])[0],
        word.translate(LOOKALIKE),
        "\u200b".join(letters[:3]) + letters[3:],
        word[:1] + word[1:2] * 2 + word[2:],
        "#" + letters,
        "@" + letters,
        f'"{word}"',
        letters + "s",
        word.replace(" ", ""),
    ][how % 16]


word = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(SPELLINGS),
    st.sampled_from(CUES),
    st.sampled_from(FILLER),
)
token = st.one_of(
    st.builds(_evade, word, st.integers(0, 15)),
    word,
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
)
glue = st.sampled_from([" ", " ", " ", ", ", ". ", "! ", "? ", "\n", "  ", "", " - "])
comment = st.lists(st.tuples(token, glue), min_size=1, max_size=9).map(lambda parts: "".join(t + g for t, g in parts))
RULE_IDS = [r.id for r in _POLICY.rules]


def assert_same(policy: Policy, item: CommentInput, **kwargs: object) -> Verdict:
    fast = policy.evaluate(item, **kwargs)  # type: ignore[arg-type]
    plain = reference.evaluate(policy, item, **kwargs)  # type: ignore[arg-type]
    assert fast == plain, f"{item.text!r}\n fast:      {fast}\n reference: {plain}"
    return fast


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    text=comment,
    reply=st.booleans(),
    author=st.sampled_from(["", "Jordan Mills", "Helen Carraway", "resident_9"]),
    repeats=st.integers(0, 3),
    with_orders=st.booleans(),
    override=st.one_of(st.none(), st.tuples(st.sampled_from(RULE_IDS), st.sampled_from(["shadow", "queue_only"]))),
)
def test_generated_comments_get_the_same_verdict(
    text: str, reply: bool, author: str, repeats: int, with_orders: bool, override: tuple[str, str] | None
) -> None:
    item = CommentInput(text=text, is_reply=reply, author_name=author, author_handle=author, repeat_count=repeats)
    orders = [DEMO_ORDER] if with_orders else []
    assert_same(_POLICY, item, orders=orders, now=DURING, overrides=dict([override]) if override else None)


def test_every_rule_example_gets_the_same_verdict() -> None:
    items = [ex.item for rule in _POLICY.rules for ex in rule.examples]
    flagged = sum(bool(assert_same(_POLICY, item, orders=[DEMO_ORDER], now=DURING).findings) for item in items)
    assert flagged > len(items) // 3  # the comparison covers real findings, not only clean comments


SUITE = [json.loads(line)["text"] for line in (REPO / "data" / "functional" / "suite.jsonl").open(encoding="utf-8")]
CHUNKS = 8


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_the_functional_suite_gets_the_same_verdicts(chunk: int) -> None:
    texts = SUITE[chunk::CHUNKS]
    flagged = sum(bool(assert_same(_POLICY, CommentInput(text=t, platform="x")).findings) for t in texts)
    assert flagged > len(texts) // 4


def test_a_comment_too_long_to_check_gets_the_same_verdict() -> None:
    text = ("I will find Jordan Mills, you faggot. " * 300) + " Jordan Mills lives at 4 High St."
    verdict = assert_same(_POLICY, CommentInput(text=text), orders=[DEMO_ORDER], now=DURING)
    assert verdict.findings and any(f.rule_id == "policy.too_long" for f in verdict.findings)


def test_both_refuse_the_same_bad_arguments() -> None:
    item = CommentInput(text="hello")
    for evaluate in (_POLICY.evaluate, lambda i, **k: reference.evaluate(_POLICY, i, **k)):
        with pytest.raises(ValueError, match="'now' is required"):
            evaluate(item, orders=[DEMO_ORDER])
        with pytest.raises(ValueError, match="must be one of"):
            evaluate(item, overrides={"threat.grammar": "off"})


def test_a_builder_refuses_fields_it_does_not_name() -> None:
    class Pair(NamedTuple):
        first: int
        second: int

    assert positional_builder(Pair, ("first", "second"))((1, 2)).second == 2
    with pytest.raises(TypeError, match="update the builder"):
        positional_builder(Pair, ("second", "first"))
    assert positional_builder(Finding, Finding._fields)  # the pipeline's own builders match today's fields
