"""Shared plumbing for the platform connectors: one HTTP session, rate awareness, hide pacing, scrubbing.

Why this exists: the three platform connectors share the same hard parts, and each must get them right
the same way.

* ``ApiSession`` is a ``requests.Session`` that rewrites the platform's hard-coded host to
  ``AccountConfig.api_base`` (a proxy, or a fake server in tests), always sets a timeout (tweepy sets none,
  facebook-sdk defaults to none), ignores proxy environment variables, and feeds every response's rate
  headers to a ``RateState``. One session per connector instance: nothing touches a module global, so
  several connectors pointing at different hosts can live in one process.
* ``RateState`` remembers what the platform last told us (``x-rate-limit-*`` on X; ``X-App-Usage``,
  ``X-Page-Usage``, ``X-Business-Use-Case-Usage`` on the Graph API) and refuses the next call with
  ``RateLimited(retry_at=...)`` when a budget is spent, instead of sleeping for minutes or busy-looping.
  When usage is merely high it asks for one short, bounded pause (at most ``MAX_SLOWDOWN_SECONDS``).
* ``HidePacer`` is a sliding window (X allows 50 hides per 15 minutes per user). When full it raises
  ``RateLimited`` with the moment a slot frees; nothing is dropped, the caller retries then.
* ``scrub`` removes tokens from any text that may end up in an exception message or a log.

Clocks and sleeps are injectable so tests (and the soak) run on a fake clock.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from moderation.ports import Permanent, RateLimited

Clock = Callable[[], datetime]
Sleep = Callable[[float], None]

#: Graph usage percentage at which we stop calling until the platform's regain time.
USAGE_STOP_PERCENT = 90.0
#: Graph usage percentage at which each call is preceded by a short pause.
USAGE_SLOW_PERCENT = 75.0
#: The longest pause a connector takes on its own; anything longer becomes ``RateLimited``.
MAX_SLOWDOWN_SECONDS = 1.0
#: When usage is high but the platform gives no regain time, wait this long before the next call.
DEFAULT_USAGE_PAUSE = timedelta(minutes=5)


def as_dict(value: object) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one (platform payloads are not to be trusted)."""
    return value if isinstance(value, dict) else {}


def utcnow() -> datetime:
    return datetime.now(UTC)


def parse_time(value: str | None) -> datetime:
    """Parse the platforms' timestamps (``2026-11-20T09:30:00+0000``, ``...Z``, ``...+11:00``)."""
    if not value:
        return datetime(1970, 1, 1, tzinfo=UTC)
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    m = re.match(r"^(.*[T ]\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d)(\d\d)$", text)
    if m:
        text = f"{m.group(1)}{m.group(2)}:{m.group(3)}"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


_TOKEN_PARAM = re.compile(r"(access_token|oauth_token|oauth_signature|token)=([^&\s'\"]+)", re.IGNORECASE)
_BEARER = re.compile(r"(Bearer|OAuth)\s+[^\s'\"]+", re.IGNORECASE)


def scrub(text: object, secrets: Iterable[str] = ()) -> str:
    """Return ``text`` with every secret and every ``access_token=...`` query value replaced by ``***``."""
    out = str(text)
    for secret in secrets:
        if secret and len(secret) >= 4:
            out = out.replace(secret, "***")
    out = _TOKEN_PARAM.sub(lambda m: f"{m.group(1)}=***", out)
    return _BEARER.sub(lambda m: f"{m.group(1)} ***", out)


class _RedactTokens(logging.Filter):
    """Scrubs known tokens and ``access_token=`` values from the vendor libraries' debug logs.

    tweepy logs request headers (the bearer token) and urllib3 logs URLs (facebook-sdk's ``access_token``)
    at DEBUG; a service running with debug logging must still never write a token.
    """

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # a malformed record is not ours to fix
            return True
        record.msg, record.args = scrub(text, self.secrets), ()
        return True


_REDACT = _RedactTokens()
_VENDOR_LOGGERS = ("tweepy.client", "urllib3.connectionpool", "requests_oauthlib", "oauthlib")


def protect_secrets(*secrets: str) -> None:
    """Register secrets to be scrubbed from vendor library logs (idempotent)."""
    _REDACT.secrets.update(s for s in secrets if s and len(s) >= 4)
    for name in _VENDOR_LOGGERS:
        logger = logging.getLogger(name)
        if _REDACT not in logger.filters:
            logger.addFilter(_REDACT)


