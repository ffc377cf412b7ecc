"""The context guard: matches that software must not hide on its own, because of what surrounds them.

A slur in "he called me a [slur] and I reported it", a dehumanising claim in "nobody should say [group] are
[noun]", "don't ever kill yourself", a "faggot" in a recipe for faggots and peas, "we got to f*** off early": the
detectors find the words, and the words alone would hide the comment. The policy says a person judges quotation,
reports of abuse, counter-speech, questions about a word, self-reference and reclaimed use, homonyms, supportive
or help-seeking text about self-harm, and profanity not aimed at anyone. The guard runs after detection, over every
detector's findings that would hide a comment at once, and turns each one whose context carries such a cue into a
queued finding, with the cue's reason in the explanation ("quoted or reported: a person decides") and, for
self-harm, a priority high enough to reach a person first. A cue marked ``dismiss`` names an idiom that only looks
like a finding ("you'll kill yourself laughing"): the finding is dropped instead of queued.

The cues are data: ``policies/guard.toml`` (comms and legal staff edit it like the word lists; ``guard_file.py``
validates it and ``modq policy check`` runs its examples). A cue is a list of phrases looked for in the same
sentence as the match, within a few words before it (``before``) or after it (``after``), or the match standing
inside quotation marks, or the sentence being a question; a homonym lists the innocent senses' words.

A dismissing cue with ``before`` phrases names a denial ("Muslims are not stupid", "you're not an idiot for
asking"): the denied word is no finding, whatever its rule's action, when the phrase ends right where the word starts.

Only findings whose action is ``auto_hide`` and whose clause the guard covers are reviewed, and the findings of the
rules a denial cue names, so comments no such rule finds cost nothing here; a guarded finding never becomes a
hide, and a finding without a cue is untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from moderation.domain import Action, Finding

from .normalise import Normalised

_SENTENCE_END = re.compile(r"[.!?;\n]+(?=\s|$)|[!?;\n]")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


@dataclass(frozen=True)
class Cue:
    """One kind of context that keeps a match from being hidden by software."""

    name: str
    reason: str
    before: re.Pattern[str] | None = None
    after: re.Pattern[str] | None = None
    quotes: bool = False
    question: bool = False
    rules: tuple[str, ...] = ()  # rule ids or "prefix." groups it applies to (empty: every rule)
    except_rules: tuple[str, ...] = ()
    priority: int = 0  # the guarded finding's priority is raised to at least this
    senses: re.Pattern[str] | None = None  # homonyms: innocent senses' words near the match
    words: re.Pattern[str] | None = None  # the listed words or phrases the match must contain (None: any)
    window: int = 0  # words either side searched for cues (0: the guard's window)
    dismiss: bool = False  # an idiom ("kill yourself laughing"): the finding is dropped, not queued
    # A dismissing cue's `before` phrases, read only when one ends right where the match starts ("not | stupid");
    # its `after` phrases then name what keeps the word said all the same ("not a coward | like you").
    before_at_once: re.Pattern[str] | None = None
    next_sentence: bool = False  # `after` may also be in the next sentence ("Kill yourself? No way, get help")
    examples: tuple[tuple[str, bool, int], ...] = ()  # (text, guarded?, line)
    line: int = 0

    def applies_to(self, rule_id: str) -> bool:
        if any(_rule_in(rule_id, r) for r in self.except_rules):
            return False
        return not self.rules or any(_rule_in(rule_id, r) for r in self.rules)


def _rule_in(rule_id: str, pattern: str) -> bool:
    return rule_id == pattern or (pattern.endswith(".") and rule_id.startswith(pattern))


@dataclass
class Guard:
    """The loaded cues. ``review`` is called by the pipeline with the findings of one comment."""

    clauses: frozenset[str]
    window: int
    cues: list[Cue]
    source: str = ""
    content: str = field(default="", repr=False)
    held_by: frozenset[str] = frozenset()  # rules whose finding keeps every other one from hiding the comment
    # The cues that apply to each rule id, in order, worked out the first time a rule's finding is reviewed.
    _applicable: dict[str, list[Cue]] = field(default_factory=dict, repr=False, compare=False)
    # Whether a denial cue names each rule id, worked out the first time the rule's finding is seen.
    _denied: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    def review(self, n: Normalised, findings: list[Finding]) -> list[Finding] | None:
        """The findings with every guarded hide turned into a queued finding; None when nothing changed."""
        out: list[Finding] | None = None
        ctx: _Context | None = None
        dropped: set[int] = set()
        holder = None
        if self.held_by:
            holder = next((f.rule_id for f in findings if any(_rule_in(f.rule_id, r) for r in self.held_by)), None)
        for i, f in enumerate(findings):
            if f.action is not Action.AUTO_HIDE or f.clause not in self.clauses:
                if self.denies(f.rule_id):  # "not stupid": a denied insult is no finding at all
                    if ctx is None:
                        ctx = _Context(n)
                    if self.dismissed_before(ctx, f):
                        out = list(findings) if out is None else out
                        dropped.add(i)
                continue
            if ctx is None:
                ctx = _Context(n)
            hit = self.cue_for(ctx, f)
            if hit is None and holder is not None:
                hit = Cue(name="held", reason=f"{holder} also found: a person decides", priority=0)
            if hit is None:
                continue
            if out is None:
                out = list(findings)
            if hit.dismiss:
                dropped.add(i)
                continue
            out[i] = f._replace(
                action=Action.QUEUE,
                explanation=f"{f.explanation}; {hit.reason}" if f.explanation else hit.reason,
                priority=max(f.priority, hit.priority),
            )
        if out is not None and dropped:
            out = [f for i, f in enumerate(out) if i not in dropped]
        return out

    def reads(self, findings: list[Finding]) -> bool:
        """Whether ``review`` could change these findings: one would hide the comment, or one is of a rule a
        denial cue names."""
        return any(f.action is Action.AUTO_HIDE or self.denies(f.rule_id) for f in findings)

    def denies(self, rule_id: str) -> bool:
        """Whether a denial cue (a dismissing cue with `before` phrases) names the rule: its findings are reviewed
        whatever their action (a queued insult that is denied, "you're not stupid", is dropped)."""
        known = self._denied.get(rule_id)
        if known is None:
            known = self._denied[rule_id] = any(
                c.before_at_once is not None and c.applies_to(rule_id) for c in self.cues
            )
        return known

    def dismissed_before(self, ctx: _Context, f: Finding) -> bool:
        """Whether a dismissing cue's `before` phrase ends right where finding ``f`` starts."""
        start, end = ctx.folded(f.start), ctx.folded(f.end)
        head, rest = ctx.text[max(0, start - 40) : start], ctx.text[end : end + 40].lstrip(" ")
        return any(
            c.before_at_once is not None
            and c.applies_to(f.rule_id)
            and c.before_at_once.search(head) is not None
            and (c.after is None or c.after.match(rest) is None)  # "not a coward like you" is still said
            for c in self.cues
        )

    def cue_for(self, ctx: _Context, f: Finding) -> Cue | None:
        """The first cue whose context surrounds finding ``f`` (original offsets), or None."""
        start, end = ctx.folded(f.start), ctx.folded(f.end)
        before, after, sentence = ctx.around(start, end, self.window)
        cues = self._applicable.get(f.rule_id)
        if cues is None:
            cues = self._applicable[f.rule_id] = [cue for cue in self.cues if cue.applies_to(f.rule_id)]
        for cue in cues:
            if cue.words is not None:
                matched = ctx.text[start:end]
                # In the canonical view the match's words are read as the listed ones ("fck off" is "fuck off").
                if cue.words.search(matched) is None and cue.words.search(" ".join(ctx.canonical_words(f))) is None:
                    continue
            b_, a_ = before, after
            if cue.window:  # a narrower window before the match ("don't ever | kill yourself"); after, the usual
                b_ = ctx.around(start, end, cue.window)[0]
            if cue.senses is not None:  # a homonym: the innocent sense's words near the match
                if cue.senses.search(b_) is not None or cue.senses.search(a_) is not None:
                    return cue
                continue
            if cue.dismiss:  # an idiom reads on at once, with nothing but spaces between: "kill yourself laughing"
                if cue.before_at_once is not None and cue.before_at_once.search(ctx.text[max(0, start - 40) : start]):
                    return cue
                rest = ctx.text[end : end + 80]
                if cue.after is not None and rest[:1] == " " and cue.after.match(rest.lstrip(" ")) is not None:
                    return cue
                continue
            if cue.question and not sentence.rstrip().endswith("?"):
                continue  # a question cue: the sentence must ask, and a phrase must say about what
            if cue.before is not None and cue.before.search(b_) is not None:
                return cue
            if cue.after is not None and cue.after.search(a_) is not None:
                return cue
            if cue.next_sentence and cue.after is not None and cue.after.search(ctx.next_words(end)) is not None:
                return cue
            if cue.quotes and ctx.quoted(start, end):
                return cue
        return None


