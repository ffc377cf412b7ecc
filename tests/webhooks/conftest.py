"""A real webhook service on loopback (uvicorn in a thread) beside the fake platform that sends to it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn

from connectors.testing.fake_platform import GRAPH_PERMISSIONS, FakePlatform
from connectors.testing.fake_webhooks import WebhookSender

SECRET = "app-secret-for-tests"
VERIFY = "verify-token-for-tests"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Running:
    base: str
    server: uvicorn.Server
    thread: threading.Thread
    app: Any

    @property
    def url(self) -> str:
        return self.base + "/webhooks/meta"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)


def start_server(service: Any, idle_seconds: float = 1.0) -> Running:
    from moderation.webhooks.app import serving_app

    app = serving_app(service, app_secret=SECRET, verify_token=VERIFY, idle_seconds=idle_seconds)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started
    return Running(f"http://127.0.0.1:{port}", server, thread, app)


@dataclass
class Stage:
    svc: Any
    fake: FakePlatform
    server: Running
    sender: WebhookSender
    page: str
    post: str
    ig: str
    media: str


@pytest.fixture
def clock() -> Callable[[], Any]:
    """Real time: the platform, the service and the sender meet on the wall clock here."""
    from datetime import UTC, datetime

    return lambda: datetime.now(UTC)


@pytest.fixture
def stage(svc: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stage]:
    """A Page and an Instagram account watched by modq, with webhooks flowing from the fake to the service."""
    from datetime import UTC, datetime, timedelta

    fake = FakePlatform(seed=3)
    base = fake.start()
    fake.add_graph_token("wh-token", set(GRAPH_PERMISSIONS) | {"pages_manage_metadata"})
    monkeypatch.setenv("WH_TOKEN", "wh-token")
    page = fake.add_fb_page("2001", "Department")
    post = fake.add_fb_post(page, "Community update", datetime.now(UTC) - timedelta(hours=1))
    ig = fake.add_ig_user("17841400000000111", "department")
    media = fake.add_ig_media(ig, "Opening day", datetime.now(UTC) - timedelta(hours=1))
    # Automation acts on comments that arrive after an account is switched on.
    on = datetime.now(UTC) - timedelta(minutes=30)
    for platform, ext in (("facebook", page), ("instagram", ig)):
        svc.add_account(
            platform, ext, platform, "alice", token_env="WH_TOKEN", api_base=base, poll_seconds=60, activated_at=on
        )
    server = start_server(svc)
    sender = WebhookSender(fake, server.url, SECRET).start()
    yield Stage(svc, fake, server, sender, page, post, ig, media)
    sender.stop()
    server.stop()
    fake.stop()


def wait_for(check: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()
