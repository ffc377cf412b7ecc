"""One member of a group as a threat's target: "a Muslim", "the next refugee", "every Jew" are people only when
what follows goes on about a person."""

from __future__ import annotations

import re

from .lexicon import Span

# One member of a group named with an article or a quantifier ("a Muslim", "the next refugee", "every Jew") is a
# person only when what follows reads as a person or the clause goes on: "kill a Muslim family", "shoot the next
# refugee I see", "shoot every Muslim bastard", not "shoot up a white church", "hit a Muslim restaurant" or "burn every
# Muslim-owned shop" (the group word there describes a thing).
_MEMBER_ARTICLES = ("a ", "an ", "the next ", "every ", "each ", "any ", "one ")
# Words for people that may follow a member ("a Muslim *family*", "every refugee *kid*"): the target takes them in.
_PERSON_AFTER = frozenset(
    "man woman men women guy guys kid kids family families person people bloke girl boy child children dude mum mom "
    "dad mother father lady teenager teen student neighbour neighbor couple "
    # what a person is called when the writer means them harm
    "bastard bastards cunt cunts scum dog dogs pig pigs rat rats prick pricks animal animals terrorist terrorists "
    "thug thugs filth vermin lover lovers sympathiser sympathisers sympathizer sympathizers bitch bitches "
    "fucker fuckers traitor traitors invader invaders parasite parasites".split()
)
_AFTER_A_MEMBER = _PERSON_AFTER | frozenset(
    "who that whom i you he she they we it on in at today tonight tomorrow now again and or with for if when "
    "because before after next this every just one day here there so then over out to from by like as while "
    "until lol gets get got is was will would should must can could gonna dies die has had does did ever "
    "piece deserves deserve deserved needs need ought oughta better shall may might dead hanging hanged burn burning "
    "suffer suffering bleed bleeding".split()
)
_NEXT_WORD = re.compile(r"[ \t-]*([a-z']+)")


# A group word that is also its adjective ("Chinese", "Sudanese") after an article or a quantifier: "every Chinese".
_ONE_BEFORE = re.compile(r"(?:^|[^\w'])(?:a|an|the next|every|each|any|one|every single)\s+$")


def _one_by_adjective(t: str, span: Span) -> bool:
    if not span.kind.startswith("group:") or " " in span.term or span.term.endswith("s"):
        return False
    return _ONE_BEFORE.search(t, max(0, span.start - 16), span.start) is not None


def members_as_people(t: str, targets: list[Span]) -> list[Span]:
    """``targets`` without a member named with an article or a quantifier and followed by a word that does not go
    on about a person ("every Muslim *restaurant*"); a word that is itself a target (a slur) goes on about one."""
    starts = {span.start for span in targets}
    out = []
    for span in targets:
        if span.term.startswith(_MEMBER_ARTICLES) or _one_by_adjective(t, span):
            m = _NEXT_WORD.match(t, span.end)
            if m is not None and m.group(1) not in _AFTER_A_MEMBER and m.start(1) not in starts:
                continue
            if m is not None and m.group(1) in _PERSON_AFTER and t[span.end : m.start(1)].strip(" \t") == "":
                span = Span(span.start, m.end(1), f"{span.term} {m.group(1)}", span.kind)
        out.append(span)
    return out
