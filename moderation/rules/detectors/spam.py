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

_TLDS = (
    "com|net|org|info|biz|io|ly|co|xyz|top|site|online|shop|store|me|au|uk|us|nz|gl|gd|link|click|app|tk|ru|cn"
    "|live|club|vip|win|bet|loan|money|finance|tv|cc|ws|to|be|in|de"
)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']{1,2000}"
    r"|(?<![\w@.\-])(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.){1,6}(?:" + _TLDS + r")\b(?:/[^\s<>\"']{0,2000})?"
)
_HOST = re.compile(r"^(?:https?://)?([^/:?#\s]+)")


@register
class LinkDetector(Detector):
    """Links whose host is not on the allowlist (a host matches an entry or any subdomain of it)."""

    name = "link"
    # Triggers found by the pipeline's Aho-Corasick pass: a scheme, "www." or a dot before a known ending.
    prefilter = ("http", "www.", *(f".{tld}" for tld in _TLDS.split("|")))
    params_spec = {"allow_domains_file": str}
    required_params = frozenset({"allow_domains_file"})

    def __init__(self, params: dict[str, Any], base: Any) -> None:
        super().__init__(params, base)
        self.allowed = tuple(d.lower().lstrip(".") for d, _ in read_list(self.read(params["allow_domains_file"])))
        self.prefilter_terms = self.prefilter

    def allowed_host(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        if host.startswith("www."):
            host = host[4:]
        return any(host == a or host.endswith("." + a) for a in self.allowed)

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:
        t = n.text
        if "." not in t:
            return []
        hits = []
        for m in _URL.finditer(t):
            url = m.group(0).rstrip(".,;:!?)")
            host_m = _HOST.match(url)
            if host_m is None or "." not in host_m.group(1):
                continue
            if self.allowed_host(host_m.group(1)):
                continue
            s, e = n.span(m.start(), m.start() + len(url))
            hits.append(Hit(s, e, item.text[s:e], 0.9, f"link to {host_m.group(1)}, not on the allowlist"))
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
