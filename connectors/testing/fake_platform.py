"""A fake Facebook Graph API and X API v2 server on 127.0.0.1, with state and fault injection.

Why: the connectors must be tested through the real facebook-sdk and tweepy code paths, over HTTP, against
the real payload shapes, including the platforms' bad days. This server keeps state (a hide really hides
and the next poll sees it), pages the way the platforms do (Graph ``paging.cursors.after`` + ``paging.next``
with ``access_token`` in its query; X ``meta.next_token``, ``meta.newest_id``, ``includes.users``,
``edit_history_tweet_ids``), sends rate headers, enforces X's 50 hides per 15 minutes per user, and injects
faults on demand.

In-process::

    fp = FakePlatform(seed=1)
    base = fp.start()                      # "http://127.0.0.1:PORT"
    fp.add_graph_token("fb-token")         # all permissions; perms=... to leave some out
    page = fp.add_fb_page("1001", "Department")
    post = fp.add_fb_post(page, "Road closures this weekend")
    cid = fp.add_fb_comment(post, "you idiots", author=("u1", "A Person"))
    fp.inject(r"POST /v\\d+\\.\\d+/", "html", times=1)   # next hide gets an HTML 502
    ...
    fp.hide_calls[cid]                     # hide requests that reached the server and succeeded
    fp.reply_calls[cid], fp.replies_to(cid)  # replies published under a comment (Graph edge or X reply post)
    fp.stop()

Faults (``inject(target, kind, times)``; ``target`` is a regex searched in ``"METHOD /path"``):
``429`` (with ``x-rate-limit-reset`` / ``Retry-After``), ``429_noreset``, ``rate_code`` (Graph error 32 with a
usage header), ``5xx``, ``html`` (502 HTML page), ``slow`` (answer after ``slow_seconds``: the request is
processed first, as a slow real server would), ``malformed`` (truncated JSON with status 200), ``expired``
(X 401 / Graph code 190), ``forbidden`` (403), ``duplicate`` (a list page repeats items of the page before),
``out_of_order`` (a list page is shuffled). ``random_faults(rate, kinds, target)`` injects them at random
with the seeded RNG. ``messy_paging = True`` duplicates and shuffles every list page.

Standalone: ``python -m connectors.testing.fake_platform --port 8999 --seed-demo``; ``GET /_fake/state`` shows
the hidden ids and how many hide requests reached the server for each.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlparse

GRAPH_PERMISSIONS = frozenset(
    {
        "pages_read_engagement",
        "pages_read_user_content",
        "pages_manage_engagement",
        "instagram_basic",
        "instagram_manage_comments",
    }
)
FAULT_KINDS = (
    "429",
    "429_noreset",
    "rate_code",
    "5xx",
    "html",
    "slow",
    "malformed",
    "expired",
    "forbidden",
    "duplicate",
    "out_of_order",
)
TWITTER_EPOCH_MS = 1288834974657
X_WINDOW = timedelta(minutes=15)


@dataclass
class _Fault:
    target: re.Pattern[str]
    kind: str
    times: int


class _Reply(Exception):
    """Raised by a route to answer with an error status and body."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None, ctype: str = "json") -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.ctype = ctype


def _fb_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _x_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _graph_error(
    code: int,
    message: str,
    status: int = 400,
    subcode: int | None = None,
    kind: str = "OAuthException",
    transient: bool = False,
) -> _Reply:
    err: dict[str, Any] = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf123"}
    if subcode is not None:
        err["error_subcode"] = subcode
    if transient:
        err["is_transient"] = True
    return _Reply(status, {"error": err})


def _x_error(status: int, title: str, detail: str) -> _Reply:
    return _Reply(status, {"title": title, "detail": detail, "type": "about:blank", "status": status})


