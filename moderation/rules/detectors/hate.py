"""Identity-directed hate without slurs (clause 2): a protected group crossed with what is said of it.

The groups are the register in ``policies/lexicons/groups/`` (one list per protected attribute, nouns and
adjective + "people" forms, Australian usage). What is said of them comes from lists in
``policies/lexicons/hate/``, each a *kind* a rule can report:

* ``dehumanising``: "[group] are vermin / like animals / a plague", "[group] breed like rats",
  "[group] don't deserve to live";
* ``expulsion``: "[group] should be deported / don't belong here / go back where they came from", and calls
  before the group ("deport all the [group]", "no more [group]");
* ``hatred``: "I hate / can't stand / am sick of [group]";
* ``attribute``: generalised negative claims, "[group] are criminals / all lazy", "[group] steal our jobs";
* ``rights``: denial of rights, "[group] shouldn't be allowed to vote", "[group] don't deserve welfare", and work,
  a home or a service refused by the writer, "I'd never hire a woman", "we won't rent to [group]";
* members called by a word after the group's ("Muslim scum", "refugee parasites": ``called.txt``), dehumanising
  when the word is in the dehumanising list, otherwise an ``attribute``;
* ``attribute`` also takes a group judged through one member, "typical Muslim behaviour", "Typical woman!", and a
  generalisation after a pronoun, "[group], they're all liars".

A claim about some of a group ("not all", "some", "a few"), a negated one ("[group] are not criminals"), a
group word used as an adjective for a thing ("I hate Chinese food") and a group named only in passing do not
fire. A finding is *clear* when it dehumanises a named group in the writer's own voice; quoted, reported,
negated or questioning text, "those people" without a group, and every other kind are for a person, so a
rule takes ``clear = true`` (hide) or ``false`` (queue). The explanation names the group and the attribute
the policy protects.
"""

from __future__ import annotations

import hashlib
from typing import Any

from moderation.domain import CommentInput

from ..model import Hit
from ..normalise import Normalised
from . import Context, Detector, register
from .hate_engine import HateEngine
from .hate_words import KIND_WORDS
from .lexicon import groups_folder, read_terms

KINDS = ("dehumanising", "expulsion", "hatred", "attribute", "rights")


@register
class IdentityHateDetector(Detector):
    """``kinds``: comma-separated kinds this rule reports; ``clear``: only clear ones (true) or the rest."""

    name = "identity_hate"
    params_spec = {"lexicons": str, "groups": str, "kinds": str, "clear": bool}
    required_params = frozenset({"lexicons", "groups", "kinds", "clear"})

    def __init__(self, params: dict[str, Any], base: Any) -> None:
        super().__init__(params, base)
        kinds = {k.strip() for k in params["kinds"].split(",") if k.strip()}
        unknown = kinds - set(KINDS)
        if not kinds or unknown:
            raise ValueError(f"identity_hate kinds must be some of {', '.join(KINDS)}; not {sorted(unknown)}")
        self.kinds = frozenset(kinds)
        self.clear = params["clear"]
        self.engine = _engine(self, params)
        self.prefilter_terms = self.engine.prefilter
        self.vocabulary = self.engine.vocabulary  # words whose evasive spellings the pipeline reads (variants.py)
        self.masked_vocabulary = self.engine.masked  # ... and words it reads with a vowel masked ("v*rmin")

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:
        out = []
        for f in self.engine.findings(n):
            if f.kind in self.kinds and f.clear is self.clear:
                explanation = f"{KIND_WORDS[f.kind]} about {f.who}"
                if not self.clear:
                    explanation += ": a moderator decides"
                out.append(Hit(f.start, f.end, n.original[f.start : f.end], 1.0 if f.clear else 0.7, explanation))
        return out


_ENGINES: dict[str, HateEngine] = {}


def _engine(det: Detector, params: dict[str, Any]) -> HateEngine:
    folder = params["lexicons"].rstrip("/")
    lists = {
        name: read_terms(det, f"{folder}/{name}.txt")
        for name in (
            "dehumanising", "dehumanising_acts", "attributes", "behaviours", "expulsion", "expulsion_calls",
            "hatred", "rights", "stereotypes", "refusals", "called", "virtues",
        )
    }  # fmt: skip
    groups = groups_folder(det, params["groups"])
    # The words a group adjective is followed by ("Muslim *people*"), as the register's own helper list has them.
    heads_file = f"{params['groups'].rstrip('/')}/_people.txt"
    heads = frozenset(read_terms(det, heads_file)) if (det.base / heads_file).is_file() else frozenset()
    key = hashlib.sha256(det.content().encode()).hexdigest()
    engine = _ENGINES.get(key)
    if engine is None:
        engine = _ENGINES[key] = HateEngine(lists, groups, heads)
    return engine