# ---------------------------------------------------------------- rate state
class RateState:
    """What the platform last said about our budgets, and the gate in front of the next call.

    Buckets are keyed by endpoint (``"GET /2/users/:id/mentions"``) for X and by ``"graph"`` for the Graph API.
    Thread-safe: the session's response hook may run in any thread that uses the connector.
    """

    def __init__(self, clock: Clock = utcnow, sleep: Sleep = time.sleep) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._blocked_until: dict[str, datetime] = {}
        self._slow: dict[str, float] = {}
        self.last_usage_percent: float = 0.0

    # -- fed by the response hook
    def record_x(self, bucket: str, headers: Any) -> None:
        remaining = _int(headers.get("x-rate-limit-remaining"))
        reset = _int(headers.get("x-rate-limit-reset"))
        with self._lock:
            if remaining is not None and remaining <= 0 and reset is not None:
                self._blocked_until[bucket] = datetime.fromtimestamp(reset, UTC)
            elif remaining is not None and remaining > 0:
                self._blocked_until.pop(bucket, None)

    def record_graph(self, headers: Any) -> None:
        percent, regain = graph_usage(headers)
        with self._lock:
            self.last_usage_percent = percent
            if percent >= USAGE_STOP_PERCENT:
                pause = timedelta(minutes=regain) if regain > 0 else DEFAULT_USAGE_PAUSE
                self._blocked_until["graph"] = self._clock() + pause
                self._slow.pop("graph", None)
            elif percent >= USAGE_SLOW_PERCENT:
                self._blocked_until.pop("graph", None)
                # Scale the pause with the usage: 0.25 s at 75 %, up to MAX_SLOWDOWN_SECONDS near 90 %.
                share = (percent - USAGE_SLOW_PERCENT) / (USAGE_STOP_PERCENT - USAGE_SLOW_PERCENT)
                self._slow["graph"] = round(0.25 + share * (MAX_SLOWDOWN_SECONDS - 0.25), 3)
            else:
                self._blocked_until.pop("graph", None)
                self._slow.pop("graph", None)

    def block(self, bucket: str, until: datetime) -> None:
        with self._lock:
            self._blocked_until[bucket] = until

    # -- consulted before each call
    def gate(self, bucket: str) -> None:
        """Raise ``RateLimited`` if ``bucket`` is spent; pause briefly if it is nearly spent."""
        with self._lock:
            until = self._blocked_until.get(bucket)
            pause = self._slow.get(bucket, 0.0)
        if until is not None:
            if until > self._clock():
                raise RateLimited(
                    f"rate budget for {bucket} is spent; waiting until {until.isoformat()}",
                    retry_at=until,
                    reason="the platform's rate limit is nearly reached",
                )
            with self._lock:
                self._blocked_until.pop(bucket, None)
        if pause > 0:
            self._sleep(min(pause, MAX_SLOWDOWN_SECONDS))


def _int(value: object) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def graph_usage(headers: Any) -> tuple[float, float]:
    """Highest usage percentage in the Graph usage headers, and the longest regain time (minutes)."""
    highest = 0.0
    regain = 0.0
    for name in ("X-App-Usage", "X-Page-Usage", "X-Ad-Account-Usage", "X-Business-Use-Case-Usage"):
        raw = headers.get(name)
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for entry in _usage_entries(data):
            for key, value in entry.items():
                if key == "estimated_time_to_regain_access":
                    regain = max(regain, _float(value))
                elif key in ("call_count", "total_time", "total_cputime", "acc_id_util_pct"):
                    highest = max(highest, _float(value))
    return highest, regain


def _usage_entries(data: object) -> list[dict[str, Any]]:
    """X-App-Usage is one dict; X-Business-Use-Case-Usage is {business id: [dict, ...]}."""
    if isinstance(data, dict) and any(isinstance(v, list) for v in data.values()):
        return [e for v in data.values() if isinstance(v, list) for e in v if isinstance(e, dict)]
    return [data] if isinstance(data, dict) else []


def _float(value: object) -> float:
    try:
        return float(str(value))
    except (TypeError, ValueError):
        return 0.0


def retry_at_from_headers(headers: Any, clock: Clock = utcnow) -> datetime | None:
    """When a 429 says we may try again: ``x-rate-limit-reset`` (epoch), ``Retry-After`` (seconds), Graph regain."""
    reset = _int(headers.get("x-rate-limit-reset"))
    if reset is not None and reset > 0:
        return datetime.fromtimestamp(reset, UTC)
    after = _int(headers.get("Retry-After"))
    if after is not None and after >= 0:
        return clock() + timedelta(seconds=after)
    _, regain = graph_usage(headers)
    if regain > 0:
        return clock() + timedelta(minutes=regain)
    return None


