"""Impersonation: an author name or handle that imitates the department's accounts or listed staff.

Names are compared as *compact skeletons*: folded, leetspeak mapped, everything but letters and digits
removed ("DCW_V1c Support" -> "dcwvicsupport"). An author whose platform id is one of the official
account ids is never an impersonator. Hits have an empty span at 0 (the evidence is the author, not
the text) and carry the author name as the match.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from moderation.domain import CommentInput

from ..model import Hit
from ..normalise import normalise
from . import Context, Detector, register

_MARKERS = ("dcw", "official", "minister", "secretary", "gov", "media", "team", "support", "admin", "vic")


@lru_cache(maxsize=4096)
def compact(name: str) -> str:
    """The skeleton of a name (cached: the same authors comment again and again, and three rules read them)."""
    return "".join(c for c in normalise(name).evasion.text if c.isalnum())


@register
class ImpersonationDetector(Detector):
    """``kind = "department"``: imitates an official account; ``kind = "staff"``: uses a listed person's name."""

    name = "impersonation"
    gate = "author"
    params_spec = {"accounts_file": str, "kind": str, "marked": str}
    required_params = frozenset({"accounts_file", "kind"})

    def __init__(self, params: dict[str, Any], base: Any) -> None:
        super().__init__(params, base)
        if params["kind"] not in ("department", "staff"):
            raise ValueError("impersonation kind must be 'department' or 'staff'")
        # For staff: "marked" = the name comes with an official-sounding marker ("DCW", "official", "media",
        # "minister"); "unmarked" = the bare name; "any" (default) = either.
        self.marked = params.get("marked", "any")
        if self.marked not in ("any", "marked", "unmarked"):
            raise ValueError("impersonation marked must be 'any', 'marked' or 'unmarked'")
        data = tomllib.loads(self.read(params["accounts_file"]))
        self.official_ids = {str(a["id"]) for a in data.get("account", [])}
        names: set[str] = set()
        for a in data.get("account", []):
            for key in ("name", "handle"):
                if a.get(key):
                    names.add(compact(a[key]))
        for alias in data.get("department", {}).get("names", []):
            c = compact(alias)
            if len(c) >= 5:
                names.add(c)
        self.department = sorted(names, key=len, reverse=True)
        self.staff = sorted({compact(p["name"]) for p in data.get("person", [])}, key=len, reverse=True)
        # The verdict on an author's name and handle, remembered for the authors seen last (most comments on a
        # page come from people who have commented before). Hits are frozen, so a remembered list is shared.
        self._judged = lru_cache(maxsize=2048)(self._judge)

    def find(self, item: CommentInput, n: Any, ctx: Context) -> list[Hit]:
        if item.author_id and item.author_id in self.official_ids:
            return []
        return list(self._judged(item.author_name, item.author_handle))

    def _judge(self, author_name: str, author_handle: str) -> tuple[Hit, ...]:
        shown = author_name or author_handle
        for raw in (author_name, author_handle):
            if not raw:
                continue
            c = compact(raw)
            if not c:
                continue
            if self.params["kind"] == "department":
                for target in self.department:
                    if target in c:
                        return (Hit(0, 0, shown, 0.9, f"author {raw!r} imitates the official account {target!r}"),)
                    if len(c) >= 5 and fuzz.ratio(c, target) >= 88:
                        return (Hit(0, 0, shown, 0.75, f"author {raw!r} looks like the official account {target!r}"),)
            else:
                for person in self.staff:
                    if person in c:
                        rest = c.replace(person, "")
                        marked = any(m in rest for m in _MARKERS)
                        if (self.marked == "marked" and not marked) or (self.marked == "unmarked" and marked):
                            continue
                        conf = 0.85 if marked else 0.5
                        return (Hit(0, 0, shown, conf, f"author {raw!r} uses the name of listed staff {person!r}"),)
        return ()
