"""Reading the interchange format: JSON Lines of comments, checked and cleaned before anything is stored.

A malformed line is reported with its line number and skipped; every other line is kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any

from moderation.domain import Platform
from moderation.ports import RemoteComment

PLATFORMS = {p.value for p in Platform}


# PostgreSQL text cannot hold NUL; it is stored as the visible symbol for it (U+2400).
NUL_STANDIN = "\u2400"


class RecordError(ValueError):
    pass


def _str(obj: dict[str, Any], key: str, *, required: bool = True, where: str = "") -> str:
    value = obj.get(key)
    if value is None:
        if required:
            raise RecordError(f"missing '{where}{key}'")
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise RecordError(f"'{where}{key}' must be a string")
    return clean_text(value)


def clean_text(value: str) -> str:
    """Text the databases can store: NUL shown as its symbol, lone surrogates as U+FFFD."""
    if "\x00" in value:
        value = value.replace("\x00", NUL_STANDIN)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def _time(value: Any, key: str) -> datetime:
    if not isinstance(value, str):
        raise RecordError(f"'{key}' must be an ISO 8601 time with a UTC offset")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise RecordError(f"'{key}' is not an ISO 8601 time: {value[:40]!r}") from exc
    if parsed.tzinfo is None:
        raise RecordError(f"'{key}' has no UTC offset: {value[:40]!r}")
    return parsed.astimezone(UTC)


def parse_record(obj: Any) -> RemoteComment:
    """Validate one interchange-format object; raise ``RecordError`` saying what is wrong."""
    if not isinstance(obj, dict):
        raise RecordError("each line must be a JSON object")
    platform = _str(obj, "platform")
    if platform not in PLATFORMS:
        raise RecordError(f"'platform' must be one of {', '.join(sorted(PLATFORMS))}, not {platform[:20]!r}")
    post = obj.get("post")
    if not isinstance(post, dict):
        raise RecordError("missing 'post' object")
    author = obj.get("author") or {}
    if not isinstance(author, dict):
        raise RecordError("'author' must be an object")
    parent = obj.get("parent_id")
    if parent is not None and not isinstance(parent, str | int):
        raise RecordError("'parent_id' must be a string or null")
    comment_id = _str(obj, "id")
    if not comment_id.strip():
        raise RecordError("'id' is empty")
    post_author = post.get("author_id")
    account = _str(obj, "account")
    return RemoteComment(
        platform=platform,
        account=account,
        id=comment_id,
        text=_str(obj, "text"),
        created_at=_time(obj.get("created_at"), "created_at"),
        post_id=_str(post, "id", where="post."),
        post_text=_str(post, "text", required=False, where="post."),
        post_url=_str(post, "url", required=False, where="post."),
        parent_id=str(parent) if parent is not None else None,
        author_id=_str(author, "id", required=False, where="author."),
        author_handle=_str(author, "handle", required=False, where="author."),
        author_name=_str(author, "name", required=False, where="author."),
        url=_str(obj, "url", required=False),
        hidden=None,
        own_conversation=post_author is None or str(post_author) == account,
    )


def read_jsonl(stream: IO[str]) -> Iterator[tuple[int, RemoteComment | None, str]]:
    """Yield (line number, record or None, error message) for each non-blank line."""
    for number, record, error, _size in read_jsonl_sized(stream):
        yield number, record, error


def read_jsonl_sized(stream: IO[str]) -> Iterator[tuple[int, RemoteComment | None, str, int]]:
    """``read_jsonl`` with the characters each yielded line took (blank lines before it included)."""
    skipped = 0
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            skipped += len(line)
            continue
        size, skipped = skipped + len(line), 0
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})", size
            continue
        try:
            yield number, parse_record(obj), "", size
        except RecordError as exc:
            yield number, None, f"line {number}: {exc}", size
