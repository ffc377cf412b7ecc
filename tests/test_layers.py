"""The engine's core loads no user-interface or platform code: a worker or a report never pays for them."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_core_loads_no_textual_and_no_platform_sdk() -> None:
    code = (
        "import sys, moderation.services, moderation.rules, moderation.store.tables;"
        "bad = [m for m in ('textual', 'tweepy', 'facebook') if m in sys.modules];"
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
