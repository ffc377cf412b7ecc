"""The fake X API v2: users, tokens, tweets with edit history, and the endpoints the connector calls (lookup,
mentions, timelines, recent search, hide replies with its 15-minute budget, posting a reply)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote

from connectors.testing.fake_platform.state import PlatformState
from connectors.testing.fake_platform.wire import X_WINDOW, _Reply, _x_error, _x_time

_LINK = re.compile(r"(?:https?://|www\.)[^\s]+")


def wrap_links(text: str, seed: str) -> tuple[str, list[dict[str, Any]]]:
    """As X does: every link in a tweet's text becomes a t.co link, and ``entities.urls`` gives where it goes."""
    urls: list[dict[str, Any]] = []
    parts: list[str] = []
    prev = 0
    for i, m in enumerate(_LINK.finditer(text)):
        short = f"https://t.co/{seed[-6:]}{i:02d}"
        parts.append(text[prev : m.start()])
        start = sum(len(p) for p in parts)
        parts.append(short)
        expanded = m.group() if m.group().startswith("http") else "http://" + m.group()
        urls.append({"start": start, "end": start + len(short), "url": short, "expanded_url": expanded,
                     "display_url": m.group().split("://", 1)[-1][:30]})  # fmt: skip
        prev = m.end()
    parts.append(text[prev:])
    return "".join(parts), urls


