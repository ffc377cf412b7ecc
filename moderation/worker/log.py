"""Structured logs for ``modq run``: one JSON object a line on standard error.

Why: the worker runs unattended (systemd, a container); its logs go to a collector that is not a public
record and is read by more people than the database is. So a log line carries ids, counts, durations and
error classes, and never a comment's text, an author's words or an access token:

* log calls pass only fields the worker chose (``event(log, "poll", account=3, added=2)``), never a text;
* every message and field is passed through ``redact``: ``access_token=...``, ``Authorization``/``Bearer``
  values, OAuth signatures and the values of the token variables the accounts name are replaced by ``***``;
* messages are truncated (``MAX_FIELD``), so a platform error that echoes a request body cannot spill it.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

MAX_FIELD = 300
_PATTERNS = [
    re.compile(r"(access_token=)[^&\s'\"]+", re.I),
    re.compile(r"(bearer\s+)[A-Za-z0-9._~+/=%-]+", re.I),
    re.compile(r"(authorization['\"]?\s*[:=]\s*['\"]?)[^'\",}]+", re.I),
    re.compile(r"(oauth_(?:signature|token)=\"?)[^&\s\",]+", re.I),
]
_secrets: set[str] = set()


def add_secrets(values: Iterable[str]) -> None:
    """Values that must never appear in a log line (tokens read from the accounts' variables)."""
    for v in values:
        if v and len(v) >= 6:
            _secrets.add(v)


def secrets_from_env(names: Iterable[str | None]) -> None:
    add_secrets(os.environ.get(n, "") for n in names if n)


def redact(value: str) -> str:
    for pat in _PATTERNS:
        value = pat.sub(r"\1***", value)
    for s in _secrets:
        if s in value:
            value = value.replace(s, "***")
    if len(value) > MAX_FIELD:
        value = value[:MAX_FIELD] + "…"
    return value


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_clean(v) for v in value]
    return redact(str(value))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": redact(record.getMessage()),
            "pid": record.process,
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            for k, v in fields.items():
                out[k] = _clean(v)
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            # The class and a redacted, truncated message: never a traceback with locals or request bodies.
            out["error_type"] = type(exc).__name__
            out["error"] = redact(str(exc))
        return json.dumps(out, ensure_ascii=False, sort_keys=False)


def configure(level: str = "info", stream: Any = None, json_lines: bool = True) -> None:
    """Route every logger (ours and APScheduler's) to one JSON handler."""
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    root.addHandler(handler)
    root.setLevel(level.upper())
    # APScheduler announces every run at INFO; our jobs log their own outcome.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    for noisy in ("alembic", "urllib3", "requests_oauthlib", "oauthlib", "tweepy"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def event(log: logging.Logger, name: str, level: int = logging.INFO, **fields: Any) -> None:
    log.log(level, name, extra={"fields": fields})
