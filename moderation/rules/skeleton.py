"""The skeleton view of a folded text (``Normalised.evasion``): leetspeak read as letters ("()" as "o"), letters
split by dots or spaces joined, stretched letters and runs of whitespace collapsed, every character still mapped to
the original.

``evasion_triggers`` are the short strings whose presence means the skeleton may differ from the folded text; the
pipeline finds them in its one automaton pass and builds the skeleton only where they are
(``skeleton_from_triggers``). ``full_skeleton`` reads the whole text with regular expressions instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .normalise import LEET, LEET_CLASS, LETTER, SEPARATOR, Normalised


def _compile(letter: str, word: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The skeleton's three patterns for a given notion of letter and word character."""
    # "11" ending a word after a letter is "ll" ("ki11", "a11"); inside a word it is "ii", as any two symbols are.
    # A run of symbols between letters is read symbol by symbol ("b00ng"), as the pipeline's triggers read it.
    leet = re.compile(rf"(?<={letter})11(?!{word})|(?<={letter}){LEET_CLASS}+(?={letter})|(?<!{word})\$(?={letter})")
    # Three or more single letters, each followed by the same one- or two-character separator ("f.u.c.k"),
    # and perhaps a word ending after the last separator ("m.u.r.d.e.rs", "s t a bs").
    chain = re.compile(
        rf"(?<!{word}){letter}({SEPARATOR}{{1,2}}){letter}(?!{word})(?:\1{letter}(?!{word}))+"
        rf"(?:\1[a-z]?(?:s|es|ed|er|ers|ing)(?!{word}))?"
    )
    runs = re.compile(rf"({letter})\1{{2,}}|\s{{2,}}|[\t\n\r\f\v\u00a0]")
    return leet, chain, runs


# "()" written for "o" in a word ("b()()ng", "gypp()"): next to a letter or another "()". A function call
# ("print()") becomes "printo" in this view, which is harmless: the view is only searched for listed words.
_PAREN_O = re.compile(r"(?<=[a-z)])\(\)|\(\)(?=[a-z(])")


# Unicode-aware patterns, and faster ASCII-only ones for the common case.
_PATTERNS = _compile(LETTER, r"[^\W_]")
_ASCII_PATTERNS = _compile("[a-z]", "[a-z0-9]")

# Skeleton steps, so that a caller who knows which triggers it saw can skip the others.
LEET_STEP, CHAIN_STEP, RUN_STEP, PAREN_STEP = 1, 2, 4, 8
ALL_STEPS = LEET_STEP | CHAIN_STEP | RUN_STEP | PAREN_STEP


def evasion_triggers(whitespace: bool = True) -> dict[str, int]:
    """Short ASCII strings whose presence means the skeleton may differ from the folded text, each with the
    skeleton step it calls for.

    The pipeline adds them to its Aho-Corasick automaton, so the "looks evasive" test costs nothing extra
    (the folded text of non-ASCII comments is Latin letters wherever evasion matters, since lookalikes and
    marks are folded first): leet inside a word ("h1t") and "$" before a letter (leet step), a letter-separator
    chain ("f.u.", " f u ") (chain step), a letter three times and doubled or unusual whitespace (run step).
    """
    letters = "abcdefghijklmnopqrstuvwxyz"
    out: dict[str, int] = {}

    def add(key: str, step: int) -> None:
        out[key] = out.get(key, 0) | step

    for a in letters:
        add("$" + a, LEET_STEP)
        add(a * 3, RUN_STEP)
        add(a + "()", PAREN_STEP)
        add("()" + a, PAREN_STEP)
        add(a + "11", LEET_STEP)  # "ki11"
        for c in "0134567@$9":  # two symbols in a row inside a word ("b00ng", "t0w3lh34d")
            for d in "0134567@$9":
                add(a + c + d, LEET_STEP)
        for b in letters:
            for c in "01345678@$!|+9":
                add(a + c + b, LEET_STEP)
            for sep in ".-_*~'":
                add(a + sep + b + sep, CHAIN_STEP)
            for sep in (". ", "- ", "* "):
                add(a + sep + b + sep[0], CHAIN_STEP)  # "b. e. a. n"
            add(f" {a} {b} ", CHAIN_STEP)  # "f u c k" (single letters between spaces)
            for q in "\"'(":
                add(f"{q}{a} {b} ", CHAIN_STEP)  # '"f u c k you"'
    if whitespace:
        for w in ("  ", "\t", "\n", "\r", "\x0b", "\x0c"):
            add(w, RUN_STEP)
    return out


