"""The Graph API client shared by the Facebook Page and Instagram connectors, on facebook-sdk 3.1.0.

Why a wrapper: facebook-sdk 3.1.0 has three habits the connectors must not inherit (see PLATFORMS.md):

* it refuses every Graph API version in service, so we construct it with ``version="3.1"`` and then set
  ``graph.version`` to the configured one (``settings["graph_version"]``, default ``v23.0``);
* it never looks at the HTTP status and chokes on non-JSON bodies (HTML 502 pages, missing content type),
  so our ``ApiSession`` hook inspects every response first and turns 429 / 5xx / non-JSON into our own
  errors before facebook-sdk parses it;
* it waits forever by default, so the session always sets the account's timeout.

The host is rewritten per instance (``AccountConfig.api_base``), never through the module global
``FACEBOOK_GRAPH_URL``. Every vendor exception becomes a ``ConnectorError``; messages are scrubbed of the
token, because facebook-sdk puts ``access_token`` in URLs.

Reads are retried here at most twice on ``Transient`` with short sleeps (0.2 s, 0.5 s) so that one 502
does not restart a whole poll; writes are never retried here (the outbox decides).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

import facebook
import requests

from connectors.base import (
    ApiSession,
    Clock,
    RateState,
    Sleep,
    account_memory,
    as_dict,
    protect_secrets,
    retry_at_from_headers,
    same_reply_text,
    scrub,
    utcnow,
)
from moderation.ports import (
    AuthExpired,
    ConnectorError,
    NotFound,
    Permanent,
    PermissionMissing,
    RateLimited,
    Transient,
    Unconfirmed,
)

GRAPH_HOST = "https://graph.facebook.com"
DEFAULT_GRAPH_VERSION = "v23.0"
READ_RETRY_SLEEPS = (0.2, 0.5)

AUTH_CODES = {102, 104, 190, 463, 467}  # 104: no token at all
AUTH_SUBCODES = {458, 459, 460, 463, 464, 467, 492}
RATE_CODES = {4, 17, 32, 341, 613}
TRANSIENT_CODES = {1, 2}


def graph_version(raw: str | None) -> str:
    """``"23.0"``, ``"v23.0"`` → ``"v23.0"``; anything else is a configuration error."""
    text = (raw or DEFAULT_GRAPH_VERSION).strip()
    if not text.startswith("v"):
        text = "v" + text
    if not re.fullmatch(r"v\d{1,3}\.\d{1,2}", text):
        raise Permanent(f"graph_version {raw!r} is not a Graph API version like v23.0")
    return text


class _HttpFailure(Exception):
    """Raised from the session hook, before facebook-sdk sees a response it cannot handle."""

    def __init__(self, error: ConnectorError) -> None:
        super().__init__(str(error))
        self.error = error


class GraphClient:
    """One Graph API client for one account: facebook-sdk over our own session."""

    def __init__(
        self,
        token: str,
        api_base: str | None,
        timeout: float,
        version: str | None,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self._clock = clock or utcnow
        self._sleep = sleep or time.sleep
        self._secrets = [token] if token else []
        protect_secrets(*self._secrets)
        self.rate = RateState(self._clock, self._sleep)
        self.session = ApiSession(GRAPH_HOST, api_base, timeout, self._on_response)
        self.graph = facebook.GraphAPI(access_token=token or None, timeout=timeout, version="3.1", session=self.session)
        self.graph.version = graph_version(version)
        self._last_headers: Any = {}
        self._last_status = 0

    # -- response hook: runs inside facebook-sdk's call, before it parses the body
    def _on_response(self, response: requests.Response) -> None:
        self._last_headers = response.headers
        self._last_status = response.status_code
        self.rate.record_graph(response.headers)
        status = response.status_code
        if status in (401, 404):
            reason = self._body_message(response)
            if status == 401:
                raise _HttpFailure(AuthExpired("Graph API refused the token (401): re-authorise", reason=reason))
            raise _HttpFailure(NotFound("Graph API: not found (404)", reason=reason))
        ctype = response.headers.get("content-type", "") or ""
        if status == 429:
            retry_at = retry_at_from_headers(response.headers, self._clock)
            if retry_at is not None:
                self.rate.block("graph", retry_at)  # no call goes out before then, whoever asks
            raise _HttpFailure(RateLimited("Graph API answered 429 Too Many Requests", retry_at=retry_at))
        if status >= 500:
            raise _HttpFailure(Transient(f"Graph API server error {status}"))
        if "json" not in ctype.lower():
            if status == 403:
                raise _HttpFailure(PermissionMissing("Graph API refused the request (403)"))
            raise _HttpFailure(Transient(f"Graph API sent a non-JSON body (status {status}, type {ctype!r})"))

    def _body_message(self, response: requests.Response) -> str:
        try:
            message = as_dict(as_dict(response.json()).get("error")).get("message") or ""
        except ValueError:
            message = ""
        return scrub(message, self._secrets)[:300]

    # -- calls
    def call(self, path: str, args: dict[str, str] | None = None, post_args: dict[str, str] | None = None) -> dict:
        """One Graph call; raises only ``ConnectorError``."""
        self.rate.gate("graph")
        try:
            result = self.graph.request(
                f"{self.graph.version}/{path}", dict(args or {}), dict(post_args) if post_args is not None else None
            )
        except _HttpFailure as failure:
            raise failure.error from None
        except facebook.GraphAPIError as exc:
            raise self._map_error(exc) from None
        except requests.ReadTimeout:
            if post_args is not None:
                raise Unconfirmed(
                    "the Graph API did not answer a change within the timeout; it may be applied"
                ) from None
            raise Transient("Graph API did not answer within the timeout") from None
        except requests.Timeout:
            raise Transient("Graph API did not answer within the timeout") from None
        except requests.RequestException as exc:
            raise Transient(f"network error talking to the Graph API: {type(exc).__name__}") from None
        except (ValueError, KeyError, TypeError):
            raise Transient("Graph API sent a malformed response") from None
        if not isinstance(result, dict):
            raise Transient("Graph API sent an unexpected response shape")
        return result

    def read(self, path: str, args: dict[str, str] | None = None) -> dict:
        """A GET with at most two short retries on ``Transient``."""
        for pause in (*READ_RETRY_SLEEPS, None):
            try:
                return self.call(path, args)
            except Transient:
                if pause is None:
                    raise
                self._sleep(pause)
        raise AssertionError("unreachable")

    def pages(self, path: str, args: dict[str, str]) -> Iterator[list[dict]]:
        """Yield each page's ``data`` list, following ``paging.next`` (its query, minus the token)."""
        query = dict(args)
        seen: set[tuple[tuple[str, str], ...]] = set()
        while True:
            result = self.read(path, query)
            data = result.get("data") or []
            if not isinstance(data, list):
                raise Transient("Graph API sent a page without a data list")
            yield [item for item in data if isinstance(item, dict) and item.get("id") is not None]
            paging = result.get("paging") or {}
            next_url = paging.get("next") if isinstance(paging, dict) else None
            if not next_url or not data:
                return
            query = {k: v[0] for k, v in parse_qs(urlparse(str(next_url)).query).items() if k != "access_token"}
            after = ((paging.get("cursors") or {}).get("after")) if isinstance(paging.get("cursors"), dict) else None
            if after and "after" not in query:
                query["after"] = str(after)
            key = tuple(sorted(query.items()))
            if key in seen:  # a server that repeats its own next link would loop forever
                return
            seen.add(key)

    def granted_permissions(self) -> set[str] | None:
        """The token's granted permissions, or None if the platform will not say for this kind of token."""
        try:
            result = self.call("me/permissions")
        except (PermissionMissing, Permanent, NotFound):
            return None
        return {
            str(p.get("permission"))
            for p in result.get("data") or []
            if isinstance(p, dict) and p.get("status", "granted") == "granted"
        }

    # -- errors
    def _map_error(self, exc: facebook.GraphAPIError) -> ConnectorError:
        result = exc.result if isinstance(exc.result, dict) else {}
        err = as_dict(result.get("error"))
        code = exc.code if exc.code is not None else err.get("code")
        code = int(code) if isinstance(code, int | str) and str(code).isdigit() else None
        sub = err.get("error_subcode")
        sub = int(sub) if isinstance(sub, int | str) and str(sub).isdigit() else None
        message = scrub(exc.message if isinstance(exc.message, str) else "Graph API error", self._secrets)
        text = f"Graph API error {code}: {message}" if code is not None else f"Graph API error: {message}"
        if code is None:
            by_status: dict[int, type[ConnectorError]] = {403: PermissionMissing, 400: Permanent}
            return by_status.get(self._last_status, Transient)(text, reason=message)
        if code in AUTH_CODES or sub in AUTH_SUBCODES:
            return AuthExpired(text, reason=message)
        if code in RATE_CODES or 80000 <= code <= 80099 or code == 368:
            retry_at = self._retry_at()
            if retry_at is not None:
                self.rate.block("graph", retry_at)
            return RateLimited(text, retry_at=retry_at, reason=message)
        if err.get("is_transient") or code in TRANSIENT_CODES:
            return Transient(text, reason=message)
        if code == 10 or 200 <= code <= 299:
            return PermissionMissing(text, reason=message)
        if code == 803 or (code == 100 and (sub == 33 or "does not exist" in message.lower())):
            return NotFound(text, reason=message)
        return Permanent(text, reason=message)

    def _retry_at(self) -> datetime | None:
        return retry_at_from_headers(self._last_headers, self._clock)


