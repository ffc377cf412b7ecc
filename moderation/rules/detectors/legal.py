"""Legal risk: defamation, sub judice (pending cases) and court suppression orders.

These detectors never decide alone: their rules escalate to legal, because whether a comment defames
someone or prejudices a trial is a judgement. They aim to catch the risky shapes cheaply:

* defamation: an allegation of crime, corruption or misconduct (a word list legal can edit) near an
  identifiable person (a capitalised full name, a title such as "the Minister" or "Mr", a listed staff
  member, or an @mention). Criticism of the department as a body is not a person and does not fire.
* sub judice: the name (or alias) of an accused in a pending case, from ``pending_cases.toml``, in the
  same comment as an assertion of guilt (a word list).
* suppression orders: the active orders' protected names and aliases, matched by ``OrderMatcher``.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from moderation.domain import CommentInput

from ..model import Hit
from ..normalise import Normalised, normalise
from . import Context, Detector, read_list, register

# A capitalised given name and surname in the original text ("Helen Carraway", "John O'Brien").
_FULL_NAME = re.compile(r"\b[A-Z][a-z]{1,20}(?:[ \-][A-Z][a-z'\-]{1,20}){1,2}\b")
_TITLES = re.compile(
    r"\b(?:minister|secretary|premier|mp|mr|mrs|ms|dr|councillor|cr|ceo|director|spokesperson|commissioner)\b"
)
_MENTION = re.compile(r"@[a-z0-9_]{2,30}")
_WINDOW = 120


def _terms(text: str) -> list[str]:
    return [normalise(t).text for t, _ in read_list(text)]


def _find_terms(t: str, terms: list[str]) -> list[tuple[int, int]]:
    """Whole-word occurrences of any term (a trailing ``*`` allows a suffix) in the folded text ``t``."""
    out: list[tuple[int, int]] = []
    for term in terms:
        prefix = term.endswith("*")
        word = term.rstrip("*")
        start = t.find(word)
        while start != -1:
            end = start + len(word)
            left_ok = start == 0 or not t[start - 1].isalnum()
            if prefix:
                while end < len(t) and t[end].isalnum():
                    end += 1
                right_ok = True
            else:
                right_ok = end == len(t) or not t[end].isalnum()
            if left_ok and right_ok:
                out.append((start, end))
            start = t.find(word, start + 1)
    return sorted(out)


@register
class DefamationDetector(Detector):
    """An allegation of crime or misconduct near an identifiable person."""

    name = "defamation"
    params_spec = {"allegations_file": str, "people_file": str}
    required_params = frozenset({"allegations_file"})

    def __init__(self, params: dict[str, Any], base: Any) -> None:
        super().__init__(params, base)
        self.allegations = _terms(self.read(params["allegations_file"]))
        self.people: list[str] = []
        if "people_file" in params:
            data = tomllib.loads(self.read(params["people_file"]))
            for person in data.get("person", []):
                self.people.append(normalise(person["name"]).text)
                self.people.extend(normalise(a).text for a in person.get("aliases", []))
        self.prefilter_terms = tuple(a.rstrip("*") for a in self.allegations)

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:
        t = n.text
        allegations = _find_terms(t, self.allegations)
        if not allegations:
            return []
        persons: list[tuple[int, int]] = []
        for name in self.people:
            pos = t.find(name)
            while pos != -1:
                persons.append((pos, pos + len(name)))
                pos = t.find(name, pos + 1)
        for m in _TITLES.finditer(t):
            persons.append((m.start(), m.end()))
        for m in _MENTION.finditer(t):
            if m.group(0) != "@user":
                persons.append((m.start(), m.end()))
        if n.starts is None:  # capitalised names are read from the original text (same offsets on the fast path)
            for m in _FULL_NAME.finditer(item.text):
                persons.append((m.start(), m.end()))
        if not persons:
            return []
        hits: list[Hit] = []
        for a_start, a_end in allegations:
            near = [p for p in persons if abs(p[0] - a_start) <= _WINDOW]
            if not near:
                continue
            p_start, p_end = min(near, key=lambda p: abs(p[0] - a_start))
            s, e = n.span(min(a_start, p_start), max(a_end, p_end))
            hits.append(Hit(s, e, item.text[s:e], 0.7, f"allegation {t[a_start:a_end]!r} about an identifiable person"))
            break
        return hits


@register
class SubJudiceDetector(Detector):
    """The accused in a pending case named together with an assertion of guilt."""

    name = "sub_judice"
    params_spec = {"cases_file": str, "guilt_file": str}
    required_params = frozenset({"cases_file", "guilt_file"})

    def __init__(self, params: dict[str, Any], base: Any) -> None:
        super().__init__(params, base)
        data = tomllib.loads(self.read(params["cases_file"]))
        self.names: list[tuple[str, str]] = []  # (folded name, case)
        for case in data.get("case", []):
            label = f"{case.get('case', '')} ({case.get('court', '')})"
            for name in [case["name"], *case.get("aliases", [])]:
                self.names.append((normalise(name).evasion.text, label))
        self.guilt = _terms(self.read(params["guilt_file"]))
        # A surname alone counts only when capitalised and not part of an ordinary phrase ("Foster care").
        self.surnames: list[tuple[re.Pattern[str], str, str]] = []
        for case in data.get("case", []):
            label = f"{case.get('case', '')} ({case.get('court', '')})"
            for surname in case.get("surnames", []):
                unless = "|".join(re.escape(w) for w in case.get("surname_not_before", []))
                tail = rf"(?!\s+(?:{unless})\b)" if unless else ""
                self.surnames.append((re.compile(rf"\b{re.escape(surname)}\b{tail}"), surname.lower(), label))
        self.prefilter_terms = tuple(n for n, _ in self.names) + tuple(s for _, s, _ in self.surnames)

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:
        view = n.evasion
        t = view.text
        for name, case in self.names:
            pos = t.find(name)
            if pos == -1:
                continue
            return self._with_guilt(item, view, pos, pos + len(name), case, 0.75)
        for pattern, _, case in self.surnames:
            m = pattern.search(item.text)
            if m is None:
                continue
            # Surnames are matched in the original text; find the folded position on the plain view.
            return self._with_guilt(item, n, m.start(), m.end(), case, 0.6, original=True)
        return []

    def _with_guilt(
        self, item: CommentInput, view: Normalised, start: int, end: int, case: str, conf: float, original: bool = False
    ) -> list[Hit]:
        t = view.text
        guilt = _find_terms(t, self.guilt)
        if not guilt:
            return []
        if original:  # start/end are original offsets; the guilt spans are in the view
            g_start, g_end = min(guilt, key=lambda g: abs(view.span(*g)[0] - start))
            gs, ge = view.span(g_start, g_end)
            s, e = min(start, gs), max(end, ge)
        else:
            g_start, g_end = min(guilt, key=lambda g: abs(g[0] - start))
            s, e = view.span(min(start, g_start), max(end, g_end))
        return [Hit(s, e, item.text[s:e], conf, f"asserts guilt in a pending case: {case}")]


@register
class SuppressionOrderDetector(Detector):
    """Names and aliases protected by an active suppression order (the orders come with each evaluation)."""

    name = "suppression_order"
    gate = "orders"

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:
        if ctx.orders is None:
            return []
        return list(ctx.orders.hits(n))
