"""``modq check --jsonl [FILE]``: JSON Lines of comments in, one verdict (or an error naming the line) per line
out, in order, evaluated in batches."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import typer

from moderation.domain import Verdict
from moderation.rules.evaluation import is_flagged, is_hidden


def verdict_json(v: Verdict) -> dict[str, Any]:
    """The machine-readable form of a verdict (the shape ``modq check --json`` prints).

    ``flagged``: some rule found something the policy covers (the comment waits for a person with a reason, or is
    hidden); ``hidden``: software hides it at once. A comment with no finding still has the action "queue" (every
    comment waits for a person unless it is clearly in breach), at the lowest priority, and is not flagged."""
    return {
        "flagged": is_flagged(v),
        "hidden": is_hidden(v),  # what ``modq eval`` counts as flagged and auto-hidden
        "action": v.action.value,
        "priority": v.priority,
        "route": v.route.value if v.route else None,
        "hide_now": v.hide_now,
        "policy_version": v.policy_version,
        "findings": [
            {
                "rule": f.rule_id,
                "clause": f.clause,
                "severity": f.severity.value,
                "action": f.action.value,
                "start": f.start,
                "end": f.end,
                "match": f.match,
                "confidence": round(f.confidence, 3),
                "rule_hash": f.rule_hash,
            }
            for f in v.findings
        ],
        "shadow_findings": [
            {"rule": f.rule_id, "clause": f.clause, "start": f.start, "end": f.end, "match": f.match}
            for f in v.shadow_findings
        ],
    }


def _batches(read: Callable[[int], bytes], size: int) -> Any:
    """Yield lists of (line number, line) as they arrive from ``read``: the whole lines of each read (at most
    ``size`` a batch). A file piped in comes in large reads, so in large batches; a program that writes one line
    and waits for its answer gets it at once, as does a person typing."""
    parts: list[bytes] = []
    no = 0
    while True:
        chunk = read(1 << 16)
        if not chunk:
            break
        if b"\n" not in chunk:
            parts.append(chunk)  # a long line arriving in pieces: joined once it ends
            continue
        data = b"".join([*parts, chunk])
        *lines, rest = data.split(b"\n")
        parts = [rest] if rest else []
        batch: list[tuple[int, str | None]] = []
        for raw in lines:
            no += 1
            if raw.strip():
                batch.append((no, _decoded(raw)))
                if len(batch) >= size:
                    yield batch
                    batch = []
        if batch:
            yield batch
    tail = b"".join(parts)
    if tail.strip():
        yield [(no + 1, _decoded(tail))]


def _decoded(raw: bytes) -> str | None:
    """A line's text, or None when it is not UTF-8 (reported as that line's error; the others are read)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _check_batch(policy: Any, batch: list[tuple[int, str | None]], orders: Any, when: Any) -> tuple[list[dict], int]:
    """Results for one batch of JSON Lines, in order: a verdict per good line, an error naming the line otherwise."""
    from moderation.rules.evaluation import item_from_json
    from moderation.rules.labelled_files import ITEM_SHAPE

    parsed: list[tuple[int, Any, Any, str | None]] = []  # (line, object, item, error)
    for no, line in batch:
        obj: Any = None
        try:
            if line is None:
                raise ValueError(f"not UTF-8 text: {ITEM_SHAPE}")
            try:
                obj = json.loads(line)
            except ValueError as exc:
                raise ValueError(f"not JSON ({exc}): {ITEM_SHAPE}") from None
            parsed.append((no, obj, item_from_json(obj), None))
        except ValueError as exc:
            parsed.append((no, obj, None, str(exc)))
    good = [item for _, _, item, _ in parsed if item is not None]
    verdicts = iter(policy.evaluate_many(good, orders, when))
    out: list[dict] = []
    failures = 0
    for no, obj, item, error in parsed:
        if item is not None:
            out.append({"id": obj.get("id"), **verdict_json(next(verdicts))})
        else:
            failures += 1
            out.append({"id": obj.get("id") if isinstance(obj, dict) else None, "line": no, "error": error})
    return out, failures


def check_jsonl(policy: Any, source: str | None, orders: Any, when: Any, batch: int | None) -> None:
    """``modq check --jsonl [FILE]``: one result line per input line, in order; exit 1 if any line was bad."""
    if source in (None, "-"):
        stream: Any = sys.stdin.buffer  # bytes: a line that is not UTF-8 is that line's error
    else:
        path = Path(source)
        if not path.is_file():
            typer.echo(
                f"modq check --jsonl: no such file: {source!r} (give a JSON Lines file of {{id, text, author}} "
                "objects, or '-' or nothing to read standard input)",
                err=True,
            )
            raise typer.Exit(2)
        stream = path.open("rb")
    try:
        fd = stream.fileno()
        read: Callable[[int], bytes] = partial(os.read, fd)  # what has arrived, without waiting for more
    except (OSError, ValueError):  # standard input replaced by an in-memory stream (a test runner)
        read = stream.read
    failures = 0
    try:
        for lines in _batches(read, batch or 500):
            results, bad = _check_batch(policy, lines, orders, when)
            failures += bad
            sys.stdout.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results))
            sys.stdout.flush()
    finally:
        if source not in (None, "-"):
            stream.close()
    if failures:
        raise typer.Exit(1)
