"""How the threat lists' entries are read: the key an act is found by, and a leading "[their]"."""

from __future__ import annotations

from .threat_words import PUNCT_TO_SPACE

# "[their] days are numbered": an act is found by its first letters, so a leading [their] is read as each
# possessive it stands for ("your days", "his days"); a longer possessive ("the minister's days") is not read.
LEADING_THEIR = ("your", "ur", "yer", "his", "her", "their")
ACT_LISTS = ("verbs", "verbs_unclear", "participles", "participles_unclear", "dying", "veiled", "veiled_acts")


def anchor(term: str) -> str:
    """The key an act is found by: its first three characters as the anchors read the text (punctuation read as
    spaces, so "i'll" is found in "I'll")."""
    return term[:3].translate(PUNCT_TO_SPACE)


def lead_with_words(name: str, terms: list[str]) -> list[str]:
    if name not in ACT_LISTS:
        return terms
    out: list[str] = []
    for t in terms:
        if t.startswith("[their] "):
            out += [f"{word} {t.removeprefix('[their] ')}" for word in LEADING_THEIR]
        elif t.startswith("["):
            raise ValueError(
                f"threat list {name}.txt: {t!r} begins with a placeholder; an act is found by its first word, "
                "so begin it with a word (a leading [their] is allowed)"
            )
        else:
            out.append(t)
    return out
