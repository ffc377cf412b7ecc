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

The cues are data: ``policies/guard.toml`` (comms and legal staff edit it like the word lists; the loader
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
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from moderation.domain import Action, ConfigError, Finding

from .normalise import Normalised, normalise

GUARD_FILE = "guard.toml"
_CUE_KEYS = {
    "name", "reason", "before", "after", "quotes", "question", "rules", "except_rules", "priority", "examples",
    "words", "window", "dismiss", "next_sentence",
}  # fmt: skip
_HOMONYM_KEYS = {"words", "senses", "reason", "examples", "except_rules"}
_EXAMPLE_KEYS = {"guarded", "not_guarded"}
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
    _dismissible: frozenset[str] | None = field(default=None, repr=False, compare=False)

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
                if f.rule_id in self.dismissible:  # "not stupid": a denied insult is no finding at all
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

    @property
    def dismissible(self) -> frozenset[str]:
        """The rules named by a dismissing cue with `before` phrases: their findings are reviewed whatever
        their action (a queued insult that is denied, "you're not stupid", is dropped)."""
        if self._dismissible is None:
            self._dismissible = frozenset(r for c in self.cues if c.before_at_once is not None for r in c.rules)
        return self._dismissible

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


# ---------------------------------------------------------------------------------------------- loading
def _phrases(values: Any, where: str, key: str) -> list[str]:
    from .word_lists import expand

    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise ConfigError(f"{where}: {key} must be a list of non-empty strings")
    out: list[str] = []
    for v in values:
        try:
            out.extend(expand(v))
        except ValueError as exc:
            raise ConfigError(f"{where}: {key}: {exc}") from exc
    return [" ".join(normalise(p).text.split()) for p in out]


def _alternation(phrases: Sequence[str]) -> re.Pattern[str]:
    """Whole-word alternation; a phrase ending in "*" allows any ending."""
    parts = []
    for p in sorted(set(phrases), key=len, reverse=True):
        body = re.escape(p.rstrip("*"))
        parts.append(body + (r"[^\W_]*" if p.endswith("*") else ""))
    return re.compile(r"(?<![^\W_])(?:" + "|".join(parts) + r")(?![^\W_])")


def _ending(phrases: Sequence[str]) -> re.Pattern[str]:
    """One of the phrases, whole words, with nothing but spaces after it to the end of the text searched."""
    return re.compile(_alternation(phrases).pattern + r"\s+$")


def _lines(text: str, header: str) -> list[int]:
    return [i + 1 for i, line in enumerate(text.splitlines()) if line.strip() == f"[[{header}]]"]


def _examples(raw: Any, where: str) -> list[tuple[str, bool]]:
    if raw is None:
        return []
    if not isinstance(raw, dict) or set(raw) - _EXAMPLE_KEYS:
        raise ConfigError(f"{where}: examples must be a table with 'guarded' and/or 'not_guarded' lists")
    out: list[tuple[str, bool]] = []
    for key, guarded in (("guarded", True), ("not_guarded", False)):
        items = raw.get(key, [])
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise ConfigError(f"{where}: examples.{key} must be a list of strings")
        out.extend((x, guarded) for x in items)
    return out


def load_guard(base: Path, clauses: Iterable[str], rule_ids: Iterable[str]) -> Guard | None:
    """Read ``guard.toml`` in the policy directory (None when there is none).

    Raises:
        ConfigError: naming the file and line of an unknown key, a bad value, an unknown clause or rule.
    """
    path = base / GUARD_FILE
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    unknown = set(data) - {"guard", "cue", "homonym"}
    if unknown:
        raise ConfigError(f"{path}: unknown section(s) {sorted(unknown)}; allowed: [guard], [[cue]], [[homonym]]")
    head = data.get("guard", {})
    if set(head) - {"clauses", "window", "held_by"}:
        raise ConfigError(
            f"{path}: [guard] unknown key(s) {sorted(set(head) - {'clauses', 'window', 'held_by'})}; "
            "allowed: clauses, window, held_by"
        )
    known_clauses = set(clauses)
    gclauses = head.get("clauses", [])
    if not isinstance(gclauses, list) or not gclauses or not all(isinstance(c, str) for c in gclauses):
        raise ConfigError(f"{path}: [guard] clauses must be a non-empty list of clause ids")
    for c in gclauses:
        if c not in known_clauses:
            raise ConfigError(f"{path}: [guard] clause {c!r} is not in clauses.toml")
    window = head.get("window", 8)
    if not isinstance(window, int) or isinstance(window, bool) or not 1 <= window <= 40:
        raise ConfigError(f"{path}: [guard] window must be an integer 1-40 (words either side of a match)")
    ids = set(rule_ids)
    held_by = _rule_list(head.get("held_by", []), ids, f"{path}: [guard]", "held_by")
    cues: list[Cue] = []
    cue_lines = _lines(text, "cue")
    for i, raw in enumerate(data.get("cue", [])):
        where = f"{path}:{cue_lines[i] if i < len(cue_lines) else 0}"
        unknown = set(raw) - _CUE_KEYS
        if unknown:
            raise ConfigError(f"{where}: cue: unknown key(s) {sorted(unknown)}; allowed: {sorted(_CUE_KEYS)}")
        name, reason = raw.get("name"), raw.get("reason")
        if not isinstance(name, str) or not name or not isinstance(reason, str) or not reason:
            raise ConfigError(f"{where}: a cue needs a name and a reason (shown to the moderator)")
        before = _phrases(raw["before"], where, "before") if "before" in raw else []
        after = _phrases(raw["after"], where, "after") if "after" in raw else []
        flags = {}
        for key in ("quotes", "question", "dismiss", "next_sentence"):
            val = raw.get(key, False)
            if not isinstance(val, bool):
                raise ConfigError(f"{where}: {key} must be true or false")
            flags[key] = val
        if not (before or after or flags["quotes"]):
            raise ConfigError(f"{where}: cue {name!r} needs before, after or quotes")
        rules = _rule_list(raw.get("rules", []), ids, where, "rules")
        except_rules = _rule_list(raw.get("except_rules", []), ids, where, "except_rules")
        priority = raw.get("priority", 0)
        if not isinstance(priority, int) or isinstance(priority, bool) or not 0 <= priority <= 100:
            raise ConfigError(f"{where}: priority must be an integer 0-100")
        line = cue_lines[i] if i < len(cue_lines) else 0
        examples = tuple((t, g, line) for t, g in _examples(raw.get("examples"), where))
        words = _phrases(raw["words"], where, "words") if "words" in raw else []
        cue_window = raw.get("window", 0)
        if not isinstance(cue_window, int) or isinstance(cue_window, bool) or not 0 <= cue_window <= 40:
            raise ConfigError(f"{where}: window must be an integer 1-40 (words either side of a match)")
        cues.append(
            Cue(
                name=name,
                reason=reason,
                before=_alternation(before) if before else None,
                after=_alternation(after) if after else None,
                quotes=flags["quotes"],
                question=flags["question"],
                rules=tuple(rules),
                except_rules=tuple(except_rules),
                priority=priority,
                words=_alternation(words) if words else None,
                window=cue_window,
                dismiss=flags["dismiss"],
                before_at_once=_ending(before) if before and flags["dismiss"] else None,
                next_sentence=flags["next_sentence"],
                examples=examples,
                line=line,
            )
        )
    hom_lines = _lines(text, "homonym")
    for i, raw in enumerate(data.get("homonym", [])):
        line = hom_lines[i] if i < len(hom_lines) else 0
        where = f"{path}:{line}"
        unknown = set(raw) - _HOMONYM_KEYS
        if unknown:
            raise ConfigError(f"{where}: homonym: unknown key(s) {sorted(unknown)}; allowed: {sorted(_HOMONYM_KEYS)}")
        for key in ("words", "senses", "reason"):
            if key not in raw:
                raise ConfigError(f"{where}: a homonym needs {key}")
        if not isinstance(raw["reason"], str) or not raw["reason"]:
            raise ConfigError(f"{where}: reason must be a non-empty string")
        words = _phrases(raw["words"], where, "words")
        senses = _phrases(raw["senses"], where, "senses")
        examples = tuple((t, g, line) for t, g in _examples(raw.get("examples"), where))
        cues.append(
            Cue(
                name=f"homonym:{words[0].rstrip('*')}",
                reason=raw["reason"],
                except_rules=tuple(_rule_list(raw.get("except_rules", []), ids, where, "except_rules")),
                words=_alternation(words),
                senses=_alternation(senses),
                examples=examples,
                line=line,
            )
        )
    return Guard(frozenset(gclauses), window, cues, str(path), text, frozenset(held_by))


def _rule_list(value: Any, ids: set[str], where: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where}: {key} must be a list of rule ids (or 'group.' for every rule in a group)")
    for v in value:
        if v.endswith("."):
            if not any(r.startswith(v) for r in ids):
                raise ConfigError(f"{where}: {key}: no rule id starts with {v!r}")
        elif v not in ids:
            raise ConfigError(f"{where}: {key}: unknown rule {v!r}")
    return list(value)
