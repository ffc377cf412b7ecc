"""Meta's webhooks for Page comments (object ``page``, field ``feed``) and Instagram comments (object
``instagram``, field ``comments``): the verification handshake, the payload signature, and the payload read into
the port's ``CommentEvent`` values.

Everything here is pure: no I/O, nothing stored. A malformed entry or change is reported and skipped; the rest of
the delivery is kept.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from moderation.ports import CommentEvent, RemoteComment

from .base import as_dict

SIGNATURE_HEADER = "X-Hub-Signature-256"
# Meta's feed verbs for comments; "edited" is the platform's word for an edit.
_FEED_VERBS = {"add": "add", "edited": "edit", "edit": "edit", "remove": "remove", "hide": "hide", "unhide": "unhide"}


def signature_valid(secret: str, body: bytes, header: str | None) -> bool:
    """True when ``header`` is ``sha256=<hex>`` and the hex is HMAC-SHA256 of ``body`` under ``secret``.

    Compared in constant time. An empty secret never validates anything.
    """
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len("sha256=") :].strip().lower())


def sign(secret: str, body: bytes) -> str:
    """The header value Meta would send for ``body`` (used by the fake platform and the tests)."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def handshake(params: Mapping[str, str], verify_token: str) -> str | None:
    """The challenge to echo for a valid subscription handshake, or None (answer 403)."""
    if not verify_token or params.get("hub.mode") != "subscribe":
        return None
    given = params.get("hub.verify_token", "")
    if not hmac.compare_digest(given.encode("utf-8"), verify_token.encode("utf-8")):
        return None
    challenge = params.get("hub.challenge")
    return challenge if challenge else None


@dataclass
class ParsedDelivery:
    events: list[CommentEvent] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    ignored: int = 0  # well-formed changes modq does not act on (posts, reactions, other fields)


def parse_delivery(body: bytes) -> ParsedDelivery:
    out = ParsedDelivery()
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        out.problems.append(f"the body is not JSON: {exc}")
        return out
    if not isinstance(payload, dict):
        out.problems.append("the body is not a JSON object")
        return out
    kind = payload.get("object")
    if kind not in ("page", "instagram"):
        out.problems.append(f"unknown object {str(kind)[:40]!r} (expected 'page' or 'instagram')")
        return out
    entries = payload.get("entry")
    if not isinstance(entries, list):
        out.problems.append("'entry' is not a list")
        return out
    for n, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str | int):
            out.problems.append(f"entry {n}: not an object with an 'id'")
            continue
        account = str(entry["id"])
        changes = entry.get("changes")
        if not isinstance(changes, list):
            out.problems.append(f"entry {n}: 'changes' is not a list")
            continue
        for m, change in enumerate(changes):
            try:
                event = _event(kind, account, change, entry.get("time"))
            except (KeyError, TypeError, ValueError) as exc:
                out.problems.append(f"entry {n} change {m}: {exc}")
                continue
            if event is None:
                out.ignored += 1
            else:
                out.events.append(event)
    return out


def _event(kind: str, account: str, change: Any, sent: Any) -> CommentEvent | None:
    if not isinstance(change, dict):
        raise TypeError("not an object")
    value = change.get("value")
    if not isinstance(value, dict):
        raise TypeError("'value' is not an object")
    if kind == "page":
        if change.get("field") != "feed" or value.get("item") != "comment":
            return None
        return _feed_comment(account, value)
    if change.get("field") != "comments":
        return None
    return _instagram_comment(account, value, _when(sent))


def _text_id(value: Any, key: str) -> str:
    raw = value.get(key)
    if isinstance(raw, bool) or not isinstance(raw, str | int) or str(raw) == "":
        raise ValueError(f"'{key}' is missing or not an id")
    return str(raw)


def _when(raw: Any) -> datetime:
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 0 < raw < 1e11:
        return datetime.fromtimestamp(raw, UTC)
    return datetime.now(UTC)


def _feed_comment(account: str, value: dict[str, Any]) -> CommentEvent:
    verb = _FEED_VERBS.get(str(value.get("verb")))
    if verb is None:
        raise ValueError(f"unknown verb {str(value.get('verb'))[:20]!r}")
    comment_id = _text_id(value, "comment_id")
    if verb not in ("add", "edit"):
        return CommentEvent("facebook", account, verb, comment_id)
    post_id = _text_id(value, "post_id")
    message = value.get("message", "")
    if not isinstance(message, str):
        raise ValueError("'message' is not text")
    author = as_dict(value.get("from"))
    parent = value.get("parent_id")
    parent_id = str(parent) if isinstance(parent, str | int) and str(parent) not in ("", post_id) else None
    post = as_dict(value.get("post"))
    comment = RemoteComment(
        platform="facebook",
        account=account,
        id=comment_id,
        text=message,
        created_at=_when(value.get("created_time")),
        post_id=post_id,
        post_url=str(post.get("permalink_url") or ""),
        parent_id=parent_id,
        author_id=str(author.get("id") or ""),
        author_name=str(author.get("name") or ""),
    )
    return CommentEvent("facebook", account, verb, comment_id, comment)


def _instagram_comment(account: str, value: dict[str, Any], sent: datetime) -> CommentEvent:
    comment_id = _text_id(value, "id")
    media = as_dict(value.get("media"))
    media_id = _text_id(media, "id")
    text = value.get("text", "")
    if not isinstance(text, str):
        raise ValueError("'text' is not text")
    author = as_dict(value.get("from"))
    parent = value.get("parent_id")
    comment = RemoteComment(
        platform="instagram",
        account=account,
        id=comment_id,
        text=text,
        created_at=sent,  # Instagram's change carries no time of its own; the entry's is when it was sent
        post_id=media_id,
        parent_id=str(parent) if isinstance(parent, str | int) and str(parent) else None,
        author_id=str(author.get("id") or ""),
        author_handle=str(author.get("username") or ""),
    )
    return CommentEvent("instagram", account, "add", comment_id, comment)
