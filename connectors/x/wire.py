"""What the X connector asks for and how it reads the answers: fields, expansions, credentials, ids."""

from __future__ import annotations

import json
from typing import Any

from moderation.ports import Permanent

X_HOST = "https://api.twitter.com"
TWEET_FIELDS = [
    "author_id",
    "created_at",
    "conversation_id",
    "in_reply_to_user_id",
    "referenced_tweets",
    "lang",
    "entities",
    "edit_history_tweet_ids",
]
EXPANSIONS = ["author_id", "referenced_tweets.id", "in_reply_to_user_id"]
USER_FIELDS = ["username", "name", "created_at", "verified"]
TWITTER_EPOCH_MS = 1288834974657


def _credentials(token: str) -> dict[str, str]:
    text = (token or "").strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            raise Permanent("the X token looks like JSON but does not parse (the value is not shown)") from None
        if not isinstance(data, dict):
            raise Permanent("the X token JSON must be an object")
        return {k: str(v) for k, v in data.items() if v}
    return {"bearer_token": text} if text else {}


def tweet_text(tweet: dict[str, Any]) -> str:
    """The tweet's text with each t.co link written out as where it goes (``entities.urls``), as readers see it:
    X wraps every link in t.co, and the link rule must judge the destination, not the wrapper."""
    text = str(tweet.get("text") or "")
    entities = tweet.get("entities")
    urls = entities.get("urls") if isinstance(entities, dict) else None
    for u in urls if isinstance(urls, list) else ():
        if isinstance(u, dict) and u.get("url") and u.get("expanded_url"):
            text = text.replace(str(u["url"]), str(u["expanded_url"]))
    return text


def _replied_to(tweet: dict[str, Any]) -> str | None:
    for ref in tweet.get("referenced_tweets") or []:
        if isinstance(ref, dict) and ref.get("type") == "replied_to" and ref.get("id"):
            return str(ref["id"])
    return None


def _as_int(value: str | None) -> int | None:
    if value is None:
        return None
    text = str(value).strip()
    return int(text) if text.isdigit() else None
