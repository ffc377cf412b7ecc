"""Polling an X account: its recent root posts, its mentions, every reply in each root's conversation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from connectors.base import as_dict
from connectors.base import parse_time as _parse_time
from connectors.x.http import XHttp
from connectors.x.wire import (
    EXPANSIONS,
    TWEET_FIELDS,
    TWITTER_EPOCH_MS,
    USER_FIELDS,
    _as_int,
    _replied_to,
    tweet_text,
)
from moderation.ports import NotFound, Page, Permanent, PermissionMissing, RemoteComment


class XPolling(XHttp):
    """Reading: the cursor, the roots, the conversations, and a tweet as a comment."""

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
                self._root_text[root] = tweet_text(tweet)
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
            "GET",
            "/2/tweets",
            self.client.get_tweets,
            ids,
            tweet_fields=["author_id", "entities"],
            user_auth=self._read_user_auth,
        )
        for tweet in result.get("data") or []:
            if isinstance(tweet, dict) and tweet.get("id"):
                self._owner_of[str(tweet["id"])] = str(tweet.get("author_id") or "")
                self._root_text.setdefault(str(tweet["id"]), tweet_text(tweet))
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
            text=tweet_text(tweet),
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