class GraphConnectorBase:
    """What the Facebook and Instagram connectors share: setup, hide/unhide, ambiguous-write handling.

    A hide that timed out or met a 5xx may or may not have reached the platform. Such ids are remembered,
    and the next attempt reads the comment's state first: if it is already as wanted, nothing is sent, so a
    retry never hides twice.
    """

    platform = ""
    hide_field = ""  # "is_hidden" (Facebook) or "hide" (Instagram)
    reply_edge = ""  # "comments" (Facebook: a reply is a comment on the comment) or "replies" (Instagram)
    reply_fields = ""
    read_permissions: tuple[str, ...] = ()
    hide_permissions: tuple[str, ...] = ()

    def __init__(self, config: Any, *, clock: Clock | None = None, sleep: Sleep | None = None) -> None:
        self.config = config
        self.account = config.external_id
        self._clock = clock or utcnow
        settings = config.settings or {}
        self.client = GraphClient(
            config.token, config.api_base, config.timeout, settings.get("graph_version"), self._clock, sleep
        )
        self.lookback_days = float(settings.get("lookback_days", "30"))
        self.min_posts = int(settings.get("min_posts", "10"))
        self.page_size = str(int(settings.get("page_size", "100")))
        self._unsure = account_memory(self.platform, config.api_base, self.account).unsure

    def get_state(self, comment_id: str) -> Any:
        raise NotImplementedError

    def hide(self, comment_id: str) -> None:
        self._set_hidden(comment_id, True)

    def unhide(self, comment_id: str) -> None:
        self._set_hidden(comment_id, False)

    def _set_hidden(self, comment_id: str, hidden: bool) -> None:
        if self._unsure.get(comment_id) == hidden:
            state = self.get_state(comment_id)
            if not state.exists:
                self._unsure.pop(comment_id, None)
                raise NotFound(f"{self.platform} comment {comment_id} no longer exists")
            if state.hidden is hidden:
                self._unsure.pop(comment_id, None)
                return
        try:
            result = self.client.call(comment_id, post_args={self.hide_field: "true" if hidden else "false"})
        except Transient:
            self._unsure[comment_id] = hidden
            raise
        self._unsure.pop(comment_id, None)
        if result.get("success") is False:
            raise Permanent(f"{self.platform} did not confirm the change to comment {comment_id}")

    # -- replies
    def reply(self, comment_id: str, text: str) -> str:
        """``POST /{comment}/comments`` (Facebook) or ``/{comment}/replies`` (Instagram) with ``message``."""
        result = self.client.call(f"{comment_id}/{self.reply_edge}", post_args={"message": text})
        reply_id = result.get("id")
        if not reply_id:
            raise Permanent(f"{self.platform} did not return an id for the reply to comment {comment_id}")
        return str(reply_id)

    def find_reply(self, comment_id: str, text: str) -> str | None:
        args = {"fields": self.reply_fields, "limit": self.page_size}
        try:
            for data in self.client.pages(f"{comment_id}/{self.reply_edge}", args):
                for item in data:
                    author = as_dict(item.get("from"))
                    shown = str(item.get("message") or item.get("text") or "")
                    if str(author.get("id") or "") == self.account and same_reply_text(shown, text):
                        return str(item["id"])
        except NotFound:
            return None
        return None
