"""The X connector's calls through tweepy: one client per account, rate headers read on every response, errors
mapped to the port's exceptions, reads paged one page at a time."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
import tweepy

from connectors.base import (
    ApiSession,
    Clock,
    HidePacer,
    RateState,
    Sleep,
    account_memory,
    endpoint_bucket,
    protect_secrets,
    scrub,
    utcnow,
)
from connectors.x.wire import X_HOST, _credentials
from moderation.ports import (
    AccountConfig,
    AuthExpired,
    Capabilities,
    NotFound,
    NotOwnConversation,
    Permanent,
    PermissionMissing,
    RateLimited,
    Transient,
    Unconfirmed,
)


class XHttp:
    """An X account's client: settings, credentials, rate state and the calls every other part makes."""

    platform = "x"

    def __init__(self, config: AccountConfig, *, clock: Clock | None = None, sleep: Sleep | None = None) -> None:
        self.config = config
        self.own_id = str(config.external_id)
        settings = config.settings or {}
        self._clock = clock or utcnow
        self._sleep = sleep or time.sleep
        self.username = settings.get("username", "").lstrip("@")
        self.overlap = timedelta(minutes=float(settings.get("overlap_minutes", "2")))
        self.search_window = timedelta(days=float(settings.get("search_days", "7")))
        self.min_roots = int(settings.get("min_roots", "3"))
        creds = _credentials(config.token)
        self._secrets = [v for v in creds.values() if v] + ([config.token] if config.token else [])
        protect_secrets(*self._secrets)
        self._oauth1 = bool(creds.get("access_token") and creds.get("consumer_key"))
        app_only = settings.get("auth", "user").lower() == "app"
        self.can_user_auth = self._oauth1 or (bool(creds.get("bearer_token")) and not app_only)
        self._read_user_auth = not creds.get("bearer_token")
        self.client = tweepy.Client(
            bearer_token=creds.get("bearer_token"),
            consumer_key=creds.get("consumer_key"),
            consumer_secret=creds.get("consumer_secret"),
            access_token=creds.get("access_token"),
            access_token_secret=creds.get("access_token_secret"),
            return_type=dict,
            wait_on_rate_limit=False,
        )
        self.rate = RateState(self._clock, self._sleep)
        self.client.session = ApiSession(X_HOST, config.api_base, config.timeout, self._on_response)
        memory = account_memory(self.platform, config.api_base, self.own_id)
        if memory.pacer is None:
            memory.pacer = HidePacer(
                int(settings.get("hides_per_window", "50")),
                timedelta(minutes=float(settings.get("window_minutes", "15"))),
                self._clock,
            )
        self.pacer = memory.pacer  # shared by every instance for this account in this process
        self._conversation_of = memory.conversation_of  # comment id (stable) -> conversation id
        self._owner_of = memory.owner_of  # conversation id -> root author id
        self._latest = memory.latest  # stable id -> newest version id
        self._root_text = memory.root_text
        self._unsure = memory.unsure  # hides sent but never answered (see _set_hidden)
        self._rediscovered = False
        self._search_available = True

    def capabilities(self) -> Capabilities:
        return Capabilities(
            can_hide=self.can_user_auth,
            own_conversations_only=True,
            hides_per_window=self.pacer.limit,
            window_seconds=int(self.pacer.window.total_seconds()),
        )

    # ------------------------------------------------------------ HTTP
    def _on_response(self, response: requests.Response) -> None:
        self.rate.record_x(endpoint_bucket(response.request.method or "GET", response.url), response.headers)

    def _call(self, method: str, route: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
        bucket = endpoint_bucket(method, route)
        self.rate.gate(bucket)
        try:
            result = fn(*args, **kwargs)
        except tweepy.TooManyRequests as exc:
            retry_at = datetime.fromtimestamp(exc.reset_time, UTC) if exc.reset_time else None
            if retry_at is not None:
                self.rate.block(bucket, retry_at)
            raise RateLimited(
                f"X answered 429 Too Many Requests on {bucket}",
                retry_at=retry_at,
                reason=self._api_message(exc) or "rate limit reached",
            ) from None
        except tweepy.Unauthorized as exc:
            raise AuthExpired(
                "X refused the credentials (401): re-authorise the account", reason=self._api_message(exc)
            ) from None
        except tweepy.Forbidden as exc:
            message = self._api_message(exc)
            if "conversation" in message.lower() or "hidden" in bucket and "reply" in message.lower():
                raise NotOwnConversation(f"X refused ({bucket}): {message}", reason=message) from None
            raise PermissionMissing(f"X refused ({bucket}): {message}", reason=message) from None
        except tweepy.NotFound as exc:
            raise NotFound(f"X: not found ({bucket})", reason=self._api_message(exc)) from None
        except tweepy.TwitterServerError as exc:
            raise Transient(f"X server error {exc.response.status_code} on {bucket}") from None
        except tweepy.BadRequest as exc:
            raise Permanent(
                f"X rejected the request ({bucket}): {self._api_message(exc)}", reason=self._api_message(exc)
            ) from None
        except tweepy.HTTPException as exc:
            raise Permanent(
                f"X answered {exc.response.status_code} on {bucket}", reason=self._api_message(exc)
            ) from None
        except requests.ReadTimeout:
            if method != "GET":
                raise Unconfirmed(
                    f"X did not answer a change within the timeout ({bucket}); it may be applied"
                ) from None
            raise Transient(f"X did not answer within the timeout ({bucket})") from None
        except requests.Timeout:
            raise Transient(f"X did not answer within the timeout ({bucket})") from None
        except requests.RequestException as exc:
            raise Transient(f"network error talking to X ({bucket}): {type(exc).__name__}") from None
        except TypeError:
            # tweepy raises TypeError when user-context credentials are incomplete (no consumer key, ...)
            raise Permanent(f"the X credentials for this account are incomplete for {bucket}") from None
        except (ValueError, KeyError):
            raise Transient(f"X sent a malformed response ({bucket})") from None
        if not isinstance(result, dict):
            raise Transient(f"X sent an unexpected response shape ({bucket})")
        return result

    def _api_message(self, exc: tweepy.HTTPException) -> str:
        parts = list(exc.api_messages or [])
        return scrub("; ".join(parts), self._secrets)[:500]

    def _read(self, method: str, route: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
        """A GET with at most two short retries on ``Transient`` (0.2 s, 0.5 s)."""
        for pause in (0.2, 0.5, None):
            try:
                return self._call(method, route, fn, *args, **kwargs)
            except Transient:
                if pause is None:
                    raise
                self._sleep(pause)
        raise AssertionError("unreachable")

    def _paged(
        self, route: str, fn: Callable[..., Any], token_name: str, *args: Any, **kwargs: Any
    ) -> Iterator[dict[str, Any]]:
        token: str | None = None
        seen_tokens: set[str] = set()
        while True:
            params = dict(kwargs)
            if token:
                params[token_name] = token
            result = self._read("GET", route, fn, *args, user_auth=self._read_user_auth, **params)
            yield result
            token = (result.get("meta") or {}).get("next_token")
            if not token or token in seen_tokens:
                return
            seen_tokens.add(token)