class FakePlatform:
    """The platforms' state, the HTTP server that serves it, and the faults to inject."""

    def __init__(
        self,
        *,
        seed: int = 0,
        clock: Callable[[], datetime] | None = None,
        page_size: int = 25,
        slow_seconds: float = 1.5,
        x_hide_limit: int = 50,
        x_read_limit: int = 450,
        search_days: float = 7.0,
    ) -> None:
        self.lock = threading.RLock()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.rng = random.Random(seed)
        self.page_size = page_size
        self.slow_seconds = slow_seconds
        self.x_hide_limit = x_hide_limit
        self.x_read_limit = x_read_limit
        self.search_days = search_days
        self.x_lookup = True  # False: no GET /2/tweets and /2/tweets/:id (a server with only the polling endpoints)
        self.expand_replies = True  # False: ignore the replies{...} field expansion, like a simpler server
        self.inline_replies = 25  # Instagram replies returned inline by the replies{...} field expansion
        # Graph
        self.graph_tokens: dict[str, set[str]] = {}
        self.fb_pages: dict[str, dict[str, Any]] = {}
        self.ig_users: dict[str, dict[str, Any]] = {}
        self.posts: dict[str, dict[str, Any]] = {}  # Facebook posts and Instagram media
        self.comments: dict[str, dict[str, Any]] = {}  # Facebook and Instagram comments
        self._children: dict[str, list[str]] = {}  # post or comment id -> comment ids on it (an index)
        self.graph_usage = 0.0  # percentage sent in X-App-Usage
        self.graph_regain_minutes = 0
        # X
        self.x_users: dict[str, dict[str, Any]] = {}
        self.x_tokens: dict[str, str] = {}  # bearer or OAuth 1.0a access token -> user id, or "app"
        self.tweets: dict[str, dict[str, Any]] = {}  # every version, by its own id
        self.x_hidden: dict[str, bool] = {}  # original id -> hidden
        self._latest_ids: set[str] = set()  # ids of the latest version of every tweet (an index)
        self._x_windows: dict[tuple[str, str], tuple[datetime, int]] = {}
        self._last_tweet_id = 0
        # shared
        self.expired_tokens: set[str] = set()
        self.hide_calls: Counter[str] = Counter()  # hide requests that reached the server and succeeded
        self.unhide_calls: Counter[str] = Counter()
        # Replies by an account that reached the server and were published, by the id replied to (a tweet's first id)
        self.reply_calls: Counter[str] = Counter()
        self.requests: list[str] = []
        self.request_log: list[tuple[str, str, str]] = []  # (request line, User-Agent, auth scheme)
        self.faults: list[_Fault] = []
        self.fault_log: Counter[str] = Counter()
        self.messy_paging = False
        self._random: tuple[float, tuple[str, ...], re.Pattern[str]] | None = None
        self._seq = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""
        # Called with (verb, comment) after a Graph comment is added, edited, removed, hidden or unhidden
        # (see fake_webhooks.WebhookSender); verbs as in Meta's feed webhooks.
        self.listeners: list[Callable[[str, dict[str, Any]], None]] = []
        self.subscribed_apps: dict[str, str] = {}  # page id -> subscribed fields

    def _notify(self, verb: str, comment: dict[str, Any]) -> None:
        for listener in list(self.listeners):
            listener(verb, dict(comment))

    # ------------------------------------------------------------ lifecycle
    def start(self, port: int = 0) -> str:
        platform = self

        class Handler(_Handler):
            fake = platform

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-platform", daemon=True)
        self._thread.start()
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakePlatform:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------ faults
    def inject(self, target: str, kind: str, times: int = 1) -> None:
        """Make the next ``times`` requests whose ``"METHOD /path"`` matches ``target`` fail with ``kind``."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULT_KINDS)}")
        with self.lock:
            self.faults.append(_Fault(re.compile(target), kind, times))

    def random_faults(self, rate: float, kinds: tuple[str, ...] = FAULT_KINDS, target: str = ".") -> None:
        """Fail a share ``rate`` of matching requests with a kind drawn from ``kinds`` (seeded RNG)."""
        with self.lock:
            self._random = (rate, tuple(kinds), re.compile(target)) if rate > 0 else None

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()
            self._random = None
            self.messy_paging = False

    def _take_fault(self, line: str) -> str | None:
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and fault.target.search(line):
                    fault.times -= 1
                    self.fault_log[fault.kind] += 1
                    return fault.kind
            self.faults = [f for f in self.faults if f.times > 0]
            if self._random is not None:
                rate, kinds, target = self._random
                if target.search(line) and self.rng.random() < rate:
                    kind = self.rng.choice(kinds)
                    self.fault_log[kind] += 1
                    return kind
        return None

    # ------------------------------------------------------------ ids and time
    def _id(self) -> str:
        with self.lock:
            self._seq += 1
            return str(17841400000000000 + self._seq)

    def _tweet_id(self, when: datetime) -> str:
        with self.lock:
            stamp = int(when.timestamp() * 1000) - TWITTER_EPOCH_MS
            self._last_tweet_id = max(self._last_tweet_id + 1, stamp << 22)
            return str(self._last_tweet_id)

    # ------------------------------------------------------------ Graph state
    def add_graph_token(self, token: str, perms: set[str] | frozenset[str] = GRAPH_PERMISSIONS) -> str:
        with self.lock:
            self.graph_tokens[token] = set(perms)
        return token

    def expire_token(self, token: str) -> None:
        with self.lock:
            self.expired_tokens.add(token)

    def add_fb_page(self, page_id: str, name: str = "Department") -> str:
        with self.lock:
            self.fb_pages[page_id] = {"id": page_id, "name": name}
        return page_id

    def add_ig_user(self, ig_id: str, username: str = "department") -> str:
        with self.lock:
            self.ig_users[ig_id] = {"id": ig_id, "username": username}
        return ig_id

    def add_fb_post(self, page_id: str, message: str, created: datetime | None = None) -> str:
        when = created or self.clock()
        with self.lock:
            post_id = f"{page_id}_{self._id()}"
            self.posts[post_id] = {
                "id": post_id,
                "kind": "fb",
                "owner": page_id,
                "text": message,
                "created": when,
                "updated": when,
                "url": f"https://www.facebook.com/{post_id}",
            }
        return post_id

    def add_ig_media(self, ig_id: str, caption: str, created: datetime | None = None) -> str:
        when = created or self.clock()
        with self.lock:
            media_id = self._id()
            self.posts[media_id] = {
                "id": media_id,
                "kind": "ig",
                "owner": ig_id,
                "text": caption,
                "created": when,
                "updated": when,
                "url": f"https://www.instagram.com/p/{media_id}/",
            }
        return media_id

    def add_fb_comment(
        self,
        post_id: str,
        text: str,
        author: tuple[str, str] = ("u1", "A Person"),
        parent: str | None = None,
        created: datetime | None = None,
    ) -> str:
        return self._add_comment("fb", post_id, text, author, parent, created)

    def add_ig_comment(
        self,
        media_id: str,
        text: str,
        username: str = "someone",
        parent: str | None = None,
        created: datetime | None = None,
    ) -> str:
        return self._add_comment("ig", media_id, text, (f"ig-{username}", username), parent, created)

    def _add_comment(
        self, kind: str, post_id: str, text: str, author: tuple[str, str], parent: str | None, created: datetime | None
    ) -> str:
        when = created or self.clock()
        with self.lock:
            post = self.posts[post_id]
            cid = f"{post_id.split('_')[-1]}_{self._id()}" if kind == "fb" else self._id()
            self.comments[cid] = {
                "id": cid,
                "kind": kind,
                "post": post_id,
                "parent": parent,
                "text": text,
                "author_id": author[0],
                "author_name": author[1],
                "created": when,
                "hidden": False,
                "deleted": False,
            }
            post["updated"] = max(post["updated"], when)
            self._children.setdefault(post_id, []).append(cid)
            if parent is not None:
                self._children.setdefault(parent, []).append(cid)
            added = self.comments[cid]
        self._notify("add", added)
        return cid

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
            tweet: dict[str, Any] = {
                "id": tid,
                "text": text,
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
            new = dict(old, id=new_id, text=text, edit_history_tweet_ids=history, created=self.clock())
            for version in history[:-1]:
                self.tweets[version]["latest"] = False
                self._latest_ids.discard(version)
                self.tweets[version]["edit_history_tweet_ids"] = history
            self.tweets[new_id] = new
            self._latest_ids.add(new_id)
        return new_id

    # ------------------------------------------------------------ shared state helpers
    def edit(self, item_id: str, text: str) -> str:
        """Edit a comment (same id) or a tweet (new version id, returned)."""
        with self.lock:
            if item_id in self.tweets:
                return self.edit_tweet(item_id, text)
            self.comments[item_id]["text"] = text
            edited = self.comments[item_id]
        self._notify("edited", edited)
        return item_id

    def delete(self, item_id: str) -> None:
        with self.lock:
            if item_id in self.tweets:
                for version in self.tweets[item_id]["edit_history_tweet_ids"]:
                    self.tweets[version]["deleted"] = True
            else:
                self.comments[item_id]["deleted"] = True
                removed = self.comments[item_id]
        if item_id not in self.tweets:
            self._notify("remove", removed)

    def hidden_ids(self) -> set[str]:
        with self.lock:
            return {c["id"] for c in self.comments.values() if c["hidden"]} | {
                tid for tid, hidden in self.x_hidden.items() if hidden
            }

    def latest_tweet_id(self, original: str) -> str:
        with self.lock:
            return self.tweets[original]["edit_history_tweet_ids"][-1]

    # ------------------------------------------------------------ request entry
    def handle(self, method: str, raw_path: str, headers: Any, body: bytes) -> tuple[int, dict[str, str], bytes]:
        parsed = urlparse(raw_path)
        query = {k: v[-1] for k, v in parse_qs(parsed.query, keep_blank_values=True).items()}
        path = parsed.path
        line = f"{method} {path}"
        if path == "/_fake/state":  # for demos and black-box checks: what the "platform" now holds
            with self.lock:
                state = {
                    "hidden_ids": sorted(self.hidden_ids()),
                    "hide_calls": dict(self.hide_calls),
                    "unhide_calls": dict(self.unhide_calls),
                    "reply_calls": dict(self.reply_calls),
                    "requests": len(self.requests),
                    "faults": dict(self.fault_log),
                }
            return 200, {"content-type": "application/json"}, json.dumps(state).encode()
        with self.lock:
            self.requests.append(line)
            auth = (headers.get("Authorization") or "").split(" ", 1)[0]
            self.request_log.append((line, headers.get("User-Agent") or "", auth))
        is_x = path.startswith("/2/")
        fault = self._take_fault(line)
        try:
            if fault and fault not in ("slow", "duplicate", "out_of_order"):
                self._raise_fault(fault, is_x)
            if is_x:
                status, payload, extra = self._x(method, path, query, headers, body, fault)
            else:
                status, payload, extra = self._graph(method, path, query, headers, body, fault)
            out_headers = {"content-type": "application/json; charset=UTF-8", **extra}
            if fault == "slow":
                time.sleep(self.slow_seconds)
            return status, out_headers, json.dumps(payload).encode()
        except _Reply as reply:
            if reply.ctype == "html":
                return reply.status, {"content-type": "text/html; charset=utf-8", **reply.headers}, reply.body
            if reply.ctype == "raw":
                return reply.status, {"content-type": "application/json", **reply.headers}, reply.body
            return (
                reply.status,
                {"content-type": "application/json; charset=UTF-8", **reply.headers},
                json.dumps(reply.body).encode(),
            )

    def _raise_fault(self, kind: str, is_x: bool) -> None:
        reset = int(self.clock().timestamp()) + 60
        if kind == "429":
            if is_x:
                raise _Reply(
                    429,
                    {"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429},
                    {"x-rate-limit-limit": "50", "x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
                )
            raise _Reply(
                429, {"error": {"message": "(#4) Application request limit reached", "code": 4}}, {"Retry-After": "60"}
            )
        if kind == "429_noreset":
            body = (
                {
                    "title": "UsageCapExceeded",
                    "detail": "Usage cap exceeded: Monthly product cap",
                    "type": "https://api.twitter.com/2/problems/usage-capped",
                }
                if is_x
                else {"error": {"message": "Too many requests", "code": 4}}
            )
            raise _Reply(429, body)
        if kind == "rate_code":
            if is_x:
                raise _Reply(
                    429,
                    {"title": "Too Many Requests"},
                    {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
                )
            usage = json.dumps(
                {
                    "1001": [
                        {
                            "type": "pages",
                            "call_count": 100,
                            "total_cputime": 40,
                            "total_time": 40,
                            "estimated_time_to_regain_access": 5,
                        }
                    ]
                }
            )
            reply = _graph_error(32, "(#32) Page request limit reached")
            reply.headers["X-Business-Use-Case-Usage"] = usage
            raise reply
        if kind == "5xx":
            if is_x:
                raise _x_error(503, "Service Unavailable", "Service Unavailable")
            raise _graph_error(
                2, "An unexpected error has occurred. Please retry your request later.", status=500, transient=True
            )
        if kind == "html":
            raise _Reply(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", ctype="html")
        if kind == "malformed":
            raise _Reply(200, b'{"data": [{"id": "1", "text": "trunc', ctype="raw")
        if kind == "expired":
            if is_x:
                raise _x_error(401, "Unauthorized", "Unauthorized")
            raise _graph_error(190, "Error validating access token: Session has expired.", subcode=463)
        if kind == "forbidden":
            if is_x:
                raise _x_error(403, "Forbidden", "You are not permitted to perform this action.")
            raise _graph_error(200, "(#200) Permissions error", status=403)

    # ------------------------------------------------------------ paging helper
    def _page(
        self,
        items: list[Any],
        query: dict[str, str],
        limit_key: str,
        token_key: str,
        fault: str | None,
        default_limit: int,
    ) -> tuple[list[Any], int, int | None]:
        """Slice ``items`` at the offset in ``query[token_key]``; returns the page, offset and next offset."""
        try:
            limit = int(query.get(limit_key) or default_limit)
        except ValueError:
            raise _graph_error(100, f"(#100) Invalid {limit_key}") from None
        limit = max(1, min(limit, self.page_size))
        start = 0
        if query.get(token_key):
            try:
                start = int(base64.urlsafe_b64decode(query[token_key].encode()).decode().split(":")[1])
            except (ValueError, IndexError):
                raise _graph_error(100, "(#100) Invalid cursor") from None
        end = min(start + limit, len(items))
        page = list(items[start:end])
        if (fault == "duplicate" or self.messy_paging) and start > 0:
            page = list(items[max(0, start - 2) : start]) + page
        if fault == "out_of_order" or self.messy_paging:
            self.rng.shuffle(page)
        return page, start, end if end < len(items) else None

    @staticmethod
    def _token(offset: int) -> str:
        return base64.urlsafe_b64encode(f"off:{offset}".encode()).decode()

    def _usage_headers(self) -> dict[str, str]:
        usage = round(self.graph_usage)
        return {
            "X-App-Usage": json.dumps({"call_count": usage, "total_cputime": usage // 2, "total_time": usage // 2}),
            "X-Business-Use-Case-Usage": json.dumps(
                {
                    "1001": [
                        {
                            "type": "pages",
                            "call_count": usage,
                            "total_cputime": 1,
                            "total_time": 1,
                            "estimated_time_to_regain_access": self.graph_regain_minutes,
                        }
                    ]
                }
            ),
            "facebook-api-version": "v23.0",
        }

    # ------------------------------------------------------------ Graph API
    def _graph(
        self, method: str, path: str, query: dict[str, str], headers: Any, body: bytes, fault: str | None
    ) -> tuple[int, Any, dict[str, str]]:
        match = re.match(r"^/v\d+\.\d+/(.+?)/?$", path)
        if not match:
            raise _graph_error(2500, "Unknown path components", subcode=None)
        form = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()} if body else {}
        token = form.get("access_token") or query.get("access_token")
        if not token:
            raise _graph_error(104, "An access token is required to request this resource.")
        if token in self.expired_tokens:
            raise _graph_error(190, "Error validating access token: Session has expired.", subcode=463)
        perms = self.graph_tokens.get(token)
        if perms is None:
            raise _graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        parts = match.group(1).split("/")
        with self.lock:
            if parts == ["me", "permissions"]:
                data = [{"permission": p, "status": "granted"} for p in sorted(perms)]
                return 200, {"data": data}, self._usage_headers()
            if parts == ["me"]:
                first = next(iter(self.fb_pages.values()), {"id": "0", "name": "nobody"})
                return 200, {"id": first["id"], "name": first["name"]}, self._usage_headers()
            if len(parts) == 1 and method == "GET":
                return 200, self._graph_object(parts[0], perms), self._usage_headers()
            if len(parts) == 1 and method == "POST":
                return 200, self._graph_hide(parts[0], form, perms), self._usage_headers()
            if len(parts) == 2 and parts[1] in ("comments", "replies") and method == "POST":
                return 200, self._graph_reply(parts[0], parts[1], form, perms), self._usage_headers()
            if len(parts) == 2 and parts[1] == "subscribed_apps" and method == "POST":
                return 200, self._subscribe_app(parts[0], form, perms), self._usage_headers()
            if len(parts) == 2 and method == "GET":
                items = self._graph_edge(parts[0], parts[1], query, perms)
                page, start, nxt = self._page(items, query, "limit", "after", fault, 25)
                paging: dict[str, Any] = {
                    "cursors": {
                        "before": self._token(start),
                        "after": self._token(nxt if nxt is not None else start + len(page)),
                    }
                }
                if nxt is not None:
                    next_query = {k: v for k, v in query.items() if k != "after"}
                    next_query.update({"access_token": token, "after": self._token(nxt)})
                    host = headers.get("Host", "graph.facebook.com")
                    paging["next"] = f"http://{host}{path}?{urlencode(next_query)}"
                if parts[1] == "comments" and "replies{" in query.get("fields", "") and self.expand_replies:
                    page = [self._with_inline_replies(item, token, headers) for item in page]
                payload: dict[str, Any] = {"data": page, "paging": paging}
                if query.get("summary") == "true":
                    payload["summary"] = {"order": query.get("order", "chronological"), "total_count": len(items)}
                return 200, payload, self._usage_headers()
        raise _graph_error(100, f"(#100) Unsupported {method} request.", subcode=None)

    def _need(self, perms: set[str], perm: str, code: int = 10) -> None:
        if perm not in perms:
            raise _graph_error(code, f"(#{code}) This endpoint requires the '{perm}' permission.", status=403)

    def _graph_object(self, object_id: str, perms: set[str]) -> dict[str, Any]:
        if object_id in self.comments and not self.comments[object_id]["deleted"]:
            comment = self.comments[object_id]
            self._need(perms, "pages_read_engagement" if comment["kind"] == "fb" else "instagram_basic")
            return self._comment_json(comment)
        if object_id in self.posts:
            return self._post_json(self.posts[object_id])
        if object_id in self.fb_pages:
            return dict(self.fb_pages[object_id])
        if object_id in self.ig_users:
            return dict(self.ig_users[object_id])
        raise _graph_error(
            100,
            f"Unsupported get request. Object with ID '{object_id}' does not exist, cannot be "
            "loaded due to missing permissions, or does not support this operation.",
            subcode=33,
            kind="GraphMethodException",
        )

    def _graph_hide(self, object_id: str, form: dict[str, str], perms: set[str]) -> dict[str, Any]:
        comment = self.comments.get(object_id)
        if comment is None or comment["deleted"]:
            raise _graph_error(
                100,
                f"Unsupported post request. Object with ID '{object_id}' does not exist",
                subcode=33,
                kind="GraphMethodException",
            )
        field = "is_hidden" if comment["kind"] == "fb" else "hide"
        if field not in form:
            raise _graph_error(100, f"(#100) Param {field} is required for this object")
        self._need(perms, "pages_manage_engagement" if comment["kind"] == "fb" else "instagram_manage_comments", 200)
        value = form[field].lower() == "true"
        comment["hidden"] = value
        (self.hide_calls if value else self.unhide_calls)[object_id] += 1
        self._notify("hide" if value else "unhide", comment)
        return {"success": True}

    def _graph_reply(self, object_id: str, edge: str, form: dict[str, str], perms: set[str]) -> dict[str, Any]:
        """The account's reply under a comment: Facebook ``/{comment}/comments``, Instagram ``/{comment}/replies``."""
        comment = self.comments.get(object_id)
        if comment is None or comment["deleted"]:
            raise _graph_error(
                100,
                f"Unsupported post request. Object with ID '{object_id}' does not exist",
                subcode=33,
                kind="GraphMethodException",
            )
        if edge != ("comments" if comment["kind"] == "fb" else "replies"):
            raise _graph_error(100, f"(#100) Unsupported post request: no edge {edge} on this object")
        message = form.get("message", "")
        if not message.strip():
            raise _graph_error(100, "(#100) Param message must be non-empty")
        self._need(perms, "pages_manage_engagement" if comment["kind"] == "fb" else "instagram_manage_comments", 200)
        owner = self.posts[comment["post"]]["owner"]
        name = (self.fb_pages.get(owner) or {}).get("name") or (self.ig_users.get(owner) or {}).get("username", "")
        self.reply_calls[object_id] += 1
        reply_id = self._add_comment(comment["kind"], comment["post"], message, (owner, str(name)), object_id, None)
        return {"id": reply_id}

    def replies_to(self, item_id: str) -> list[str]:
        """The texts of the replies under a comment or tweet (every author), oldest first."""
        with self.lock:
            if item_id in self.tweets:
                return [
                    t["text"]
                    for t in sorted(self._visible(), key=lambda t: int(t["id"]))
                    if any(r.get("id") == item_id for r in t.get("referenced_tweets") or [])
                ]
            return [c["text"] for c in self._comments_on(item_id) if c["parent"] == item_id]

    def _subscribe_app(self, page_id: str, form: dict[str, str], perms: set[str]) -> dict[str, Any]:
        if page_id not in self.fb_pages:
            raise _graph_error(100, f"Unsupported post request. Object with ID '{page_id}' does not exist", subcode=33)
        self._need(perms, "pages_manage_metadata", 200)
        fields = form.get("subscribed_fields", "")
        if not fields:
            raise _graph_error(100, "(#100) Param subscribed_fields is required")
        self.subscribed_apps[page_id] = fields
        return {"success": True}

    def _graph_edge(self, object_id: str, edge: str, query: dict[str, str], perms: set[str]) -> list[Any]:
        if edge in ("published_posts", "feed", "posts") and object_id in self.fb_pages:
            self._need(perms, "pages_read_engagement")
            posts = [p for p in self.posts.values() if p["owner"] == object_id and p["kind"] == "fb"]
            if query.get("since"):
                posts = [p for p in posts if p["created"].timestamp() >= float(query["since"])]
            posts.sort(key=lambda p: p["created"], reverse=True)
            return [self._post_json(p) for p in posts]
        if edge == "media" and object_id in self.ig_users:
            self._need(perms, "instagram_basic")
            media = [p for p in self.posts.values() if p["owner"] == object_id and p["kind"] == "ig"]
            media.sort(key=lambda p: p["created"], reverse=True)
            return [self._post_json(p) for p in media]
        if edge == "comments" and object_id in self.posts:
            post = self.posts[object_id]
            self._need(perms, "pages_read_user_content" if post["kind"] == "fb" else "instagram_basic")
            comments = [c for c in self._comments_on(object_id) if c["post"] == object_id]
            if post["kind"] == "ig" or query.get("filter") != "stream":
                comments = [c for c in comments if c["parent"] is None]
            comments.sort(key=lambda c: (c["created"], c["id"]), reverse=query.get("order") == "reverse_chronological")
            return [self._comment_json(c) for c in comments]
        if edge == "comments" and object_id in self.comments and self.comments[object_id]["kind"] == "fb":
            self._need(perms, "pages_read_user_content")
            replies = [c for c in self._comments_on(object_id) if c["parent"] == object_id]
            replies.sort(key=lambda c: (c["created"], c["id"]))
            return [self._comment_json(c) for c in replies]
        if edge == "replies" and object_id in self.comments:
            self._need(perms, "instagram_basic")
            replies = [c for c in self._comments_on(object_id) if c["parent"] == object_id]
            replies.sort(key=lambda c: (c["created"], c["id"]))
            return [self._comment_json(c) for c in replies]
        raise _graph_error(
            100,
            f"Unsupported get request. Object with ID '{object_id}' does not exist, or has no edge {edge}",
            subcode=33,
            kind="GraphMethodException",
        )

    def _with_inline_replies(self, item: dict[str, Any], token: str, headers: Any) -> dict[str, Any]:
        """Instagram field expansion ``replies{...}``: up to ``inline_replies`` inline, omitted when none."""
        comment = self.comments.get(item["id"])
        if comment is None or comment["kind"] != "ig":
            return item
        replies = sorted(
            (c for c in self._comments_on(item["id"]) if c["parent"] == item["id"]),
            key=lambda c: (c["created"], c["id"]),
        )
        if not replies:
            return item
        shown = replies[: self.inline_replies]
        block: dict[str, Any] = {"data": [self._comment_json(c) for c in shown]}
        if len(replies) > len(shown):
            after = self._token(len(shown))
            host = headers.get("Host", "graph.facebook.com")
            block["paging"] = {
                "cursors": {"after": after},
                "next": f"http://{host}/v23.0/{item['id']}/replies?"
                f"{urlencode({'access_token': token, 'after': after})}",
            }
        return dict(item, replies=block)

    def _comments_on(self, object_id: str) -> list[dict[str, Any]]:
        found = (self.comments[cid] for cid in self._children.get(object_id, []))
        return [c for c in found if not c["deleted"]]

    def _post_json(self, post: dict[str, Any]) -> dict[str, Any]:
        if post["kind"] == "fb":
            return {
                "id": post["id"],
                "message": post["text"],
                "created_time": _fb_time(post["created"]),
                "updated_time": _fb_time(post["updated"]),
                "permalink_url": post["url"],
            }
        count = len(self._comments_on(post["id"]))
        return {
            "id": post["id"],
            "caption": post["text"],
            "timestamp": _fb_time(post["created"]),
            "permalink": post["url"],
            "comments_count": count,
            "media_type": "IMAGE",
        }

    def _comment_json(self, comment: dict[str, Any]) -> dict[str, Any]:
        if comment["kind"] == "fb":
            out: dict[str, Any] = {
                "id": comment["id"],
                "message": comment["text"],
                "created_time": _fb_time(comment["created"]),
                "from": {"id": comment["author_id"], "name": comment["author_name"]},
                "is_hidden": comment["hidden"],
                "can_hide": True,
                "permalink_url": f"https://www.facebook.com/{comment['post']}?comment_id={comment['id']}",
            }
            if comment["parent"]:
                out["parent"] = {"id": comment["parent"]}
            return out
        out = {
            "id": comment["id"],
            "text": comment["text"],
            "timestamp": _fb_time(comment["created"]),
            "username": comment["author_name"],
            "from": {"id": comment["author_id"], "username": comment["author_name"]},
            "hidden": comment["hidden"],
            "like_count": 0,
        }
        if comment["parent"]:
            out["parent_id"] = comment["parent"]
        return out

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
        return out

    # ------------------------------------------------------------ demo data
    def seed_demo(self) -> dict[str, str]:
        """A Page, an Instagram account and an X account with a few comments, some abusive."""
        now = self.clock()
        self.add_graph_token("fb-demo-token")
        page = self.add_fb_page("1001", "Department of Roads (demo)")
        post = self.add_fb_post(page, "Road closures on the Westgate this weekend", now - timedelta(hours=5))
        c1 = self.add_fb_comment(
            post, "Thanks for the heads up", ("u1", "Sam Citizen"), created=now - timedelta(hours=4)
        )
        self.add_fb_comment(
            post, "you useless idiots, fix the potholes", ("u2", "Angry Person"), created=now - timedelta(hours=3)
        )
        self.add_fb_comment(post, "Agreed, thanks", ("u3", "Lee"), parent=c1, created=now - timedelta(hours=2))
        ig = self.add_ig_user("17841400000000999", "department_demo")
        media = self.add_ig_media(ig, "New tram stop opening", now - timedelta(hours=6))
        top = self.add_ig_comment(media, "Looks great", "tram_fan", created=now - timedelta(hours=5))
        self.add_ig_comment(media, "this is garbage, morons", "grump", parent=top, created=now - timedelta(hours=4))
        self.add_x_user("1500000000000000001", "VicRoadsDemo", "Roads Demo")
        self.add_x_user("1500000000000000002", "citizen_a", "Citizen A")
        self.add_x_user("1500000000000000003", "other_org", "Other Org")
        self.add_x_token("x-demo-token", "1500000000000000001")
        root = self.add_tweet("1500000000000000001", "Westgate closed this weekend", created=now - timedelta(hours=3))
        self.add_tweet(
            "1500000000000000002", "@VicRoadsDemo you are all clowns", reply_to=root, created=now - timedelta(hours=2)
        )
        theirs = self.add_tweet("1500000000000000003", "Traffic chaos again", created=now - timedelta(hours=2))
        self.add_tweet(
            "1500000000000000002",
            "@other_org @VicRoadsDemo idiots the lot of you",
            reply_to=theirs,
            created=now - timedelta(hours=1),
        )
        return {
            "facebook_page": page,
            "facebook_token": "fb-demo-token",
            "instagram_user": ig,
            "instagram_token": "fb-demo-token",
            "x_user": "1500000000000000001",
            "x_token": "x-demo-token",
        }


