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

The package: ``wire`` (fields, credentials, ids), ``http`` (the client and its rate limits), ``polling`` (reading),
``connector`` (``XConnector``: state, hiding, replies, the access check).
"""

from connectors.x.connector import XConnector
from connectors.x.wire import EXPANSIONS, TWEET_FIELDS, TWITTER_EPOCH_MS, USER_FIELDS, X_HOST

__all__ = ["EXPANSIONS", "TWEET_FIELDS", "TWITTER_EPOCH_MS", "USER_FIELDS", "X_HOST", "XConnector"]
