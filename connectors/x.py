"""X (Twitter) connector on tweepy's API v2 ``Client``.

AccountConfig:
    external_id: the account's numeric user id.
    token: the account's credentials as one opaque secret (from the environment or the keyring), either
        * a plain string: an OAuth 2.0 bearer token. By default it is taken to be a *user-context* token
          (OAuth 2.0 PKCE with ``tweet.read users.read tweet.moderate.write``), which can read and hide.
          With ``settings["auth"] = "app"`` it is an app-only bearer token: reading works, hiding does not.
        * a JSON object ``{"bearer_token": ..., "consumer_key": ..., "consumer_secret": ...,
          "access_token": ..., "access_token_secret": ...}``: OAuth 1.0a user context (signed by tweepy) for
          hides and ``/2/users/me``; the bearer token, if given, for reads (else OAuth 1.0a for reads too).
    api_base: another host for ``https://api.twitter.com`` (a proxy, or a fake server).
    settings:
        username: the account's handle, used to leave its own replies out of conversation searches
            (optional: own replies are also dropped by author id).
        auth: ``"user"`` (default) or ``"app"`` for a plain token, as above.
        overlap_minutes: re-read window below the cursor, default 2 (only for real snowflake ids).
        search_days: how far back to look for the account's root posts, default 7 (recent search's limit).
        min_roots: the newest N root posts are searched whatever their age, default 3.
        hides_per_window / window_minutes: hide pacing, default 50 per 15 minutes.

Poll: the account's recent root posts (``GET /2/users/:id/tweets``, replies and retweets excluded), its
mentions since the cursor (``GET /2/users/:id/mentions``), and every reply in each root's conversation
(``GET /2/tweets/search/recent`` with ``conversation_id:<root> is:reply``). Pages are read one by one with
``includes.users`` kept (never ``flatten``). Cursor: the newest tweet id seen, as a decimal string.
Edited tweets keep the id of their first version (``edit_history_tweet_ids[0]``), so an edit comes back as a
new version of the same comment.

Ownership: X lets the account hide only replies in conversations it started. The connector learns each
conversation's root author from the roots it polled, or looks the root up, and refuses to hide anything
else with ``NotOwnConversation`` *without* calling the hide endpoint.

Rate limits: ``x-rate-limit-*`` headers are read on every response; a spent endpoint budget raises
``RateLimited(retry_at=reset)`` before the next call. A 429 raises ``RateLimited`` with ``reset_time``
(None when the header is missing, e.g. the monthly usage cap: the caller backs off). Hides are paced by a
sliding window and never dropped. ``wait_on_rate_limit`` is never used (it recurses forever on a 429
without a reset header).
"""

from __future__ import annotations

import json
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
    as_dict,
    endpoint_bucket,
    protect_secrets,
    same_reply_text,
    scrub,
    utcnow,
)
from connectors.base import parse_time as _parse_time
from moderation.ports import (
    AccessReport,
    AccountConfig,
    AuthExpired,
    Capabilities,
    ConnectorError,
    NotFound,
    NotOwnConversation,
    Page,
    Permanent,
    PermissionMissing,
    RateLimited,
    RemoteComment,
    RemoteState,
    Transient,
    Unconfirmed,
)

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


