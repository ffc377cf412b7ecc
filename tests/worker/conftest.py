"""Fixtures for the worker's tests: a small policy of our own (so these tests do not move when the published
policy is tuned), a service on it, and a fake platform server with a Facebook Page the service polls."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from connectors.testing.fake_platform import FakePlatform

TOKEN = "fb-worker-test-token-0123456789"
TOKEN_ENV = "MODQ_TEST_FB_TOKEN"

POLICY = {
    "policy.toml": """
        [policy]
        version = "test.1"
        date = "2026-11-21"
        [defaults]
        no_finding_action = "queue"
        no_finding_priority = 10
    """,
    "clauses.toml": """
        [[clause]]
        id = "1"
        title = "Offensive language"
        [[clause]]
        id = "7"
        title = "Suppression orders"
    """,
    "rules/test.toml": """
        [[rule]]
        id = "t.abuse"
        clause = "1"
        words = ["rotten scoundrel", "vile toad"]
        action = "auto_hide"
        severity = "high"
        [rule.examples]
        match = ["you rotten scoundrel"]

        [[rule]]
        id = "t.bananas"
        clause = "1"
        words = ["bananas"]
        action = "auto_hide"
        severity = "low"
        mode = "shadow"
        [rule.examples]
        match = ["bananas everywhere"]

        [[rule]]
        id = "t.order"
        clause = "7"
        detector = "suppression_order"
        action = "escalate"
        route = "legal"
        hide_now = true
        priority = 100
        severity = "critical"
        [rule.examples]
        match = ["Jordan Mills did it"]
    """,
}


def write_policy(base: Path) -> Path:
    for name, body in POLICY.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return base


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    return write_policy(tmp_path / "policy")


@pytest.fixture
def wsvc(make_svc: Callable[..., Any], policy_dir: Path) -> Any:
    svc = make_svc(policy_dir=policy_dir)
    svc.ensure_first_admin("alice")
    svc.add_moderator("lee", "legal", "alice")
    svc.add_moderator("mo", "moderator", "alice")
    return svc


@dataclass
class Site:
    fake: FakePlatform
    base: str
    page: str
    post: str
    account_id: int

    def comment(self, text: str, author: str = "u1") -> str:
        return self.fake.add_fb_comment(self.post, text, author=(author, f"Person {author}"))


@pytest.fixture
def fake() -> Iterator[FakePlatform]:
    fp = FakePlatform(seed=7)
    fp.start()
    fp.add_graph_token(TOKEN)
    yield fp
    fp.stop()


@pytest.fixture
def site(wsvc: Any, fake: FakePlatform, clock: Any, monkeypatch: pytest.MonkeyPatch) -> Site:
    """A Page on the fake platform, watched by the service; comments added later are after activation."""
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    page = fake.add_fb_page("2001", "Department")
    post = fake.add_fb_post(page, "Road closures this weekend")
    # The fake stamps comments with real time; activate the account a minute before that.
    from datetime import UTC, datetime

    activated = datetime.now(UTC) - timedelta(minutes=1)
    acct = wsvc.add_account(
        "facebook",
        page,
        "Department",
        "alice",
        token_env=TOKEN_ENV,
        api_base=fake.base_url,
        poll_seconds=10,
        activated_at=activated,
    )
    return Site(fake=fake, base=fake.base_url, page=page, post=post, account_id=acct.id)
