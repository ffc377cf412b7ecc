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
from .spam import HOST, TLDS, find_links

_IP = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
# Another government's own domain ("india.gov.in", "canada.gc.ca" is on the allowlist): a "gov"-like label
# followed only by a country code.
_GOVERNMENT = re.compile(r"(?:^|\.)(?:gov|govt|gouv|gob)\.[a-z]{2}$")
_DOWNLOADS = (
    ".exe", ".apk", ".msi", ".scr", ".bat", ".cmd", ".jar", ".dmg", ".pkg", ".zip", ".rar", ".7z", ".iso", ".vbs",
)  # fmt: skip
_TOKEN = re.compile(r"[a-z0-9]+")


def _domains(text: str) -> frozenset[str]:
    return frozenset(d.lower().lstrip(".") for d, _ in read_list(text))


def _under(host: str, domains: frozenset[str]) -> bool:
    """Is ``host`` one of ``domains`` or a subdomain of one?"""
    if host in domains:
        return True
    dot = host.find(".")
    while dot != -1:
        if host[dot + 1 :] in domains:
            return True
        dot = host.find(".", dot + 1)
    return False


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
    }
    required_params = frozenset(params_spec)

    def __init__(self, params: dict[str, Any], base: Any) -> None:
        super().__init__(params, base)
        self.allowed = _domains(self.read(params["allow_domains_file"]))
        self.shorteners = _domains(self.read(params["shorteners_file"]))
        self.lookalike = frozenset(w.lower() for w, _ in read_list(self.read(params["lookalike_words_file"])))
        self.scam_words = frozenset(w.lower() for w, _ in read_list(self.read(params["scam_words_file"])))
        self.prefilter_terms = self.prefilter

    def sign(self, host: str, path: str) -> str | None:
        """Why a link to ``host`` with ``path`` may be a scam, or None when nothing says so."""
        if host.startswith("www."):
            host = host[4:]
        if _IP.match(host):
            return "a link to a bare internet address"
        if _under(host, self.shorteners):
            return "a shortened link hides where it leads"
        if host.startswith("xn--") or ".xn--" in host:
            return "look-alike letters in the site's name"
        if path.endswith(_DOWNLOADS):
            return "a link to a program or archive to download"
        if _under(host, self.allowed) or _GOVERNMENT.search(host):
            return None
        tokens = _TOKEN.findall(host)
        name = tokens[:-1]  # the ending (".com") says nothing
        if any(t in self.lookalike for t in name):
            return "named like a government service but not a government site"
        if any(t in self.scam_words for t in name):
            return "scam words in the site's name"
        return None

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:
        t = n.text
        if "." not in t:
            return []
        hits: list[Hit] = []
        for start, end in find_links(t):
            url = t[start:end].rstrip(".,;:!?)")
            host_m = HOST.match(url)
            if host_m is None:
                continue
            host = host_m.group(1).rstrip(".")
            if "." not in host:
                continue
            path = url[host_m.end() :].split("?", 1)[0].split("#", 1)[0]
            why = self.sign(host, path)
            if why is None:
                continue
            s, e = n.span(start, start + len(url))
            hits.append(Hit(s, e, item.text[s:e], 0.9, f"link to {host}: {why}"))
        return hits