# ---------------------------------------------------------------- hide pacing
class HidePacer:
    """A sliding window of hide requests: at most ``limit`` per ``window`` (X: 50 per 15 minutes).

    ``acquire`` records a slot or raises ``RateLimited`` with the time the oldest slot frees. It never sleeps,
    so a caller with 200 hides queued sends 50 now and gets a precise retry time for the rest.
    """

    def __init__(self, limit: int, window: timedelta, clock: Clock = utcnow) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sent: deque[datetime] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        if self.limit <= 0:
            return
        with self._lock:
            now = self._clock()
            while self._sent and self._sent[0] + self.window <= now:
                self._sent.popleft()
            if len(self._sent) >= self.limit:
                frees = self._sent[0] + self.window
                raise RateLimited(
                    f"hide budget of {self.limit} per {int(self.window.total_seconds() // 60)} minutes is used; "
                    f"next slot at {frees.isoformat()}",
                    retry_at=frees,
                    reason="the platform allows only a limited number of hides per window",
                )
            self._sent.append(now)

    def in_window(self) -> int:
        with self._lock:
            now = self._clock()
            return sum(1 for t in self._sent if t + self.window > now)


# ---------------------------------------------------------------- per-account memory
@dataclass
class AccountMemory:
    """What a connector learns about one account and must not forget when the caller builds a new instance.

    The service may build a fresh connector for every poll or outbox run; within one process these share
    the hide pacer, the writes whose outcome is unknown (``Unconfirmed``), and (X) who started which
    conversation. Keyed by platform, host and account id.
    """

    pacer: HidePacer | None = None
    unsure: dict[str, bool] = field(default_factory=dict)
    owner_of: dict[str, str] = field(default_factory=dict)
    conversation_of: dict[str, str] = field(default_factory=dict)
    latest: dict[str, str] = field(default_factory=dict)
    root_text: dict[str, str] = field(default_factory=dict)


_MEMORY: dict[tuple[str, str, str], AccountMemory] = {}
_MEMORY_LOCK = threading.Lock()


def account_memory(platform: str, api_base: str | None, account: str) -> AccountMemory:
    with _MEMORY_LOCK:
        return _MEMORY.setdefault((platform, api_base or "", account), AccountMemory())


def forget_accounts() -> None:
    """Drop every account's memory (tests, or after re-configuring accounts)."""
    with _MEMORY_LOCK:
        _MEMORY.clear()


# ---------------------------------------------------------------- HTTP session
class ApiSession(requests.Session):
    """A session that sends a platform's requests to ``api_base`` with a timeout, and records rate headers.

    Args:
        real_base: the host the vendor library hard-codes (``https://api.twitter.com``).
        api_base: where to send instead (None: the real host).
        timeout: seconds, applied to every request that does not set its own.
        on_response: called with every response (rate header parsing, status checks). It may raise.
    """

    def __init__(
        self,
        real_base: str,
        api_base: str | None,
        timeout: float,
        on_response: Callable[[requests.Response], None] | None = None,
    ) -> None:
        if api_base and not re.match(r"^https?://[^/\s]+", api_base):
            raise Permanent(f"api_base {api_base!r} must be a URL such as http://127.0.0.1:8999")
        super().__init__()
        self.trust_env = False
        self.real_base = real_base.rstrip("/")
        self.api_base = (api_base or real_base).rstrip("/")
        self.timeout = timeout
        self.on_response = on_response

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        text = url.decode() if isinstance(url, bytes) else url
        if text.startswith(self.real_base):
            text = self.api_base + text[len(self.real_base) :]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        verb = method.decode() if isinstance(method, bytes) else method
        response = super().request(verb, text, *args, **kwargs)
        if self.on_response is not None:
            self.on_response(response)
        return response


_LINK = re.compile(r"https?://\S+")
_LEADING_MENTIONS = re.compile(r"^(?:@\w+\s+)+")


def same_reply_text(shown: str, sent: str) -> bool:
    """Whether a reply the platform shows is the one we sent: links (which X shortens), mentions X puts in
    front of a reply, and spacing are ignored."""

    def plain(text: str) -> str:
        text = _LEADING_MENTIONS.sub("", text.strip())
        return " ".join(_LINK.sub("<link>", text).split())

    return plain(shown) == plain(sent)


def endpoint_bucket(method: str, url: str) -> str:
    """``GET https://h/2/users/123/mentions?x=1`` → ``GET /2/users/:id/mentions`` (ids folded, query dropped).

    Rate budgets are per endpoint, not per object: every ``PUT /2/tweets/:id/hidden`` shares one budget.
    """
    path = re.sub(r"^https?://[^/]+", "", url).split("?", 1)[0]
    if "/2/" in path:
        path = path[path.index("/2/") :]
    path = re.sub(r"/(tweets|users)/(?!search(?:/|$)|me(?:/|$)|by(?:/|$))[^/]+", r"/\1/:id", path)
    return f"{method.upper()} {path}"
