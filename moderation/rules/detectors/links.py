"""Links with a sign of a scam or malware (clause 12): a shortened link, a bare internet address, look-alike
letters in the name, a site named like a government service that is not one, scam words in the name, or a
program or archive to download. A link to an ordinary website is not a finding.

Every list is a plain file in ``policies/`` that comms staff edit like the word lists.
"""

from __future__ import annotations

import re
from typing import Any

from moderation.domain import CommentInput

from ..model import Hit
from ..normalise import Normalised
from . import Context, Detector, read_list, register
from .spam import HOST, TLDS, find_links, under

_IP = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
# Another government's own domain ("india.gov.in", "canada.gc.ca" is on the allowlist): a "gov"-like label
# followed only by a country code.
_GOVERNMENT = re.compile(r"(?:^|\.)(?:gov|govt|gouv|gob)\.[a-z]{2}$")
_DOWNLOADS = (
    ".exe", ".apk", ".msi", ".scr", ".bat", ".cmd", ".jar", ".dmg", ".pkg", ".zip", ".rar", ".7z", ".iso", ".vbs",
)  # fmt: skip
_TOKEN = re.compile(r"[a-z0-9]+")
LOOKALIKE_LETTERS = "look-alike letters in the site's name"
GOVERNMENT_NAME = "named like a government service but not a government site"
# Signs that the link pretends to be something it is not: a rule with ``impersonation = true`` reports these
# alone (at a higher priority: a fake myGov page costs a client money overnight), the plain rule the rest.
IMPERSONATING = frozenset({LOOKALIKE_LETTERS, GOVERNMENT_NAME})
_SCHEME = re.compile(r"^(?:https?://)?", re.IGNORECASE)


def _domains(text: str) -> frozenset[str]:
    return frozenset(d.lower().lstrip(".") for d, _ in read_list(text))


@register
class RiskyLinkDetector(Detector):
    """Links with a sign of a scam; each finding says which sign."""

    name = "risky_link"
    prefilter = ("http", "www.", *(f".{tld}" for tld in TLDS.split("|")))
    params_spec = {
        "allow_domains_file": str,
        "shorteners_file": str,
        "lookalike_words_file": str,
        "scam_words_file": str,
        "impersonation": bool,
    }
    required_params = frozenset(params_spec) - {"impersonation"}

    def __init__(self, params: dict[str, Any], base: Any) -> None:
        super().__init__(params, base)
        self.allowed = _domains(self.read(params["allow_domains_file"]))
        self.shorteners = _domains(self.read(params["shorteners_file"]))
        self.lookalike = frozenset(w.lower() for w, _ in read_list(self.read(params["lookalike_words_file"])))
        self.scam_words = frozenset(w.lower() for w, _ in read_list(self.read(params["scam_words_file"])))
        self.impersonation = bool(params.get("impersonation", False))
        self.prefilter_terms = self.prefilter

    def sign(self, host: str, path: str) -> str | None:
        """Why a link to ``host`` with ``path`` may be a scam, or None when nothing says so."""
        if host.startswith("www."):
            host = host[4:]
        if _IP.match(host):
            return "a link to a bare internet address"
        if under(host, self.shorteners):
            return "a shortened link hides where it leads"
        if host.startswith("xn--") or ".xn--" in host:
            return LOOKALIKE_LETTERS
        if path.endswith(_DOWNLOADS):
            return "a link to a program or archive to download"
        if under(host, self.allowed) or _GOVERNMENT.search(host):
            return None
        tokens = _TOKEN.findall(host)
        name = tokens[:-1]  # the ending (".com") says nothing
        if any(t in self.lookalike for t in name):
            return GOVERNMENT_NAME
        if any(t in self.scam_words for t in name):
            return "scam words in the site's name"
        return None

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:
        t = n.text
        if "." not in t and "://[" not in t:
            return []
        hits: list[Hit] = []
        for start, end in find_links(t):
            url = t[start:end].rstrip(".,;:!?)")
            s, e = n.span(start, start + len(url))
            found = self.judge(url, item.text[s:e])
            if found is not None and (found[1] in IMPERSONATING) == self.impersonation:
                host, why = found
                hits.append(Hit(s, e, item.text[s:e], 0.9, f"link to {host}: {why}"))
        return hits

    def judge(self, url: str, original: str) -> tuple[str, str] | None:
        """(host, why) when the link ``url`` (folded; ``original`` as written) shows a sign of a scam."""
        rest = _SCHEME.sub("", url, count=1)
        cut = min((i for i in (rest.find(c) for c in "/?#") if i != -1), default=len(rest))
        authority, path = rest[:cut], rest[cut:].split("?", 1)[0].split("#", 1)[0]
        if "@" in authority:
            return authority.rsplit("@", 1)[1], "the address before the @ hides where the link really leads"
        if authority.startswith("["):
            return authority, "a link to a bare internet address"
        host = authority.split(":", 1)[0].rstrip(".")
        if "." not in host:
            return None
        written = _written_host(original)
        if not written.isascii():
            return written, LOOKALIKE_LETTERS
        why = self.sign(host, path)
        return None if why is None else (host, why)


def _written_host(original: str) -> str:
    """The site's name as the comment wrote it: letters from other alphabets that look like Latin ones
    ("раypal.com" with Cyrillic letters) are folded away before the rules read the text, so they are looked
    for here."""
    found = HOST.match(_SCHEME.sub("", original.lower(), count=1))
    return "" if found is None else found.group(1)
