"""The X connector: a comment's state, hiding (own conversations only, paced), replies, and the access check."""

from __future__ import annotations

from typing import Any

from connectors.base import as_dict, endpoint_bucket, same_reply_text
from connectors.x.polling import XPolling
from connectors.x.wire import _replied_to
from moderation.ports import (
    AccessReport,
    AuthExpired,
    ConnectorError,
    NotFound,
    NotOwnConversation,
    Permanent,
    PermissionMissing,
    RemoteState,
    Unconfirmed,
)


class XConnector(XPolling):
    """The port's ``Connector`` for X (see the package's docstring for the account settings)."""

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
