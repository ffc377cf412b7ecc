"""What the fake platforms send: permissions, fault kinds, time formats and error bodies."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

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
