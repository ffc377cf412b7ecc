"""``modq webhooks serve`` as a process: refuses to start without its secrets, answers once a delivery is stored,
and on SIGTERM stops cleanly without losing a delivery it accepted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from connectors.meta_webhooks import sign
from connectors.testing.fake_platform import FakePlatform

from .conftest import SECRET, VERIFY, free_port, wait_for

pytestmark = pytest.mark.backends("sqlite")
MODQ = [sys.executable, "-m", "moderation"]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODQ_")}
    env.update(USER="alice", LOGNAME="alice", **extra)
    return env


def test_refuses_to_start_without_its_secrets(tmp_path: Path) -> None:
    run = subprocess.run([*MODQ, "webhooks", "serve", "--db", str(tmp_path / "m.db")], env=_env(),
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert run.returncode == 2
    assert "MODQ_META_APP_SECRET" in run.stderr and "MODQ_META_VERIFY_TOKEN" in run.stderr
    assert "Traceback" not in run.stderr


def test_sigterm_keeps_every_accepted_delivery(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moderation.bootstrap import make_service
    from moderation.config import Settings
    from moderation.webhooks.processor import process_pending

    db = tmp_path / "modq.db"
    monkeypatch.setenv("WH_TOKEN", "tok")
    fake = FakePlatform(seed=5)
    base = fake.start()
    try:
        fake.add_graph_token("tok")
        page = fake.add_fb_page("3001", "Department")
        post = fake.add_fb_post(page, "Update", datetime.now(UTC) - timedelta(hours=1))
        svc = make_service(Settings(), database_url=f"sqlite:///{db}")
        svc.ensure_first_admin("alice")
        svc.add_account("facebook", page, "Page", "alice", token_env="WH_TOKEN", api_base=base,
                        activated_at=datetime.now(UTC) - timedelta(hours=1))  # fmt: skip
        port = free_port()
        env = _env(MODQ_META_APP_SECRET=SECRET, MODQ_META_VERIFY_TOKEN=VERIFY, WH_TOKEN="tok")
        proc = subprocess.Popen([*MODQ, "webhooks", "serve", "--port", str(port), "--db", str(db)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        url = f"http://127.0.0.1:{port}/webhooks/meta"
        try:
            assert wait_for(lambda: _up(port), timeout=30)
            accepted = []
            for i in range(20):
                cid = fake.add_fb_comment(post, "I will kill you", (f"u{i}", "T"))
                body = _delivery(page, post, cid, i)
                r = requests.post(url, data=body, headers={"X-Hub-Signature-256": sign(SECRET, body)}, timeout=10)
                if r.status_code == 200:
                    accepted.append(cid)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
        assert len(accepted) == 20
        # Whatever the service had not finished when it stopped is still stored; the worker's job finishes it.
        process_pending(svc)
        svc.apply_outbox()
        assert svc.webhook_backlog() == 0
        assert set(accepted) <= fake.hidden_ids()
        assert all(fake.hide_calls[c] == 1 for c in accepted)
        assert svc.ledger_verify().ok
    finally:
        fake.stop()


def _up(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except requests.RequestException:
        return False


def _delivery(page: str, post: str, cid: str, i: int) -> bytes:
    now = int(time.time())
    value = {"item": "comment", "verb": "add", "comment_id": cid, "post_id": post, "message": "I will kill you",
             "created_time": now, "from": {"id": f"u{i}"}}  # fmt: skip
    change = {"field": "feed", "value": value}
    return json.dumps({"object": "page", "entry": [{"id": page, "time": now, "changes": [change]}]}).encode()
