"""How the threat lists' entries are read: the key an act is found by, a leading "[their]", the dying list's
third-person forms, and the acts grouped by key."""

from __future__ import annotations

from .threat_words import PUNCT_TO_SPACE

# "[their] days are numbered": an act is found by its first letters, so a leading [their] is read as each
# possessive it stands for ("your days", "his days"); a longer possessive ("the minister's days") is not read.
LEADING_THEIR = ("your", "ur", "yer", "his", "her", "their")
# Between the words of a veiled phrase a comma may stand ("I'll get you, mark my words", "touch my kids again,
# you're dead"); not in the violent acts, where "I'd kill, you know, for a pie" would read "you" as the target.
VEIL_SEP = r",?\s+"
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


def dying_forms(dying: list[str]) -> list[str]:
    """Each entry of the dying list with its head word as written and in the third person ("burn", "burns")."""
    out = []
    for d in dying:
        words = d.split()
        head, rest = words[0], " ".join(words[1:])
        third = head + ("es" if head.endswith(("sh", "ch", "s")) else "s")
        for form in (head, third):
            out.append(f"{form} {rest}".strip())
    return out


def by_anchor(acts: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
    """The acts of each kind grouped by the key they are found by (``anchor``), kinds in the order given."""
    buckets: dict[str, dict[str, list[str]]] = {}
    for kind, terms in acts.items():
        for term in terms:
            buckets.setdefault(anchor(term), {}).setdefault(kind, []).append(term)
    return buckets
