"""The connector port: what the engine needs from a social platform, and the one error tree it may raise.

Connectors (``connectors/``) implement ``Connector``; the service calls it. Vendor exceptions
(tweepy, facebook-sdk, requests) never cross this line: each connector turns them into a
``ConnectorError`` subclass below.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable


# ---------------------------------------------------------------- errors
class ConnectorError(Exception):
    """Base of every error a connector raises. ``reason`` is the platform's own words, for moderators."""

    def __init__(self, message: str, *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class RateLimited(ConnectorError):
    """The platform asked us to slow down. ``retry_at`` is when to try again (None: back off on our own)."""

    def __init__(self, message: str, *, retry_at: datetime | None = None, reason: str = "") -> None:
        super().__init__(message, reason=reason)
        self.retry_at = retry_at


class AuthExpired(ConnectorError):
    """The token is invalid or expired: a person must re-authorise. Not retried."""


class PermissionMissing(ConnectorError):
    """The token lacks a permission, or the platform forbids this action on this item. Not retried."""


class NotOwnConversation(PermissionMissing):
    """X: the reply is in a conversation the account did not start, so it cannot be hidden."""


class NotFound(ConnectorError):
    """The comment or post no longer exists on the platform (deleted by its author or the platform)."""


class Transient(ConnectorError):
    """A temporary failure (5xx, timeout, malformed body, network error): retry with back-off."""


class Unconfirmed(Transient):
    """A write (hide, unhide, reply) was sent but no answer came in time: the platform may have applied it.

    Before resending, ask ``get_state`` where the platform can say (Facebook, Instagram). X cannot say
    whether a reply is hidden: treat an unconfirmed X hide as applied rather than risk sending it twice.
    """


class Permanent(ConnectorError):
    """A failure that will not go away by retrying (bad request). A person must look."""


# ---------------------------------------------------------------- values
@dataclass(frozen=True)
class AccountConfig:
    """What a connector needs to reach one official account. The token is never stored in the database."""

    platform: str
    external_id: str
    name: str = ""
    token: str = ""
    api_base: str | None = None
    settings: dict[str, str] = field(default_factory=dict)
    timeout: float = 10.0


@dataclass(frozen=True)
class RemoteComment:
    """A comment as the platform gave it, in the interchange format's terms."""

    platform: str
    account: str
    id: str
    text: str
    created_at: datetime
    post_id: str
    post_text: str = ""
    post_url: str = ""
    parent_id: str | None = None
    author_id: str = ""
    author_handle: str = ""
    author_name: str = ""
    url: str = ""
    hidden: bool | None = None
    # X: whether the conversation was started by the account (only then can it be hidden).
    own_conversation: bool = True


@dataclass(frozen=True)
class CommentEvent:
    """A change the platform pushed to us (a webhook) about one comment on an official account.

    ``verb`` is ``add`` or ``edit`` (``comment`` carries the comment as the platform sent it), ``remove``,
    ``hide`` or ``unhide`` (done on the platform, by us or by someone else). A push is a hint, not the truth:
    the engine confirms removals and visibility changes with ``Connector.get_state`` before acting on them.
    """

    platform: str
    account: str
    verb: str
    comment_id: str
    comment: RemoteComment | None = None


@dataclass(frozen=True)
class Page:
    """One page of a poll. ``cursor`` is set on the last page only: store it after committing every page."""

    comments: list[RemoteComment]
    cursor: str | None = None
    done: bool = False
    progress: str = ""
    # Last page only: posts whose comments were all read in this poll (Facebook, Instagram full re-reads).
    # A stored comment on one of these posts that this poll did not yield is a deletion *candidate*:
    # confirm with ``get_state`` before recording it (paging can shift while a post is read).
    complete_posts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RemoteState:
    exists: bool
    hidden: bool | None = None
    text: str | None = None


@dataclass(frozen=True)
class Capabilities:
    can_hide: bool = True
    own_conversations_only: bool = False
    # Hide budget: at most ``hides_per_window`` hides per ``window_seconds`` (0 = no known limit).
    hides_per_window: int = 0
    window_seconds: int = 0


@dataclass(frozen=True)
class AccessReport:
    ok: bool
    can_read: bool
    can_hide: bool
    missing: list[str] = field(default_factory=list)
    detail: str = ""


@runtime_checkable
class Connector(Protocol):
    """One official account on one platform.

    Every method raises only ``ConnectorError`` subclasses.
    """

    platform: str

    def capabilities(self) -> Capabilities: ...

    def poll(self, cursor: str | None) -> Iterator[Page]:
        """Yield pages of comments newer than ``cursor`` (None: a first backfill).

        Raises:
            ConnectorError: any failure; pages already yielded stay valid.
        """
        ...

    def get_state(self, comment_id: str) -> RemoteState:
        """The comment's current platform state; ``exists=False`` if deleted."""
        ...

    def hide(self, comment_id: str) -> None:
        """Hide the comment. Hiding a hidden comment succeeds.

        Raises:
            NotOwnConversation: X reply in a conversation the account did not start.
            RateLimited, AuthExpired, PermissionMissing, NotFound, Transient, Permanent.
        """
        ...

    def unhide(self, comment_id: str) -> None: ...

    def reply(self, comment_id: str, text: str) -> str:
        """Publish ``text`` as the account's reply under the comment; returns the reply's platform id.

        Never retried by the connector: a write that timed out raises ``Unconfirmed`` and the caller asks
        ``find_reply`` before sending again.

        Raises:
            RateLimited, AuthExpired, PermissionMissing, NotFound, Transient, Unconfirmed, Permanent.
        """
        ...

    def find_reply(self, comment_id: str, text: str) -> str | None:
        """The platform id of a reply by the account under the comment with this text, or None.

        Texts are compared as the platform shows them (links shortened, leading mentions added on X are ignored).
        """
        ...

    def check_access(self) -> AccessReport:
        """Check the token and the permissions needed to read and to hide; say exactly what is missing."""
        ...
