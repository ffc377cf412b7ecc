"""The learned detector: a small trained model's probability that a comment is abusive or hateful.

It catches what no word list or grammar names (hate without a listed word, insults in a new shape) and only ever
queues: a hide needs a rule a person can read, so the loader refuses a rule that lets this detector hide or
escalate (``queue_only``). Its finding names the words that raised the score most, as spans of the original text,
so a moderator sees why it was raised.

Params: ``threshold`` (the probability from which it fires; default: the one chosen on held-out data when the model
was trained, stored in the model file), ``model`` (a model file relative to the policy directory; default: the
one shipped in the package, ``moderation/rules/learned_model.json``), ``top`` (how many words to name, 1-5).

``prime`` scores a batch of comments in one pass; ``find`` then reads the batch's score instead of scoring the
comment alone (``Policy.evaluate_many`` does this).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from moderation.domain import CommentInput

from ..learned import MODEL_FILE, load_model, word_spans
from ..model import Hit
from ..normalise import Normalised
from . import Context, Detector, register

PRIMED_MAX = 20_000  # scores kept from the last batch
# Words never named as what raised the score: their share comes from the n-grams they stand beside, and "raised
# most by 'the'" tells a moderator nothing.
FUNCTION_WORDS = frozenset(
    "a an the is are was were be been am this that these those to of and or in on at for it its with as by from "
    "t s d ll m re ve".split()
)
SPARE = 3  # words asked of the model beyond ``top``, for the function words left out


@register
class LearnedDetector(Detector):
    name = "learned"
    params_spec = {"threshold": float, "model": str, "top": int}
    queue_only = True

    def __init__(self, params: dict[str, Any], base: Path) -> None:
        super().__init__(params, base)
        path = MODEL_FILE
        if "model" in params:
            path = base / params["model"]
            if not path.is_file():
                raise ValueError(f"model file {params['model']!r} not found in {base}")
        self.model = load_model(path)
        self.threshold = float(params.get("threshold", self.model.threshold))
        if not 0.0 < self.threshold < 1.0:
            raise ValueError("threshold must be a probability between 0 and 1 (exclusive)")
        self.top = int(params.get("top", 3))
        if not 1 <= self.top <= 5:
            raise ValueError("top must be 1-5")
        self.allowed: frozenset[str] = frozenset()
        self.allowed_prefixes: tuple[str, ...] = ()
        # The rule's hash follows the model: a retrained model is a changed rule.
        self._content = f"\n--learned model sha256:{self.model.digest} threshold:{self.threshold}--\n"
        self._primed: dict[str, tuple[float, tuple[int, ...]]] = {}

    def allow(self, terms: Sequence[str]) -> None:
        """A score raised by a word the policy lists as innocent is not a finding: the model reads character
        n-grams, and the letters inside such a word are what the list exists to ignore."""
        words = [t for t in terms if " " not in t]
        self.allowed = frozenset(t for t in words if not t.endswith("*"))
        self.allowed_prefixes = tuple(t[:-1] for t in words if t.endswith("*"))

    def prime(self, folded: Sequence[str]) -> None:
        """Score a batch of folded texts at once; ``find`` reads these scores."""
        if len(self._primed) + len(folded) > PRIMED_MAX:
            self._primed.clear()
        if folded:
            self._primed.update(zip(folded, self.model.score(folded, self.threshold, self.top + SPARE), strict=True))

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:
        scored = self._primed.get(n.text)
        if scored is None:
            scored = self.model.score([n.text], self.threshold, self.top + SPARE)[0]
        # Rounded: a batch and a lone comment sum in different orders, and must give the same verdict.
        p, raised = round(scored[0], 6), scored[1]
        if p < self.threshold:
            return []
        words = word_spans(n.text, max(raised) + 1, self.model.masked) if raised else []
        named_words = [i for i in raised if n.text[words[i][0] : words[i][1]] not in FUNCTION_WORDS][: self.top]
        if self.allowed or self.allowed_prefixes:
            texts = [n.text[words[i][0] : words[i][1]] for i in named_words]
            if any(w in self.allowed or w.startswith(self.allowed_prefixes) for w in texts):
                return []
        if not named_words:
            return [Hit(0, 0, "", p, f"learned model: {p:.0%} likely abusive or hateful (a person decides)")]
        spans = [n.span(*words[i]) for i in named_words]
        named = ", ".join(repr(n.original[s:e]) for s, e in spans)
        explanation = f"learned model: {p:.0%} likely abusive or hateful; raised most by {named} (a person decides)"
        return [Hit(s, e, n.original[s:e], p, explanation) for s, e in spans]
