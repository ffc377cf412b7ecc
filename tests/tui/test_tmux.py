"""The real app in a real terminal: ``modq demo`` inside a detached tmux session (120x36), driven by keys.

What a person checking the issue does by hand: the queue shows the corpus with policy violations first; h hides
(visible afterwards in ``modq show ID --json``); e escalates to legal with a note; u undoes; a comment carrying
markup and escape sequences displays as text; and two TUIs on the same database cannot both decide one item.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
MODQ = REPO / ".venv" / "bin" / "modq"
HOSTILE = REPO / "tests" / "data" / "hostile.jsonl"

pytestmark = [
    pytest.mark.backends("sqlite"),
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Term:
    """One detached tmux session running a command at 120x36."""

    def __init__(self, command: str, env: dict[str, str]) -> None:
        self.name = f"modq-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                "120",
                "-y",
                "36",
                f"cd {REPO} && env -u COLUMNS -u LINES {exports} {command}; sleep 30",
            ],
            check=True,
        )
        # Some tmux versions size a detached session from the server's default; pin it to 120x36.
        subprocess.run(["tmux", "set-option", "-t", self.name, "window-size", "manual"], capture_output=True)
        subprocess.run(["tmux", "resize-window", "-t", self.name, "-x", "120", "-y", "36"], capture_output=True)

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], check=True, capture_output=True, text=True
        ).stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, *(["-l"] if literal else []), key], check=True)
            time.sleep(0.15)

    def type(self, text: str) -> None:
        self.keys(text, literal=True)

    def wait(self, check: Callable[[str], Any], timeout: float = 30.0, what: str = "") -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what or check}; screen was:\n{screen}")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def current_id(screen: str) -> int:
    """The comment in the detail pane: its header line starts with '#ID state'."""
    for line in screen.splitlines()[14:]:
        m = re.match(r"\s*#(\d+) (queued|escalated|auto_hidden|approved|hidden) ·", line)
        if m:
            return int(m.group(1))
    raise AssertionError("no detail header on screen:\n" + screen)


def show(db: Path, env: dict[str, str], cid: int) -> dict[str, Any]:
    out = subprocess.run(
        [str(MODQ), "show", str(cid), "--db", str(db), "--json"],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    return json.loads(out.stdout)


def test_the_demo_in_a_real_terminal(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path), "TERM": "xterm-256color"}
    db = tmp_path / "modq" / "demo.db"
    one = Term(f"{MODQ} demo", env)
    two: Term | None = None
    try:
        screen = one.wait(lambda s: "seen 1 this session" in s, 90, "the queue's first paint")
        rows = [line for line in screen.splitlines()[2:14] if line.strip()]
        # Policy violations first: the top rows are escalations / automatic hides citing a clause.
        assert rows and all(re.search(r"\b(escalated|auto_hidden)\b", r) for r in rows[:5]), screen
        assert all(re.search(r"\s\d+(,\d+)*\s", r) for r in rows[:5]), screen

        # h hides the comment under the cursor (as admin this resolves its escalation).
        first = current_id(screen)
        one.keys("h")
        one.wait(lambda s: f"#{first} hidden" in s, 10, "the hide notification")
        assert show(db, env, first)["item"]["state"] == "hidden"

        # u undoes it.
        one.keys("u")
        one.wait(lambda s: f"Undone on #{first}" in s, 10, "the undo notification")
        assert show(db, env, first)["item"]["state"] == "escalated"

        # e escalates a queued comment to legal with a note.
        one.keys("/")
        one.type("access to the tip")
        one.keys("Enter")
        screen = one.wait(
            lambda s: re.search(r"#\d+ queued ·", s) and "filter: search" in s, 10, "a queued comment found by search"
        )
        target = current_id(screen)
        one.keys("e")
        one.wait(lambda s: "Escalate comment" in s, 10, "the escalate dialog")
        # Under load the dialog is drawn before its route field takes focus; a letter typed into the route field
        # picks a route by its first letter ("m" for media), so let the dialog settle before tabbing past it.
        time.sleep(1.0)
        one.keys("Tab", "Tab")  # from the route (legal by default) past the clause to the note
        one.type("allegation about a named officer")
        one.wait(lambda s: "allegation about a named officer" in s, 10, "the note typed into the note field")
        one.keys("Enter")
        one.wait(lambda s: f"#{target} escalated" in s, 10, "the escalation notification")
        shown = show(db, env, target)
        esc = shown["escalations"][-1]
        assert shown["item"]["state"] == "escalated" and esc["route"] == "legal"
        assert "allegation about a named officer" in esc["notes"]

        # Hostile text: ingest the hostile corpus into the same database, then look at it.
        queued_before = int(re.search(r"queued (\d+)", one.screen()).group(1))  # type: ignore[union-attr]
        subprocess.run(
            [str(MODQ), "ingest", str(HOSTILE), "--db", str(db)],
            check=True,
            capture_output=True,
            env={**os.environ, **env},
        )
        # The terminal picks the new comments up on its next refresh; search once it has.
        one.wait(
            lambda s: (m := re.search(r"queued (\d+)", s)) is not None and int(m.group(1)) > queued_before,
            30,
            "the hostile comments counted in the status line",
        )
        one.keys("/")
        one.keys("C-u")
        one.type("Go home")
        one.keys("Enter")
        screen = one.wait(
            lambda s: "⟨U+001B⟩[2J⟨U+001B⟩[3J⟨U+001B⟩[HThe queue is empty. Go home." in s,
            15,
            "the ANSI clear-screen comment shown as text in the detail pane",
        )
        assert "seen" in screen.splitlines()[0]
        one.keys("/")
        one.keys("C-u")
        one.type("click me")
        one.keys("Enter")
        screen = one.wait(
            lambda s: "[@click=app.quit]x[/] click me to approve" in s and "by Hostile Case 02" in s,
            15,
            "markup shown as text in the list and the detail pane",
        )
        assert screen.splitlines()[0].lstrip().startswith("modq")  # the status line is still where it was
        assert "Quit" in screen.splitlines()[-1]  # and so is the key bar

        # Two TUIs on one database: the first holds the comment it is looking at; the second is refused.
        held = current_id(one.wait(lambda s: "held by you" in s, 10, "the claim"))
        two = Term(f"{MODQ} tui --db {db} --as demo-moderator", env)
        two.wait(lambda s: "seen 1 this session" in s, 30, "the second TUI")
        two.keys("/")
        two.type("click me")
        two.keys("Enter")
        me = os.environ.get("USER") or "root"
        two.wait(lambda s: f"#{held} " in s and f"HELD BY {me}" in s, 15, "the second TUI seeing who holds it")
        two.keys("a")
        two.wait(lambda s: "is looking at this comment" in s, 10, "the refusal")
        decisions = [d for d in show(db, env, held)["decisions"] if not d["actor"].startswith("auto:")]
        assert decisions == []
        one.keys("q")
        time.sleep(0.5)
    finally:
        one.close()
        if two is not None:
            two.close()
