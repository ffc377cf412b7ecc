"""Threats of violence read by their grammar (clause 3): who means it, what act, against whom.

A threat needs three parts, each from a list comms and legal staff can edit (``policies/lexicons/threats/``):

* a **violent act**: a verb ("I will *stab* you"), a past participle ("they should be *hanged*"), an intransitive
  harm ("I hope you *die*") or "death to";
* for a **veiled act** ("bring a gun to the office"), which anyone may talk about lawfully, the writer's own intent,
  a call or an imperative;
* a **target** where the grammar puts the person: a person ("you", "him", "your family"), the department's staff,
  the Minister, a listed person (``accounts.toml``), a protected group (``lexicons/groups/``) or, for acts of
  destruction, a building;
* a **form** that makes it meant rather than reported: first-person intent ("I'll", "we're going to", "imma"),
  a call ("someone should", "let's", "time to"), an imperative at the start of a sentence, a wish ("I hope
  [target] gets ..."), a normative claim ("[target] deserve to be ...", "[target] should hang"), a future
  ("you will be ..."), or "death to [target]".

Words for things are not targets, so figures of speech drop out by themselves ("I'll kill it at the fun run",
"kill the bill", "shoot me an email"); what may follow a verb and its person in a figure of speech ("kill them
with kindness", "smash them at the election", "hit you up later") is listed in ``idiom_tails.txt``.

Each finding is *clear* or not. Clear: an act from the clear lists, a form that states intent or a call, and a
target that is certainly a person or group. Figurative verbs ("smash", "beat"), hedged modals ("I could"),
third-person and second-person futures ("he'll", "you will be"), "them"/"they" as the only target, and
quoted or reported text are not clear. A rule takes one or the other (``clear = true`` hides, ``false`` queues),
and the explanation says who is targeted.

The text is read in the folded view and, when it looks evasive, in the skeleton too (``k1ll``, ``s.h.o.o.t``).
"""

from __future__ import annotations

import hashlib
import tomllib
from typing import Any

from moderation.domain import CommentInput

from ..model import Hit
from ..normalise import Normalised
from . import Context, Detector, register
from .lexicon import group_members, groups_folder, read_terms
from .threat_engine import Engine
from .threat_words import FORM_WORDS


@register
class ThreatDetector(Detector):
    """``clear = true``: only clear threats (for a hiding rule); ``false``: only the rest (for a queueing rule)."""

    name = "threat"
    params_spec = {"lexicons": str, "groups": str, "accounts_file": str, "clear": bool, "slurs": list}
    required_params = frozenset({"lexicons", "groups", "clear"})

    def __init__(self, params: dict[str, Any], base: Any) -> None:
        super().__init__(params, base)
        self.clear = params["clear"]
        self.engine = _engine(self, params)
        self.prefilter_terms = self.engine.prefilter
        self.vocabulary = self.engine.vocabulary  # words whose evasive spellings the pipeline reads (variants.py)

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:
        want = self.clear
        out = []
        for t in self.engine.threats(n):
            if t.clear is want:
                explanation = f"threat of violence against {t.who} ({FORM_WORDS[t.form]})"
                if not want:
                    explanation += ": a moderator decides"
                out.append(Hit(t.start, t.end, n.original[t.start : t.end], 1.0 if want else 0.7, explanation))
        return out


_ENGINES: dict[str, Engine] = {}


def _engine(det: Detector, params: dict[str, Any]) -> Engine:
    """One engine per distinct set of lists, shared by the clear and the unclear rule (so a comment is read
    once: the engine keeps its last answer)."""
    folder = params["lexicons"].rstrip("/")
    lists = {
        name: read_terms(det, f"{folder}/{name}.txt")
        for name in (
            "verbs", "verbs_unclear", "participles", "participles_unclear", "dying", "targets", "minister",
            "staff", "places", "idiom_tails", "veiled", "veiled_acts",
        )
    }  # fmt: skip
    groups = groups_folder(det, params["groups"])
    # One member named with an article is a target for a threat ("I will kill a Muslim", "shoot the next
    # refugee"), though not a generalisation for the hate rules ("a Muslim is ..." is not about them all).
    members = group_members(groups)
    groups += [(f"{'an' if one[0] in 'aeiou' else 'a'} {one}", kind) for one, kind in members]
    groups += [(f"the next {one}", kind) for one, kind in members]
    # A group named by a slur is a target like any other ("someone should shoot every [slur]"); the explanation
    # never repeats the slur.
    for file in params.get("slurs", []):
        for term in read_terms(det, file):
            word = term.rstrip("*")
            if " " in word or len(word) < 4:
                continue
            forms = {word} if word.endswith("s") else {word, word + "s"}
            groups += [(f, "slur") for f in forms]
            groups += [(f"{each} {word}", "slur") for each in ("every", "each", "any", "every single")]
    people: list[tuple[str, str]] = []
    if "accounts_file" in params:
        data = tomllib.loads(det.read(params["accounts_file"]))
        for p in data.get("person", []):
            role = str(p.get("role", ""))
            label = f"{p['name']} ({role})" if role else p["name"]
            names = [p["name"], *p.get("aliases", [])]
            last = p["name"].split()[-1]
            if len(last) >= 5:
                names.append(last)
            for name in names:
                people.append((" ".join(name.lower().split()), f"named:{label}"))
    key = hashlib.sha256(det.content().encode()).hexdigest()
    engine = _ENGINES.get(key)
    if engine is None:
        engine = _ENGINES[key] = Engine(lists, groups, people)
    return engine