class XConnector:
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

    # ------------------------------------------------------------ poll
    def poll(self, cursor: str | None) -> Iterator[Page]:
        since = self._since(cursor)
        newest = _as_int(cursor)
        yielded: dict[str, int] = {}  # stable id -> version id already yielded in this poll
        roots = self._own_roots()

        def fresh(result: dict[str, Any]) -> list[RemoteComment]:
            nonlocal newest
            users = {
                str(u.get("id")): u for u in (result.get("includes") or {}).get("users") or [] if isinstance(u, dict)
            }
            tweets = [t for t in result.get("data") or [] if isinstance(t, dict) and t.get("id")]
            self._learn_owners(tweets, as_dict(result.get("includes")).get("tweets"))
            out: list[RemoteComment] = []
            for tweet in tweets:
                number = _as_int(str(tweet["id"]))
                if number is not None and (newest is None or number > newest):
                    newest = number
                if str(tweet.get("author_id")) == self.own_id:
                    continue  # the account's own replies are not comments to moderate
                comment = self._comment(tweet, users)
                version = number if number is not None else 0
                if comment.id in yielded and yielded[comment.id] >= version:
                    continue
                yielded[comment.id] = version
                out.append(comment)
            return out

        mentions_route = f"/2/users/{self.own_id}/mentions"
        for result in self._paged(
            mentions_route,
            self.client.get_users_mentions,
            "pagination_token",
            self.own_id,
            since_id=since,
            max_results=100,
            tweet_fields=TWEET_FIELDS,
            expansions=EXPANSIONS,
            user_fields=USER_FIELDS,
        ):
            yield Page(comments=fresh(result), progress="mentions")
        for number, root in enumerate(roots, 1):
            for result in self._search(root, since):
                yield Page(comments=fresh(result), progress=f"conversation {number}/{len(roots)}")
        final = str(newest) if newest is not None else cursor
        yield Page(comments=[], cursor=final, done=True, progress=f"{len(yielded)} replies and mentions")

    def _since(self, cursor: str | None) -> str | None:
        value = _as_int(cursor)
        if value is None:
            return None
        overlap_ms = int(self.overlap.total_seconds() * 1000)
        stamp = value >> 22
        if stamp > overlap_ms and stamp + TWITTER_EPOCH_MS > 1_400_000_000_000:  # a real snowflake id
            return str((stamp - overlap_ms) << 22)
        return str(value)

    def _search(self, root: str, since: str | None) -> Iterator[dict[str, Any]]:
        """Pages of replies in one of our conversations.

        A 400 with ``since_id`` (X refuses ids older than its 7-day window) is retried without it; the poll's
        de-duplication absorbs anything read twice. A 404 means the host has no recent search: mentions
        still cover replies, so the poll goes on without it.
        """
        if not self._search_available:
            return
        query = f"conversation_id:{root} is:reply" + (f" -from:{self.username}" if self.username else "")
        params: dict[str, Any] = {
            "max_results": 100,
            "tweet_fields": TWEET_FIELDS,
            "expansions": EXPANSIONS,
            "user_fields": USER_FIELDS,
        }
        route = "/2/tweets/search/recent"
        try:
            yield from self._paged(
                route, self.client.search_recent_tweets, "next_token", query, since_id=since, **params
            )
        except NotFound:
            self._search_available = False
        except Permanent:
            if since is None:
                raise
            yield from self._paged(route, self.client.search_recent_tweets, "next_token", query, **params)

    def _own_roots(self) -> list[str]:
        roots: list[str] = []
        try:
            self._read_roots(roots)
        except (NotFound, Permanent):
            pass  # no timeline endpoint on this host: mentions still find the replies
        return roots

    def _read_roots(self, roots: list[str]) -> None:
        """The account's root posts to search: those within ``search_days``, and always the newest ``min_roots``.

        Every root listed is remembered as ours (ownership knowledge is free); only the chosen ones are
        searched. Paging stops at the first page that is entirely older than the window.
        """
        start = self._clock() - self.search_window
        listed = 0
        for result in self._paged(
            f"/2/users/{self.own_id}/tweets",
            self.client.get_users_tweets,
            "pagination_token",
            self.own_id,
            exclude=["replies", "retweets"],
            max_results=100,
            tweet_fields=TWEET_FIELDS,
        ):
            all_old = True
            for tweet in result.get("data") or []:
                if not isinstance(tweet, dict) or not tweet.get("id"):
                    continue
                root = str(tweet["id"])
                if str(tweet.get("conversation_id") or root) != root:
                    continue  # one of our replies (a server that ignored exclude=replies): not a root
                self._owner_of[root] = self.own_id
                self._root_text[root] = str(tweet.get("text") or "")
                recent = "created_at" not in tweet or _parse_time(tweet.get("created_at")) >= start
                all_old = all_old and not recent
                if root not in roots and (recent or listed < self.min_roots):
                    roots.append(root)
                listed += 1
            if all_old and listed >= self.min_roots:
                return

    def _learn_owners(self, tweets: list[dict[str, Any]], included: list[Any] | None = None) -> None:
        """Find who started each conversation these tweets belong to.

        Cheap evidence first: a root's own author; a direct reply to the root (``replied_to`` is the
        conversation id, so ``in_reply_to_user_id`` is the root's author); a root in ``includes.tweets``.
        What is left is looked up in one batch; if the lookup endpoint fails, the owner stays unknown for now
        (the comment is flagged as not ours) and ``hide`` tries again.
        """
        for tweet in [*tweets, *[t for t in included or [] if isinstance(t, dict) and t.get("id")]]:
            tweet_id = str(tweet["id"])
            conv = str(tweet.get("conversation_id") or tweet_id)
            if conv == tweet_id and tweet.get("author_id"):
                self._owner_of.setdefault(conv, str(tweet["author_id"]))
            elif _replied_to(tweet) == conv and tweet.get("in_reply_to_user_id"):
                self._owner_of.setdefault(conv, str(tweet["in_reply_to_user_id"]))
        unknown: list[str] = []
        for tweet in tweets:
            conv = str(tweet.get("conversation_id") or tweet["id"])
            if conv not in self._owner_of and conv not in unknown:
                unknown.append(conv)
        for start in range(0, len(unknown), 100):
            try:
                self._lookup_roots(unknown[start : start + 100])
            except (NotFound, Permanent, PermissionMissing):
                return  # no lookup endpoint (or no access to it): decide at hide time

    def _lookup_roots(self, ids: list[str]) -> None:
        result = self._read(
            "GET", "/2/tweets", self.client.get_tweets, ids, tweet_fields=["author_id"], user_auth=self._read_user_auth
        )
        for tweet in result.get("data") or []:
            if isinstance(tweet, dict) and tweet.get("id"):
                self._owner_of[str(tweet["id"])] = str(tweet.get("author_id") or "")
                self._root_text.setdefault(str(tweet["id"]), str(tweet.get("text") or ""))
        for conv in ids:
            self._owner_of.setdefault(conv, "")  # deleted or invisible root: not provably ours

    def _comment(self, tweet: dict[str, Any], users: dict[str, dict[str, Any]]) -> RemoteComment:
        tweet_id = str(tweet["id"])
        history = [str(v) for v in tweet.get("edit_history_tweet_ids") or []] or [tweet_id]
        stable = history[0]
        previous = self._latest.get(stable)
        if previous is None or (_as_int(tweet_id) or 0) >= (_as_int(previous) or 0):
            self._latest[stable] = tweet_id
        conv = str(tweet.get("conversation_id") or tweet_id)
        self._conversation_of[stable] = conv
        self._conversation_of[tweet_id] = conv
        parent = _replied_to(tweet)
        author = users.get(str(tweet.get("author_id")), {})
        handle = str(author.get("username") or "")
        return RemoteComment(
            platform=self.platform,
            account=self.own_id,
            id=stable,
            text=str(tweet.get("text") or ""),
            created_at=_parse_time(tweet.get("created_at")),
            post_id=conv,
            post_text=self._root_text.get(conv, ""),
            post_url=f"https://x.com/i/web/status/{conv}",
            parent_id=parent if parent and parent != conv else None,
            author_id=str(tweet.get("author_id") or ""),
            author_handle=handle,
            author_name=str(author.get("name") or ""),
            url=f"https://x.com/{handle or 'i/web'}/status/{tweet_id}",
            hidden=None,
            own_conversation=self._owner_of.get(conv) == self.own_id,
        )

    # ------------------------------------------------------------ state and moderation
    def _lookup(self, comment_id: str) -> dict[str, Any] | None:
        """The tweet's current version, or None if X says it does not exist (200 with a not-found error).

        Raises ``NotFound`` only for an HTTP 404, which X does not send for a missing tweet: it means the
        lookup endpoint itself is not there (a proxy or fake server without it).
        """
        tweet_id = self._latest.get(comment_id, comment_id)
        result = self._read(
            "GET",
            f"/2/tweets/{tweet_id}",
            self.client.get_tweet,
            tweet_id,
            tweet_fields=[
                "conversation_id",
                "author_id",
                "in_reply_to_user_id",
                "referenced_tweets",
                "edit_history_tweet_ids",
            ],
            user_auth=self._read_user_auth,
        )
        data = result.get("data")
        return data if isinstance(data, dict) else None

    def get_state(self, comment_id: str) -> RemoteState:
        """X does not say whether a reply is hidden: ``hidden`` is None; ``exists`` and ``text`` are real."""
        try:
            data = self._lookup(comment_id)
        except NotFound:
            data = None
        if data is None:
            return RemoteState(exists=False)
        return RemoteState(exists=True, hidden=None, text=str(data.get("text") or ""))

    def _rediscover(self) -> None:
        """Learn conversations the slow way: one full poll (pages discarded; the caller's cursor is untouched).

        Used by a fresh process asked to hide a reply it never polled, when the platform (or a proxy) offers no
        tweet lookup. Done at most once per connector instance.
        """
        if self._rediscovered:
            return
        self._rediscovered = True
        for _ in self.poll(None):
            pass

    def _check_own(self, comment_id: str) -> str:
        """The tweet id to hide, after proving the reply is in a conversation the account started."""
        conv = self._conversation_of.get(comment_id)
        if conv is None:
            try:
                data = self._lookup(comment_id)
            except NotFound:
                self._rediscover()
                if comment_id not in self._conversation_of:
                    raise NotFound(
                        f"X post {comment_id} is not among the account's mentions or conversations any more"
                    ) from None
                data = {}
            if data is None:
                raise NotFound(f"X post {comment_id} no longer exists")
            if data:
                self._learn_owners([data])
                conv = str(data.get("conversation_id") or comment_id)
                self._conversation_of[comment_id] = conv
            conv = self._conversation_of[comment_id]
        if conv == comment_id:
            raise NotOwnConversation(
                f"X post {comment_id} is not a reply in one of our conversations, so X will not let us hide it; "
                "report it to X or leave it",
                reason="only replies to the department's own posts can be hidden on X",
            )
        if conv not in self._owner_of:
            try:
                self._lookup_roots([conv])
            except (NotFound, Permanent, PermissionMissing):
                self._rediscover()
        owner = self._owner_of.get(conv)
        if owner is None:
            raise NotOwnConversation(
                f"X reply {comment_id}: could not confirm who started its conversation (post {conv}), so it is not "
                "hidden; X only lets an account hide replies in conversations it started.",
                reason="the conversation's starter could not be confirmed",
            )
        if owner != self.own_id:
            raise NotOwnConversation(
                f"X reply {comment_id} is in a conversation started by someone else (post {conv}); X only lets an "
                "account hide replies in conversations it started. Report it to X instead.",
                reason="the conversation was not started by the department's account",
            )
        return self._latest.get(comment_id, comment_id)

    def hide(self, comment_id: str) -> None:
        self._set_hidden(comment_id, True)

    def unhide(self, comment_id: str) -> None:
        self._set_hidden(comment_id, False)

    def _set_hidden(self, comment_id: str, hidden: bool) -> None:
        if self._unsure.pop(comment_id, None) is hidden:
            # The last attempt was sent and never answered. X cannot tell us whether it took effect, and a
            # slow answer almost always means it did: count it as applied rather than send it twice.
            return
        tweet_id = self._check_own(comment_id)
        if not self.can_user_auth:
            raise PermissionMissing(
                "hiding on X needs user-context credentials (OAuth 1.0a or an OAuth 2.0 user token with "
                "tweet.moderate.write); this account has an app-only token"
            )
        route = f"/2/tweets/{tweet_id}/hidden"
        self.rate.gate(endpoint_bucket("PUT", route))
        self.pacer.acquire()
        fn = self.client.hide_reply if hidden else self.client.unhide_reply
        try:
            result = self._call("PUT", route, fn, tweet_id, user_auth=self._oauth1)
        except Unconfirmed:
            self._unsure[comment_id] = hidden
            raise
        data = as_dict(result.get("data"))
        if data.get("hidden") is (not hidden):
            raise Permanent(f"X did not confirm {'hiding' if hidden else 'unhiding'} reply {comment_id}")

    # ------------------------------------------------------------ replies
    def reply(self, comment_id: str, text: str) -> str:
        """A post by the account in reply to the comment's current version (``POST /2/tweets`` with
        ``reply.in_reply_to_tweet_id``); user-context credentials only. Never resent here."""
        if not self.can_user_auth:
            raise PermissionMissing(
                "replying on X needs user-context credentials (OAuth 1.0a or an OAuth 2.0 user token with "
                "tweet.write); this account has an app-only token"
            )
        tweet_id = self._latest.get(comment_id, comment_id)
        result = self._call(
            "POST",
            "/2/tweets",
            self.client.create_tweet,
            text=text,
            in_reply_to_tweet_id=tweet_id,
            user_auth=self._oauth1,
        )
        reply_id = as_dict(result.get("data")).get("id")
        if not reply_id:
            raise Permanent(f"X did not return an id for the reply to post {comment_id}")
        return str(reply_id)

    def find_reply(self, comment_id: str, text: str) -> str | None:
        """The account's recent posts (replies included, two pages at most) for one replying to any version of
        the comment with the same text."""
        targets = {comment_id, self._latest.get(comment_id, comment_id)}
        pages = self._paged(
            f"/2/users/{self.own_id}/tweets",
            self.client.get_users_tweets,
            "pagination_token",
            self.own_id,
            max_results=100,
            exclude=["retweets"],
            tweet_fields=["referenced_tweets", "edit_history_tweet_ids", "created_at"],
        )
        for number, result in enumerate(pages):
            for tweet in result.get("data") or []:
                if not isinstance(tweet, dict):
                    continue
                if _replied_to(tweet) in targets and same_reply_text(str(tweet.get("text") or ""), text):
                    return str(tweet.get("id"))
            if number >= 1:
                break
        return None

    # ------------------------------------------------------------ access
    def check_access(self) -> AccessReport:
        missing: list[str] = []
        notes: list[str] = []
        try:
            if self.can_user_auth:
                me = self._call("GET", "/2/users/me", self.client.get_me, user_auth=self._oauth1)
            else:
                me = self._call(
                    "GET",
                    f"/2/users/{self.own_id}",
                    self.client.get_user,
                    id=self.own_id,
                    user_auth=self._read_user_auth,
                )
        except AuthExpired as exc:
            return AccessReport(
                ok=False,
                can_read=False,
                can_hide=False,
                missing=["valid X credentials (they are invalid or expired: re-authorise)"],
                detail=exc.reason,
            )
        except ConnectorError as exc:
            return AccessReport(ok=False, can_read=False, can_hide=False, detail=f"could not reach X: {exc}")
        me_id = str((me.get("data") or {}).get("id") or "")
        if self.can_user_auth and me_id and me_id != self.own_id:
            missing.append(f"credentials for user {self.own_id} (these belong to user {me_id})")
        can_read = True
        try:
            self._call(
                "GET",
                f"/2/users/{self.own_id}/mentions",
                self.client.get_users_mentions,
                self.own_id,
                max_results=5,
                user_auth=self._read_user_auth,
            )
        except ConnectorError as exc:
            can_read = False
            missing.append("read access to mentions (tweet.read, users.read)")
            notes.append(str(exc))
        can_hide = self.can_user_auth and not missing
        if not self.can_user_auth:
            missing.append(
                "user-context auth for hiding (OAuth 1.0a keys, or an OAuth 2.0 user token with tweet.moderate.write)"
            )
        else:
            notes.append("X cannot report a token's scopes: tweet.moderate.write is confirmed by the first hide")
        return AccessReport(
            ok=can_read and can_hide and not missing,
            can_read=can_read,
            can_hide=can_hide,
            missing=missing,
            detail="; ".join(notes),
        )


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
