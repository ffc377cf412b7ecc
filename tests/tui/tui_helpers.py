"""Helpers for the TUI tests: a small deterministic database on SQLite with a frozen clock, and helpers to
wait until the app's thread workers and the messages they post have settled."""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import io
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
POST = {
    "id": "1000000001_9",
    "text": "Kinsale Road, Bellmore will be closed from 25 Nov for upgrade works.",
    "url": "https://fb.example/p/9",
}

# (comment id, author id, author name, text); created a minute apart on 20 Nov 2026.
COMMENTS = [
    ("c01", "a1", "Bronwyn Hale", "When does Kinsale Road reopen? The detour adds 20 minutes to my commute."),
    ("c02", "a2", "Gary Pike", "You absolute cunt, fix the road before you close it."),
    ("c03", "a3", "Lee Tran", "Stop the Kinsale Road closure now! Sign the petition at the Bellmore newsagent today."),
    ("c04", "a4", "Mel Roy", "Stop the Kinsale Road closure now! Sign the petition at the Bellmore newsagent today."),
    ("c05", "a5", "Kim Wu", "stop the kinsale road closure NOW!! sign the petition at the bellmore newsagent today"),
    ("c06", "a6", "Dimitri Papas", "Bloody hell, 18 months late and they want a round of applause."),
    ("c07", "a2", "Gary Pike", "Thanks for the update, the detour signs are clear."),
    ("c08", "a7", "Ahmed Al-Hassan", "My Medicare number is 2953 81640 1 can you check if I'm booked in?"),
]


def record(cid: str, author: str, name: str, text: str, minute: int, **extra: Any) -> dict[str, Any]:
    rec = {
        "platform": "facebook",
        "account": "1000000001",
        "post": POST,
        "id": cid,
        "parent_id": None,
        "author": {"id": author, "handle": name.lower().replace(" ", "_"), "name": name},
        "text": text,
        "created_at": f"2026-11-20T{8 + minute // 60:02d}:{minute % 60:02d}:00+00:00",
        "url": f"https://fb.example/c/{cid}",
    }
    rec.update(extra)
    return rec


def ingest(svc: Any, records: list[dict[str, Any]]) -> None:
    report = svc.ingest_stream(io.StringIO("".join(json.dumps(r) + "\n" for r in records)))
    assert not report.errors, report.errors
    svc.triage_pending()


def load_hostile_module() -> Any:
    spec = importlib.util.spec_from_file_location("hostile", HERE.parent / "data" / "hostile.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def app_for(svc: Any, actor: str = "alice", **options: Any) -> Any:
    from tui.app import ModqApp

    options.setdefault("refresh_seconds", 0)
    options.setdefault("claim_delay", 0.05)
    return ModqApp(svc, actor, **options)


async def settle(pilot: Any, rounds: int = 6) -> None:
    """Let workers finish and their messages (which may start more workers) be handled, until quiet."""
    from textual.worker import WorkerCancelled, WorkerState

    def busy() -> list[Any]:
        return [w for w in pilot.app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]

    def context_pending() -> bool:
        # The queue screen reads a comment's context (neighbours, author history, ledger) once the cursor has
        # rested on it for a moment, from a timer: wait for that too.
        screen = pilot.app.screen
        shown = getattr(screen, "shown_id", None)
        return shown is not None and screen.wanted_id == shown and screen.context_id != shown

    quiet = 0
    for _ in range(rounds * 10):
        if context_pending():
            quiet = 0
            await pilot.pause(0.02)
            continue
        running = busy()
        if running:
            quiet = 0
            try:
                await pilot.app.workers.wait_for_complete(running)
            except WorkerCancelled:
                pass  # an exclusive worker replaced by a newer one
        await pilot.pause()
        if not busy():
            quiet += 1
            if quiet >= 2:
                return


def cid_of(svc: Any, external_id: str) -> int:
    return int(svc.find_comment(external_id))


def queue_screen(app: Any) -> Any:
    from tui.screens.queue import QueueScreen

    screen = app.screen
    assert isinstance(screen, QueueScreen), type(screen)
    return screen


async def move_to(pilot: Any, comment_id: int) -> None:
    """Put the cursor on ``comment_id`` (as j / k would, without paying Pilot's per-key idle wait)."""
    screen = queue_screen(pilot.app)
    table = screen.table
    table.move_cursor(row=table.index[comment_id])
    await settle(pilot)
    assert screen.shown_id == comment_id


def aio(fn: Any) -> Any:
    """Run an ``async def`` test in a fresh event loop (the suite has no asyncio plugin)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(fn(*args, **kwargs))

    return wrapper
