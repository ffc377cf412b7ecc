"""Turn text written by the public into a literal ``rich.text.Text`` that cannot act on the terminal or the UI.

Comments, author names and handles are hostile input. Nothing here ever parses markup: the result is built
character by character, so Rich/Textual markup (``[@click=app.quit]``) stays text. Characters that could move
the cursor, recolour the screen, reorder a line or hide themselves (C0/C1 controls, ESC, CR, bidi overrides and
isolates, zero-width and tag characters, line separators, surrogates, private-use and unassigned code points)
are shown as visible escapes such as ``⟨U+202E⟩`` in a distinct style, so a reader sees that they were there.
Stacks of combining marks (Zalgo) are cut to two per character, and the displayed length and line count are
capped with a "… N more characters" marker so a 1 MB body costs the same as a short one.

Callers: every widget that shows comment text, author names, handles, notes or the parent post.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from rich.style import Style
from rich.text import Text

ESCAPE_STYLE = Style(color="black", bgcolor="yellow", bold=True)
MARKER_STYLE = Style(italic=True, dim=True)
MASK_STYLE = Style(color="white", bgcolor="grey30")
MASK_CHAR = "•"
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# Invisible letters that are not format characters (Hangul fillers, braille blank, Khmer vowel inherent marks).
INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5\u180e")
MAX_MARKS = 2
DETAIL_LIMIT = 4000
DETAIL_LINES = 40
BLANK_RUN = 2


def escape_code(ch: str) -> str:
    return f"⟨U+{ord(ch):04X}⟩"


def is_unsafe(ch: str) -> bool:
    if ch in INVISIBLE:
        return True
    return unicodedata.category(ch) in UNSAFE_CATEGORIES


def literal(
    text: str,
    *,
    limit: int = DETAIL_LIMIT,
    max_lines: int = DETAIL_LINES,
    multiline: bool = True,
    styles: Sequence[tuple[int, int, str | Style]] = (),
    masks: Iterable[tuple[int, int]] = (),
    style: str | Style = "",
) -> Text:
    """Return ``text`` as an inert ``Text``.

    Args:
        text: anything a member of the public wrote.
        limit: at most this many characters of ``text`` are shown; the rest is counted in a marker.
        max_lines: at most this many lines (``multiline`` only).
        multiline: keep newlines (else show them as ``⏎``).
        styles: ``(start, end, style)`` spans in *original* offsets (finding highlights).
        masks: ``(start, end)`` spans in original offsets to replace with ``•`` (slurs until revealed).
        style: base style of the whole text.
    """
    head = text[:limit]
    masked = bytearray(len(head))
    for start, end in masks:
        for i in range(max(0, start), min(len(head), end)):
            masked[i] = 1
    out = Text(style=style, no_wrap=not multiline, overflow="fold" if multiline else "ellipsis")
    pos = [0] * (len(head) + 1)
    buf: list[str] = []
    length = 0
    lines = 1
    blank_run = 0
    marks = 0
    cut_at: int | None = None

    def flush() -> None:
        nonlocal buf
        if buf:
            out.append("".join(buf))
            buf = []

    def special(piece: str, piece_style: Style) -> None:
        nonlocal length
        flush()
        out.append(piece, piece_style)
        length += len(piece)

    for i, ch in enumerate(head):
        pos[i] = length
        if ch == "\n":
            marks = 0
            if not multiline:
                special("⏎", ESCAPE_STYLE)
                continue
            blank_run = blank_run + 1 if (i > 0 and head[i - 1] == "\n") else 0
            if blank_run >= BLANK_RUN:
                run = len(head[i:]) - len(head[i:].lstrip("\n"))
                if blank_run == BLANK_RUN:
                    special(f"⟨{run} more blank lines⟩", MARKER_STYLE)
                    buf.append("\n")
                    length += 1
                    lines += 1
                continue
            lines += 1
            if lines > max_lines:
                cut_at = i
                break
            buf.append("\n")
            length += 1
            continue
        blank_run = 0
        if masked[i]:
            marks = 0
            if ch.isspace():
                buf.append(" ")
            else:
                special(MASK_CHAR, MASK_STYLE)
                continue
            length += 1
            continue
        if is_unsafe(ch):
            marks = 0
            special(escape_code(ch), ESCAPE_STYLE)
            continue
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me"):
            marks += 1
            if marks > MAX_MARKS:
                # Count the whole run once, show it as one marker.
                if marks == MAX_MARKS + 1:
                    j = i
                    while j < len(head) and (
                        unicodedata.combining(head[j]) or unicodedata.category(head[j]) in ("Mn", "Me")
                    ):
                        j += 1
                    special(f"⟨+{j - i} marks⟩", MARKER_STYLE)
                continue
        else:
            marks = 0
        buf.append(ch)
        length += 1
    else:
        pos[len(head)] = length
    if cut_at is not None:
        for k in range(cut_at, len(head) + 1):
            pos[k] = length
    flush()
    for start, end, span_style in styles:
        s, e = pos[min(max(start, 0), len(head))], pos[min(max(end, 0), len(head))]
        if e > s:
            out.stylize(span_style, s, e)
    hidden = len(text) - (cut_at if cut_at is not None else len(head))
    if hidden > 0:
        out.append(("\n" if multiline else " ") + f"… {hidden:,} more characters", MARKER_STYLE)
    return out


def line(text: str, *, limit: int = 300, style: str | Style = "", masks: Iterable[tuple[int, int]] = ()) -> Text:
    """One line of hostile text (names, handles, previews): never wraps, newlines shown as ``⏎``."""
    return literal(text, limit=limit, multiline=False, style=style, masks=masks)


def mask_occurrences(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Spans of ``text`` where any of ``words`` occurs (case-insensitive): for masking previews."""
    spans: list[tuple[int, int]] = []
    folded = text.lower()
    if len(folded) != len(text):
        folded = text
    # Previews run whitespace together, so a match spelled "f  u\nc k" is looked for as "f u c k".
    for word in {" ".join(w.lower().split()) for w in words if w and w.strip()}:
        start = folded.find(word)
        while start >= 0:
            spans.append((start, start + len(word)))
            start = folded.find(word, start + len(word))
    return spans