class _Context:
    """The folded text of one comment and where its sentences and quotations are, worked out once."""

    def __init__(self, n: Normalised) -> None:
        self.n = n
        self.text = n.text
        self._quotes: list[tuple[int, int]] | None = None

    def folded(self, original: int) -> int:
        """The folded text's offset for an original offset."""
        starts = self.n.starts
        if starts is None:
            return original
        import bisect

        return bisect.bisect_left(starts, original)

    def around(self, start: int, end: int, window: int) -> tuple[str, str, str]:
        """Up to ``window`` words before and after ``[start, end)`` in the same sentence, and the sentence."""
        t = self.text
        s0 = 0
        for m in _SENTENCE_END.finditer(t, 0, start):
            s0 = m.end()
        m2 = _SENTENCE_END.search(t, end)
        s1 = m2.end() if m2 is not None else len(t)
        before_words = _WORD.findall(t, s0, start)[-window:]
        after_words = _WORD.findall(t, end, s1)[:window]
        return " ".join(before_words), " ".join(after_words), t[s0:s1]

    def next_words(self, end: int) -> str:
        """The words after ``end`` to the end of the sentence after the match's."""
        found = list(islice(_SENTENCE_END.finditer(self.text, end), 2))
        stop = found[1].end() if len(found) == 2 else len(self.text)
        return " ".join(_WORD.findall(self.text, end, stop))

    def quoted(self, start: int, end: int) -> bool:
        if self._quotes is None:
            self._quotes = _quoted_spans(self.text)
        return any(a <= start and end <= b for a, b in self._quotes)

    def canonical_words(self, f: Finding) -> list[str]:
        canon = self.n.canonical
        if canon is None:
            return []
        out = []
        for m in _WORD.finditer(canon.text):
            s, e = canon.span(*m.span())
            if s < f.end and f.start < e:
                out.append(m.group())
        return out


_DOUBLE = re.compile(r'"[^"\n]{1,400}"|«[^»\n]{1,400}»')
_SINGLE = re.compile(r"(?<![^\s(\[:])'[^\n]{1,400}?(?<![\s])'(?![^\W_])")


# A quoted post that opens with its author's handle ('"@name: ...') is a retweet: the poster repeats it to their
# own audience, which is publishing it again, not reporting it.
_RETWEET = re.compile(r"""["«']\s*(?:rt\s+)?@[^\W]+\s*:""")


def _quoted_spans(t: str) -> list[tuple[int, int]]:
    """Spans between quotation marks (typographic quotes are already folded to plain ones), except retweets."""
    spans = [m.span() for m in _DOUBLE.finditer(t)]
    spans.extend(m.span() for m in _SINGLE.finditer(t))
    return [(a, b) for a, b in spans if _RETWEET.match(t, a) is None]
