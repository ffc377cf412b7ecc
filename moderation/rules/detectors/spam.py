"""Spam: links to domains outside the allowlist, and the same text posted again and again.

Scam phrases are a plain word-list rule (``policies/lexicons/scam_phrases.txt``); they need no detector.
"""

from __future__ import annotations

import re
from typing import Any

from moderation.domain import CommentInput

from ..model import Hit
from ..normalise import Normalised
from . import Context, Detector, read_list, register

TLDS = (
    "com|net|org|info|biz|io|ly|co|xyz|top|site|online|shop|store|me|au|uk|us|nz|gl|gd|link|click|app|tk|ru|cn"
    "|live|club|vip|win|bet|loan|money|finance|tv|cc|ws|to|be|in|de|gg|ee"
)
# A link is a scheme or "www." up to the next space, or a bare domain with a known ending ("bit.ly/x").
# Bare domains are found from their ending (".com", which starts with a literal and so is quick to find),
# then read back to the start of the name.
_SCHEME_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']{1,2000}")
_DOT_TLD = re.compile(r"\.(?:" + TLDS + r")\b")
_BARE = re.compile(r"(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.){1,6}(?:" + TLDS + r")\b(?:/[^\s<>\"']{0,2000})?")
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-.")
_NOT_AFTER = re.compile(r"[\w@.\-]")  # a bare domain does not start right after these
HOST = re.compile(r"^(?:https?://)?([^/:?#\s]+)")


def find_links(t: str) -> list[tuple[int, int]]:
    """Spans of the links in folded text ``t``, left to right, never overlapping (as one regular expression
    with both forms, scanned left to right, would find them)."""
    out: list[tuple[int, int]] = []
    # A scheme link starts with "http" or "www.": the regex is tried only there (a ``match`` at a known
    # place costs much less than a ``search``).
    starts: list[int] = []
    for key in ("http", "www."):
        at = t.find(key)
        while at != -1:
            starts.append(at)
            at = t.find(key, at + 1)
    if len(starts) > 1:
        starts.sort()
    pos = 0
    while pos <= len(t):
        scheme = None
        for at in starts:
            if at >= pos:
                scheme = _SCHEME_URL.match(t, at)
                if scheme is not None:
                    break
        bare = _next_bare(t, pos, scheme.start() if scheme is not None else len(t) + 1)
        if bare is not None:
            out.append(bare)
            pos = bare[1]
        elif scheme is not None:
            out.append(scheme.span())
            pos = scheme.end()
        else:
            break
    return out


def _next_bare(t: str, pos: int, limit: int) -> tuple[int, int] | None:
    """The first bare domain starting in ``[pos, limit)``."""
    m = _DOT_TLD.search(t, pos)
    while m is not None:  # as ``finditer`` would, without building a scanner for the usual one match
        start = m.start()
        while start > 0 and t[start - 1] in _NAME_CHARS:
            start -= 1
        if start >= limit:
            return None
        # Skipped: the name began before ``pos``, or right after a word, "@" or ".".
        if not (start < pos or (start > 0 and _NOT_AFTER.match(t, start - 1))):
            found = _BARE.match(t, start)
            if found is not None:
                return start, found.end()
        m = _DOT_TLD.search(t, m.end())
    return None


def under(host: str, domains: frozenset[str]) -> bool:
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
class LinkDetector(Detector):
    """Links whose host is not on the allowlist (a host matches an entry or any subdomain of it)."""

    name = "link"
    # Triggers found by the pipeline's Aho-Corasick pass: a scheme, "www." or a dot before a known ending.
    prefilter = ("http", "www.", *(f".{tld}" for tld in TLDS.split("|")))
    params_spec = {"allow_domains_file": str}
    required_params = frozenset({"allow_domains_file"})

    def __init__(self, params: dict[str, Any], base: Any) -> None:
        super().__init__(params, base)
        self.allowed = frozenset(d.lower().lstrip(".") for d, _ in read_list(self.read(params["allow_domains_file"])))
        self.prefilter_terms = self.prefilter

    def allowed_host(self, host: str) -> bool:
        """Is ``host`` an allowlisted domain or a subdomain of one?"""
        host = host.lower().rstrip(".")
        return under(host[4:] if host.startswith("www.") else host, self.allowed)

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
            host = host_m.group(1)
            if "." not in host or self.allowed_host(host):
                continue
            s, e = n.span(start, start + len(url))
            hits.append(Hit(s, e, item.text[s:e], 0.9, f"link to {host}, not on the allowlist"))
        return hits


@register
class RepeatDetector(Detector):
    """The same text seen ``threshold`` or more times recently (the service counts; see CommentInput)."""

    name = "repeat"
    gate = "repeat"
    params_spec = {"threshold": int}
    required_params = frozenset({"threshold"})

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:
        if item.repeat_count >= int(self.params["threshold"]) and item.text.strip():
            return [Hit(0, len(item.text), item.text[:80], 1.0, f"posted {item.repeat_count} times recently")]
        return []
