"""What the fake platforms hold, shared by both APIs: the settings, the faults to inject, ids and paging."""

from __future__ import annotations

import base64
import json
import random
import re
import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from typing import Any

from connectors.testing.fake_platform.wire import FAULT_KINDS, TWITTER_EPOCH_MS, _Fault, _graph_error


class PlatformState:
    """The platforms' state and the faults to inject (the APIs and the server are in the other modules)."""

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