_HAS_LEET = re.compile(LEET_CLASS)


def _leet(m: re.Match[str]) -> str:
    g = m.group()
    return "ll" if g == "11" else "".join(LEET[c] for c in g)


def full_skeleton(n: Normalised, steps: int = ALL_STEPS) -> Normalised:
    """Build the evasion-tolerant view of an already folded text.

    Leet replacement keeps the length, so it is one ``re.sub``; separator removal and run collapsing are
    collected as non-overlapping edits and applied in one pass that also carries the offset map.
    """
    t = n.text
    size = len(t)
    ostart: list[int] | range = n.starts if n.starts is not None else range(size)
    oend: list[int] | range = n.ends if n.ends is not None else range(1, size + 1)
    leet_rx, chain_rx, run_rx = _ASCII_PATTERNS if t.isascii() else _PATTERNS
    chars = leet_rx.sub(_leet, t) if steps & LEET_STEP and _HAS_LEET.search(t) else t

    # Each edit replaces chars[s:e] with ``rep``; ``keep`` lists the positions whose offsets the output
    # characters take (None: one output character standing for the whole span, as for collapsed runs).
    edits: list[tuple[int, int, str, list[int] | None]] = []
    for m in chain_rx.finditer(chars) if steps & CHAIN_STEP else ():
        base = m.start()
        kept = [base + i for i, c in enumerate(m.group()) if c.isalpha()]
        edits.append((base, m.end(), "".join(chars[p] for p in kept), kept))
    for m in run_rx.finditer(chars) if steps & RUN_STEP else ():
        rep = m.group()[0]
        edits.append((m.start(), m.end(), " " if rep.isspace() else rep, None))
    for m in _PAREN_O.finditer(chars) if steps & PAREN_STEP and "()" in chars else ():
        edits.append((m.start(), m.end(), "o", None))
    if not edits:
        if chars == t:
            return n
        return Normalised(n.original, chars, list(ostart), list(oend))
    return _apply_edits(n, chars, ostart, oend, edits)


def _in_link_or_handle(t: str, pos: int) -> bool:
    """Is ``pos`` inside a link or an @handle? Digits there are not leetspeak ("t.co/k3Jx", "@user1x")."""
    start = t.rfind(" ", 0, pos) + 1
    end = t.find(" ", pos)
    token = t[start : end if end != -1 else len(t)]
    if token.startswith("@") or "/" in token or "www." in token:
        return True
    at = token.find("@")
    return at != -1 and "." in token[at:]  # an email address; "wetb@ck" is not one