class XApi(PlatformState):
    """X state and requests."""

    # ------------------------------------------------------------ X state
    def add_x_user(self, user_id: str, username: str, name: str = "") -> str:
        with self.lock:
            self.x_users[user_id] = {"id": user_id, "username": username, "name": name or username}
        return user_id

    def add_x_token(self, token: str, user_id: str = "app") -> str:
        """``user_id``: the user a user-context token acts for, or ``"app"`` for an app-only bearer token."""
        with self.lock:
            self.x_tokens[token] = user_id
        return token

    def add_tweet(self, author_id: str, text: str, reply_to: str | None = None, created: datetime | None = None) -> str:
        when = created or self.clock()
        with self.lock:
            tid = self._tweet_id(when)
            wrapped, urls = wrap_links(text, tid)
            tweet: dict[str, Any] = {
                "id": tid,
                "text": wrapped,
                "urls": urls,
                "author_id": author_id,
                "created": when,
                "conversation_id": tid,
                "edit_history_tweet_ids": [tid],
                "deleted": False,
                "latest": True,
                "original": tid,
            }
            if reply_to is not None:
                parent = self.tweets[reply_to]
                tweet["conversation_id"] = parent["conversation_id"]
                tweet["in_reply_to_user_id"] = parent["author_id"]
                tweet["referenced_tweets"] = [{"type": "replied_to", "id": reply_to}]
            self.tweets[tid] = tweet
            self._latest_ids.add(tid)
        return tid

    def edit_tweet(self, tweet_id: str, text: str) -> str:
        """An edit makes a new version with a new id; the first id stays the tweet's identity."""
        with self.lock:
            old = self.tweets[tweet_id]
            new_id = self._tweet_id(self.clock())
            history = [*old["edit_history_tweet_ids"], new_id]
            wrapped, urls = wrap_links(text, new_id)
            new = dict(old, id=new_id, text=wrapped, urls=urls, edit_history_tweet_ids=history, created=self.clock())
            for version in history[:-1]:
                self.tweets[version]["latest"] = False
                self._latest_ids.discard(version)
                self.tweets[version]["edit_history_tweet_ids"] = history
            self.tweets[new_id] = new
            self._latest_ids.add(new_id)
        return new_id

    # ------------------------------------------------------------ X API v2
    def _x_auth(self, headers: Any) -> tuple[str, str]:
        """Returns (credential, user id or "app")."""
        value = headers.get("Authorization") or ""
        if value.startswith("Bearer "):
            token = value[len("Bearer ") :]
        elif value.startswith("OAuth "):
            found = re.search(r'oauth_token="([^"]+)"', value)
            token = unquote(found.group(1)) if found else ""
        else:
            raise _x_error(401, "Unauthorized", "Unauthorized")
        if token in self.expired_tokens or token not in self.x_tokens:
            raise _x_error(401, "Unauthorized", "Unauthorized")
        return token, self.x_tokens[token]

    def _x_budget(self, who: str, bucket: str, limit: int) -> dict[str, str]:
        now = self.clock()
        start, used = self._x_windows.get((who, bucket), (now, 0))
        if now >= start + X_WINDOW:
            start, used = now, 0
        reset = str(int((start + X_WINDOW).timestamp()))
        if used >= limit:
            raise _Reply(
                429,
                {"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429},
                {"x-rate-limit-limit": str(limit), "x-rate-limit-remaining": "0", "x-rate-limit-reset": reset},
            )
        self._x_windows[(who, bucket)] = (start, used + 1)
        return {
            "x-rate-limit-limit": str(limit),
            "x-rate-limit-remaining": str(limit - used - 1),
            "x-rate-limit-reset": reset,
        }

    def _x(
        self, method: str, path: str, query: dict[str, str], headers: Any, body: bytes, fault: str | None
    ) -> tuple[int, Any, dict[str, str]]:
        token, who = self._x_auth(headers)
        with self.lock:
            hidden_route = re.fullmatch(r"/2/tweets/([^/]+)/hidden", path)
            if hidden_route and method == "PUT":
                if who == "app":
                    raise _x_error(
                        403,
                        "Unsupported Authentication",
                        "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.",
                    )
                rate = self._x_budget(who, "hide", self.x_hide_limit)
                return 200, self._x_hide(hidden_route.group(1), who, body), rate
            if path == "/2/tweets" and method == "POST":
                if who == "app":
                    raise _x_error(
                        403,
                        "Unsupported Authentication",
                        "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.",
                    )
                rate = self._x_budget(who, "post", 100)
                return 201, self._x_post(who, body), rate
            rate = self._x_budget(token, re.sub(r"/\d+", "/:id", path), self.x_read_limit)
            if path == "/2/users/me":
                if who == "app":
                    raise _x_error(
                        403,
                        "Unsupported Authentication",
                        "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.",
                    )
                return 200, {"data": dict(self.x_users[who])}, rate
            route = re.fullmatch(r"/2/users/([^/]+)(/mentions|/tweets)?", path)
            if route and method == "GET":
                user_id, edge = route.group(1), route.group(2)
                if user_id not in self.x_users:
                    return 200, {"errors": [self._x_not_found(user_id, "user")]}, rate
                if edge is None:
                    return 200, {"data": dict(self.x_users[user_id])}, rate
                if edge == "/mentions":
                    items = self._x_mentions(user_id)
                else:
                    items = self._x_timeline(user_id, query)
                return 200, self._x_list(items, query, "pagination_token", fault), rate
            if path == "/2/tweets/search/recent":
                return 200, self._x_list(self._x_search(query), query, "next_token", fault), rate
            if not self.x_lookup and re.fullmatch(r"/2/tweets(/\d+)?", path):
                raise _x_error(404, "Not Found Error", f"no route {method} {path}")
            if path == "/2/tweets" and method == "GET":
                ids = [i for i in query.get("ids", "").split(",") if i]
                found = [self.tweets[i] for i in ids if i in self.tweets and not self.tweets[i]["deleted"]]
                payload: dict[str, Any] = {"data": [self._tweet_json(t) for t in found]} if found else {}
                missing = [self._x_not_found(i, "tweet") for i in ids if i not in {t["id"] for t in found}]
                if missing:
                    payload["errors"] = missing
                return 200, payload, rate
            single = re.fullmatch(r"/2/tweets/([^/]+)", path)
            if single and method == "GET":
                tweet = self.tweets.get(single.group(1))
                if tweet is None or tweet["deleted"]:
                    return 200, {"errors": [self._x_not_found(single.group(1), "tweet")]}, rate
                return (
                    200,
                    {
                        "data": self._tweet_json(tweet),
                        "includes": {
                            "users": [self.x_users[tweet["author_id"]]] if tweet["author_id"] in self.x_users else []
                        },
                    },
                    rate,
                )
        raise _x_error(404, "Not Found Error", f"no route {method} {path}")

    @staticmethod
    def _x_not_found(item_id: str, kind: str) -> dict[str, Any]:
        return {
            "value": item_id,
            "detail": f"Could not find {kind} with id: [{item_id}].",
            "title": "Not Found Error",
            "resource_type": kind,
            "parameter": "id",
            "resource_id": item_id,
            "type": "https://api.twitter.com/2/problems/resource-not-found",
        }

    def _x_hide(self, tweet_id: str, who: str, body: bytes) -> dict[str, Any]:
        tweet = self.tweets.get(tweet_id)
        if tweet is None or tweet["deleted"]:
            raise _x_error(404, "Not Found Error", f"Could not find tweet with id: [{tweet_id}].")
        root = self.tweets.get(tweet["conversation_id"])
        if tweet["conversation_id"] == tweet["original"] or root is None or root["author_id"] != who:
            raise _x_error(403, "Forbidden", "You cannot hide or unhide replies to a conversation you did not start.")
        try:
            hidden = bool(json.loads(body or b"{}")["hidden"])
        except (ValueError, KeyError, TypeError):
            raise _x_error(400, "Invalid Request", "One or more parameters to your request was invalid.") from None
        self.x_hidden[tweet["original"]] = hidden
        (self.hide_calls if hidden else self.unhide_calls)[tweet["original"]] += 1
        return {"data": {"hidden": hidden}}

    def _x_post(self, who: str, body: bytes) -> dict[str, Any]:
        try:
            data = json.loads(body or b"{}")
            text = str(data["text"])
            reply_to = (data.get("reply") or {}).get("in_reply_to_tweet_id")
        except (ValueError, KeyError, TypeError, AttributeError):
            raise _x_error(400, "Invalid Request", "One or more parameters to your request was invalid.") from None
        if not text.strip() or len(text) > 280:
            raise _x_error(400, "Invalid Request", "The text of your post is empty or too long.")
        if reply_to is not None:
            target = self.tweets.get(str(reply_to))
            if target is None or target["deleted"]:
                raise _x_error(400, "Invalid Request", "The post you are replying to is deleted or not visible.")
            self.reply_calls[target["original"]] += 1
        tid = self.add_tweet(who, text, reply_to=str(reply_to) if reply_to is not None else None)
        return {"data": {"id": tid, "text": text, "edit_history_tweet_ids": [tid]}}

    def _visible(self) -> list[dict[str, Any]]:
        found = (self.tweets[tid] for tid in self._latest_ids)
        return [t for t in found if not t["deleted"]]

    def _x_mentions(self, user_id: str) -> list[dict[str, Any]]:
        handle = "@" + self.x_users[user_id]["username"].lower()
        return [
            t
            for t in self._visible()
            if t["author_id"] != user_id and (t.get("in_reply_to_user_id") == user_id or handle in t["text"].lower())
        ]

    def _x_timeline(self, user_id: str, query: dict[str, str]) -> list[dict[str, Any]]:
        items = [t for t in self._visible() if t["author_id"] == user_id]
        excluded = query.get("exclude", "")
        if "replies" in excluded:
            items = [t for t in items if t["conversation_id"] == t["original"]]
        if query.get("start_time"):
            start = datetime.fromisoformat(query["start_time"].replace("Z", "+00:00"))
            items = [t for t in items if t["created"] >= start]
        return items

    def _x_search(self, query: dict[str, str]) -> list[dict[str, Any]]:
        text = query.get("query", "")
        items = [t for t in self._visible() if t["created"] >= self.clock() - timedelta(days=self.search_days)]
        conv = re.search(r"conversation_id:(\d+)", text)
        if conv:
            items = [t for t in items if t["conversation_id"] == conv.group(1)]
        if "is:reply" in text:
            items = [t for t in items if t["conversation_id"] != t["original"]]
        for excluded in re.findall(r"-from:(\w+)", text):
            ids = {u["id"] for u in self.x_users.values() if u["username"].lower() == excluded.lower()}
            items = [t for t in items if t["author_id"] not in ids]
        return items

    def _x_list(
        self, items: list[dict[str, Any]], query: dict[str, str], token_key: str, fault: str | None
    ) -> dict[str, Any]:
        since = query.get("since_id")
        if since:
            items = [t for t in items if int(t["id"]) > int(since)]
        until = query.get("until_id")
        if until:
            items = [t for t in items if int(t["id"]) < int(until)]
        items = sorted(items, key=lambda t: int(t["id"]), reverse=True)
        try:
            page, _, nxt = self._page(items, query, "max_results", token_key, fault, 10)
        except _Reply:
            raise _x_error(400, "Invalid Request", "The `pagination_token` query parameter value is invalid") from None
        if not page:
            return {"meta": {"result_count": 0}}
        data = [self._tweet_json(t) for t in page]
        authors = {t["author_id"] for t in page}
        meta: dict[str, Any] = {"result_count": len(page), "newest_id": page[0]["id"], "oldest_id": page[-1]["id"]}
        ids = [int(t["id"]) for t in page]
        meta["newest_id"], meta["oldest_id"] = str(max(ids)), str(min(ids))
        if nxt is not None:
            meta["next_token"] = self._token(nxt)
        return {
            "data": data,
            "includes": {"users": [dict(self.x_users[a]) for a in sorted(authors) if a in self.x_users]},
            "meta": meta,
        }

    def _tweet_json(self, tweet: dict[str, Any]) -> dict[str, Any]:
        out = {
            "id": tweet["id"],
            "text": tweet["text"],
            "author_id": tweet["author_id"],
            "created_at": _x_time(tweet["created"]),
            "conversation_id": tweet["conversation_id"],
            "edit_history_tweet_ids": list(tweet["edit_history_tweet_ids"]),
            "lang": "en",
        }
        if tweet.get("in_reply_to_user_id"):
            out["in_reply_to_user_id"] = tweet["in_reply_to_user_id"]
        if tweet.get("referenced_tweets"):
            out["referenced_tweets"] = list(tweet["referenced_tweets"])
        if tweet.get("urls"):
            out["entities"] = {"urls": [dict(u) for u in tweet["urls"]]}
        return out
