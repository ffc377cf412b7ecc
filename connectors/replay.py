"""Replay connector: serves an interchange-format JSON Lines file as if it were a platform.

Used by the demo and the tests, and as the reference implementation of the port. No network.

AccountConfig:
    platform: ``"replay"`` (the comments keep the ``platform`` written in each line).
    external_id: the account whose lines are served (lines whose ``account`` differs are skipped; ``"*"`` serves
        every line).
    settings:
        path: the JSONL file (required). One comment a line, the interchange format:
            ``{"platform", "account", "post": {"id","text","url"}, "id", "parent_id",
            "author": {"id","handle","name"}, "text", "created_at", "url"}``; optional ``"deleted": true``,
            ``"hidden": true``.
        hides_path: where hides are recorded (default ``<path>.hides.json``), so state survives processes.
        page_size: comments per page, default 50.

Cursor: the number of lines consumed, as a decimal string. A file that is appended to yields only the new
lines on the next poll; a line repeating an earlier id with other text is an edit (served again, so the
caller makes a new version). get_state reflects the latest line for the id and the recorded hides; ids in
the file's ``deleted`` lines report ``exists=False``.

The hides file is ``{"hidden": {id: bool}, "calls": [{"id", "hidden", "at"}]}``: ``calls`` lists every
hide/unhide request, so tests can count how many reached the "platform"; ``replies`` lists every reply sent
(``{"id", "to", "text", "at"}``).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from connectors.base import Clock, as_dict, parse_time, utcnow
from moderation.ports import (
    AccessReport,
    AccountConfig,
    Capabilities,
    NotFound,
    Page,
    Permanent,
    RemoteComment,
    RemoteState,
    Transient,
)

_LOCK = threading.Lock()


class ReplayConnector:
    platform = "replay"

    def __init__(self, config: AccountConfig, *, clock: Clock | None = None, sleep: Any = None) -> None:
        settings = config.settings or {}
        if not settings.get("path"):
            raise Permanent("the replay connector needs settings['path'], the JSONL file to serve")
        self.config = config
        self.path = Path(settings["path"])
        self.hides_path = Path(settings.get("hides_path") or f"{self.path}.hides.json")
        self.page_size = max(1, int(settings.get("page_size", "50")))
        self._clock = clock or utcnow

    def capabilities(self) -> Capabilities:
        return Capabilities(can_hide=True, own_conversations_only=False)

    # ------------------------------------------------------------ reading
    def _lines(self) -> list[dict[str, Any]]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise Permanent(f"replay file {self.path} does not exist") from None
        except OSError as exc:
            raise Transient(f"cannot read replay file {self.path}: {exc.strerror}") from None
        rows: list[dict[str, Any]] = []
        for number, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                rows.append({})
                continue
            try:
                row = json.loads(line)
            except ValueError:
                raise Permanent(f"{self.path} line {number} is not valid JSON") from None
            if not isinstance(row, dict) or "id" not in row:
                raise Permanent(f"{self.path} line {number} is not an interchange-format comment (no id)")
            rows.append(row)
        return rows

    def _mine(self, row: dict[str, Any]) -> bool:
        return bool(row) and (self.config.external_id == "*" or str(row.get("account")) == self.config.external_id)

    def _comment(self, row: dict[str, Any], hidden: dict[str, bool]) -> RemoteComment:
        post = as_dict(row.get("post"))
        author = as_dict(row.get("author"))
        cid = str(row["id"])
        return RemoteComment(
            platform=str(row.get("platform") or self.platform),
            account=str(row.get("account") or self.config.external_id),
            id=cid,
            text=str(row.get("text") or ""),
            created_at=parse_time(row.get("created_at")),
            post_id=str(post.get("id") or ""),
            post_text=str(post.get("text") or ""),
            post_url=str(post.get("url") or ""),
            parent_id=str(row["parent_id"]) if row.get("parent_id") else None,
            author_id=str(author.get("id") or ""),
            author_handle=str(author.get("handle") or ""),
            author_name=str(author.get("name") or ""),
            url=str(row.get("url") or ""),
            hidden=hidden.get(cid, bool(row.get("hidden", False))),
            own_conversation=bool(row.get("own_conversation", True)),
        )

    def poll(self, cursor: str | None) -> Iterator[Page]:
        start = int(cursor) if cursor and cursor.isdigit() else 0
        rows = self._lines()
        hidden = self._load()["hidden"]
        if start > len(rows):  # the file was replaced by a shorter one: serve it all again
            start = 0
        batch: list[RemoteComment] = []
        for row in rows[start:]:
            if not self._mine(row) or row.get("deleted"):
                continue
            batch.append(self._comment(row, hidden))
            if len(batch) >= self.page_size:
                yield Page(comments=_dedupe(batch))
                batch = []
        yield Page(comments=_dedupe(batch), cursor=str(len(rows)), done=True, progress=f"{len(rows)} lines")

    def _latest(self, comment_id: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = None
        for row in self._lines():
            if self._mine(row) and str(row.get("id")) == comment_id:
                found = row
        return found

    def get_state(self, comment_id: str) -> RemoteState:
        row = self._latest(comment_id)
        if row is None or row.get("deleted"):
            return RemoteState(exists=False)
        hidden = self._load()["hidden"]
        return RemoteState(
            exists=True, hidden=hidden.get(comment_id, bool(row.get("hidden", False))), text=str(row.get("text") or "")
        )

    # ------------------------------------------------------------ moderation
    def hide(self, comment_id: str) -> None:
        self._record(comment_id, True)

    def unhide(self, comment_id: str) -> None:
        self._record(comment_id, False)

    def _record(self, comment_id: str, hidden: bool) -> None:
        row = self._latest(comment_id)
        if row is None or row.get("deleted"):
            raise NotFound(f"replay comment {comment_id} is not in {self.path.name}")
        with _LOCK:
            state = self._load()
            state["hidden"][comment_id] = hidden
            state["calls"].append({"id": comment_id, "hidden": hidden, "at": self._clock().isoformat()})
            self._save(state)

    def reply(self, comment_id: str, text: str) -> str:
        row = self._latest(comment_id)
        if row is None or row.get("deleted"):
            raise NotFound(f"replay comment {comment_id} is not in {self.path.name}")
        with _LOCK:
            state = self._load()
            reply_id = f"reply-{len(state['replies']) + 1}"
            state["replies"].append({"id": reply_id, "to": comment_id, "text": text, "at": self._clock().isoformat()})
            self._save(state)
        return reply_id

    def find_reply(self, comment_id: str, text: str) -> str | None:
        for sent in self._load()["replies"]:
            if sent.get("to") == comment_id and sent.get("text") == text:
                return str(sent["id"])
        return None

    def hide_calls(self) -> dict[str, int]:
        """How many hide requests each id received (for tests and the demo)."""
        counts: dict[str, int] = {}
        for call in self._load()["calls"]:
            if call.get("hidden"):
                counts[call["id"]] = counts.get(call["id"], 0) + 1
        return counts

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.hides_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"hidden": {}, "calls": [], "replies": []}
        except (OSError, ValueError) as exc:
            raise Transient(f"cannot read the replay hides file {self.hides_path}: {exc}") from None
        data.setdefault("hidden", {})
        data.setdefault("calls", [])
        data.setdefault("replies", [])
        return data

    def _save(self, state: dict[str, Any]) -> None:
        # Write-then-rename so a crash never leaves half a file.
        self.hides_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.hides_path.parent, prefix=".hides-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state, handle, indent=1)
        os.replace(tmp, self.hides_path)

    def check_access(self) -> AccessReport:
        if not self.path.exists():
            return AccessReport(ok=False, can_read=False, can_hide=False, missing=[f"the file {self.path}"])
        writable = os.access(self.hides_path.parent if not self.hides_path.exists() else self.hides_path, os.W_OK)
        missing = [] if writable else [f"write access to {self.hides_path}"]
        return AccessReport(ok=writable, can_read=True, can_hide=writable, missing=missing)


def _dedupe(batch: list[RemoteComment]) -> list[RemoteComment]:
    """Within a page, keep the last line for each id (a later line is a later edit)."""
    latest: dict[str, RemoteComment] = {}
    for comment in batch:
        latest.pop(comment.id, None)
        latest[comment.id] = comment
    return list(latest.values())