def skeleton_from_triggers(n: Normalised, triggers: Sequence[tuple[int, int, int]]) -> Normalised:
    """The skeleton, built only where the automaton saw evasion triggers: ``(start, end, step)`` spans of
    the folded text. Much cheaper than scanning the whole text with the skeleton's regular expressions, and
    the same for the Latin-letter evasions the triggers describe; it differs only at the edges (a chain of
    single letters right after punctuation, a run that only leet replacement creates), where it joins less.
    """
    t = n.text
    size = len(t)
    ostart: list[int] | range = n.starts if n.starts is not None else range(size)
    oend: list[int] | range = n.ends if n.ends is not None else range(1, size + 1)
    triggers = sorted(triggers)

    # 1. Leet: replace single characters (the length stays the same, so trigger positions stay valid).
    swaps: dict[int, str] = {}
    for start, end, step in triggers:
        if step & LEET_STEP and start >= 0:
            pos = start if end - start == 2 else start + 1  # "$h" or "h1t"
            if end - start == 2 and start > 0 and t[start - 1].isalnum():
                continue  # "$" only opens a word
            if t[pos] in LEET and not _in_link_or_handle(t, pos):
                stop = pos + 1
                while stop < size and t[stop] in LEET:
                    stop += 1
                # A run of symbols counts when a letter follows it ("b00ng"); one symbol's trigger saw one.
                if stop == pos + 1 or (stop < size and t[stop].isalpha()):
                    swaps.update((p, LEET[t[p]]) for p in range(pos, stop))
                elif t[pos:stop] == "11":  # "ki11": a double "l" at the end of a word
                    swaps.update(((pos, "l"), (pos + 1, "l")))
    chars = t
    if swaps:
        parts: list[str] = []
        prev = 0
        for pos in sorted(swaps):
            parts.append(t[prev:pos])
            parts.append(swaps[pos])
            prev = pos + 1
        parts.append(t[prev:])
        chars = "".join(parts)

    # 2. Chains and runs, found from the triggers' positions.
    _, chain_rx, _ = _ASCII_PATTERNS if chars.isascii() else _PATTERNS
    edits: list[tuple[int, int, str, list[int] | None]] = []
    covered = -1
    for start, _end, step in triggers:
        if step & CHAIN_STEP:
            begin = start + 1 if start < 0 or not chars[start].isalnum() else start
            if begin < covered:
                continue
            m = chain_rx.match(chars, begin)
            if m is not None:
                kept = [begin + i for i, c in enumerate(m.group()) if c.isalpha()]
                edits.append((begin, m.end(), "".join(chars[p] for p in kept), kept))
                covered = m.end()
    covered = -1
    for start, _end, step in triggers:
        if start < 0:
            start = 0  # a trigger may begin on the space the scanner puts before the text
        if step & RUN_STEP and start >= covered and start < size:
            c = chars[start]
            stop = start + 1
            while stop < size and chars[stop] == c:
                stop += 1
            if stop - start >= (2 if c == " " else 3):
                edits.append((start, stop, c, None))
            covered = stop
    for start, _end, step in triggers:
        if step & PAREN_STEP:
            pos = start if chars.startswith("()", start) else start + 1
            m = _PAREN_O.match(chars, pos)
            if m is not None:
                edits.append((pos, pos + 2, "o", None))
    if not edits:
        if chars == t:
            return n
        return Normalised(n.original, chars, list(ostart), list(oend))
    return _apply_edits(n, chars, ostart, oend, edits)


def _apply_edits(
    n: Normalised,
    chars: str,
    ostart: list[int] | range,
    oend: list[int] | range,
    edits: list[tuple[int, int, str, list[int] | None]],
) -> Normalised:
    """Apply non-overlapping edits (earliest and longest first) to ``chars``, carrying the offset map along.

    Each edit replaces ``chars[s:e]`` with ``rep``; ``keep`` lists the positions whose offsets the output
    characters take (None: one output character standing for the whole span, as for collapsed runs).
    """
    edits.sort(key=lambda ed: (ed[0], -ed[1]))
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for s, e, rep, keep in edits:
        if s < pos:
            continue  # overlaps an edit already applied (a run inside a chain)
        parts.append(chars[pos:s])
        starts.extend(ostart[pos:s])
        ends.extend(oend[pos:s])
        parts.append(rep)
        if keep is None:
            starts.append(ostart[s])
            ends.append(oend[e - 1])
        else:
            starts.extend([ostart[p] for p in keep])
            ends.extend([oend[p] for p in keep])
        pos = e
    parts.append(chars[pos:])
    starts.extend(ostart[pos:])
    ends.extend(oend[pos:])
    return Normalised(n.original, "".join(parts), starts, ends)