class _Handler(BaseHTTPRequestHandler):
    fake: FakePlatform
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            status, headers, payload = self.fake.handle(self.command, self.path, self.headers, body)
        except Exception as exc:  # a bug in the fake must show up as a clear 500, not a hung test
            status, headers = 500, {"content-type": "application/json"}
            payload = json.dumps({"error": {"message": f"fake server bug: {exc!r}", "code": 1}}).encode()
        try:
            # One write for head and body, and TCP_NODELAY (see setup): otherwise Nagle's algorithm and
            # delayed ACKs add ~40 ms to every loopback request.
            head = [f"HTTP/1.1 {status} {self.responses.get(status, ('Status',))[0]}"]
            head += [f"{name}: {value}" for name, value in headers.items()]
            head += [f"Content-Length: {len(payload)}", "Connection: keep-alive", "", ""]
            self.wfile.write("\r\n".join(head).encode("latin-1") + payload)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a "slow" fault): nothing to do

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fake Graph API / X API v2 server for modq demos and tests")
    parser.add_argument("--port", type=int, default=8999)
    parser.add_argument("--seed-demo", action="store_true", help="load a demo Page, Instagram and X account")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="share of requests to fail at random")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    fake = FakePlatform(seed=args.seed)
    ids = fake.seed_demo() if args.seed_demo else {}
    if args.fault_rate:
        fake.random_faults(args.fault_rate, kinds=("429", "5xx", "html", "malformed", "duplicate", "out_of_order"))
    base = fake.start(args.port)
    print(f"fake platform listening on {base}", flush=True)
    for key, value in ids.items():
        print(f"  {key}: {value}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
