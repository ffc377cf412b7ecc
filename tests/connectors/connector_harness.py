"""Helpers and fixtures for the connector tests (imported by conftest.py).

A fake clock, the fake platform server, and one harness per platform.

A harness hides the platform-specific way to put a comment on the "platform", edit or delete it, read the
server's truth about hides and inject faults, so one contract suite runs against every connector.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from connectors.base import forget_accounts
from connectors.registry import make_connector
from connectors.testing.fake_platform import GRAPH_PERMISSIONS, FakePlatform
from moderation.ports import AccountConfig, Connector

TIMEOUT = 0.8  # client timeout; the fake's "slow" fault answers after 1.3 s
PAGE_ID = "1001"
IG_ID = "17841499999999999"
X_OWN = "1500000000000000001"
X_CITIZEN = "1500000000000000002"
X_OTHER = "1500000000000000003"
FB_TOKEN = "fb-secret-token-123"
X_TOKEN = "x-secret-token-456"


class FakeClock:
    """Wall-clock-like time that only moves when told to; ``sleep`` advances it instead of sleeping."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now_value = start or datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
        self.slept = 0.0

    def now(self) -> datetime:
        return self.now_value

    def advance(self, seconds: float) -> None:
        self.now_value += timedelta(seconds=seconds)

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.advance(seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(autouse=True)
def fresh_account_memory() -> Iterator[None]:
    """Connectors share per-account memory within a process; tests must not inherit another test's."""
    forget_accounts()
    yield
    forget_accounts()


@pytest.fixture
def fake(clock: FakeClock) -> Iterator[FakePlatform]:
    platform = FakePlatform(seed=7, clock=clock.now, page_size=3, slow_seconds=1.3)
    platform.start()
    yield platform
    platform.stop()


class Harness:
    """Platform-specific test operations. ``supports_http_faults`` is False for the replay connector."""

    platform = ""
    post = ""  # the post or media new comments go on (Facebook, Instagram)
    root = ""  # the account's own root post new replies go under (X)
    supports_http_faults = True
    reports_hidden = True

    def __init__(self, fake: FakePlatform, clock: FakeClock, tmp_path: Path) -> None:
        self.fake = fake
        self.clock = clock
        self.tmp_path = tmp_path
        self.counter = 0
        self.setup()

    def setup(self) -> None: ...

    account_id = ""
    account_token = ""
    default_settings: dict[str, str] = {}

    def config(self, **settings: str) -> AccountConfig:
        """The account on the fake server, as the engine would configure it."""
        return AccountConfig(
            platform=self.platform,
            external_id=self.account_id,
            token=self.account_token,
            api_base=self.fake.base_url,
            settings={**self.default_settings, **settings},
            timeout=TIMEOUT,
        )

    def connector(self, token: str | None = None, timeout: float | None = None, **settings: str) -> Connector:
        config = self.config(**settings)
        if token is not None or timeout is not None:
            config = AccountConfig(
                platform=config.platform,
                external_id=config.external_id,
                token=config.token if token is None else token,
                api_base=config.api_base,
                settings=config.settings,
                timeout=config.timeout if timeout is None else timeout,
            )
        return make_connector(config, clock=self.clock.now, sleep=self.clock.sleep)

    def add(self, text: str, reply_to: str | None = None) -> str:
        raise NotImplementedError

    def edit(self, comment_id: str, text: str) -> None:
        self.fake.edit(comment_id, text)

    def delete(self, comment_id: str) -> None:
        self.fake.delete(comment_id)

    def hidden(self, comment_id: str) -> bool:
        return comment_id in self.fake.hidden_ids()

    def hide_calls(self, comment_id: str) -> int:
        return self.fake.hide_calls[comment_id]

    def expire(self) -> None:
        raise NotImplementedError

    def read_target(self) -> str:
        raise NotImplementedError

    def hide_target(self) -> str:
        raise NotImplementedError

    def weak_connector(self) -> Connector:
        """A connector whose credentials can read but not hide."""
        raise NotImplementedError


class FacebookHarness(Harness):
    platform = "facebook"
    account_id = PAGE_ID
    account_token = FB_TOKEN

    def setup(self) -> None:
        self.fake.add_graph_token(FB_TOKEN)
        self.fake.add_fb_page(PAGE_ID)
        self.post = self.fake.add_fb_post(PAGE_ID, "Road works", self.clock.now() - timedelta(days=1))

    def add(self, text: str, reply_to: str | None = None) -> str:
        self.counter += 1
        return self.fake.add_fb_comment(
            self.post,
            text,
            (f"u{self.counter}", f"Person {self.counter}"),
            parent=reply_to,
            created=self.clock.now() - timedelta(minutes=60 - self.counter),
        )

    def expire(self) -> None:
        self.fake.expire_token(FB_TOKEN)

    def read_target(self) -> str:
        return r"GET /v\d+\.\d+/"

    def hide_target(self) -> str:
        return r"POST /v\d+\.\d+/"

    def weak_connector(self) -> Connector:
        self.fake.add_graph_token("fb-weak", GRAPH_PERMISSIONS - {"pages_manage_engagement"})
        return self.connector(token="fb-weak")


class InstagramHarness(FacebookHarness):
    platform = "instagram"
    account_id = IG_ID

    def setup(self) -> None:
        self.fake.add_graph_token(FB_TOKEN)
        self.fake.add_ig_user(IG_ID)
        self.post = self.fake.add_ig_media(IG_ID, "Tram stop", self.clock.now() - timedelta(days=1))

    def add(self, text: str, reply_to: str | None = None) -> str:
        self.counter += 1
        return self.fake.add_ig_comment(
            self.post,
            text,
            f"user{self.counter}",
            parent=reply_to,
            created=self.clock.now() - timedelta(minutes=60 - self.counter),
        )

    def weak_connector(self) -> Connector:
        self.fake.add_graph_token("fb-weak", GRAPH_PERMISSIONS - {"instagram_manage_comments"})
        return self.connector(token="fb-weak")


class XHarness(Harness):
    platform = "x"
    account_id = X_OWN
    account_token = X_TOKEN
    default_settings = {"username": "DeptRoads"}
    reports_hidden = False  # X's API does not say whether a reply is hidden

    def setup(self) -> None:
        self.fake.add_x_user(X_OWN, "DeptRoads", "Department of Roads")
        self.fake.add_x_user(X_CITIZEN, "citizen", "A Citizen")
        self.fake.add_x_user(X_OTHER, "otherorg", "Other Org")
        self.fake.add_x_token(X_TOKEN, X_OWN)
        self.root = self.fake.add_tweet(X_OWN, "Road works this weekend", created=self.clock.now() - timedelta(hours=5))

    def add(self, text: str, reply_to: str | None = None) -> str:
        self.counter += 1
        return self.fake.add_tweet(
            X_CITIZEN,
            f"@DeptRoads {text}",
            reply_to=reply_to or self.root,
            created=self.clock.now() - timedelta(minutes=60 - self.counter),
        )

    def edit(self, comment_id: str, text: str) -> None:
        self.fake.edit(self.fake.latest_tweet_id(comment_id), f"@DeptRoads {text}")

    def expire(self) -> None:
        self.fake.expire_token(X_TOKEN)

    def read_target(self) -> str:
        return r"GET /2/"

    def hide_target(self) -> str:
        return r"PUT /2/tweets/.*/hidden"

    def weak_connector(self) -> Connector:
        self.fake.add_x_token("x-app-only", "app")
        return self.connector(token="x-app-only", auth="app")


class ReplayHarness(Harness):
    platform = "replay"
    supports_http_faults = False

    def setup(self) -> None:
        self.path = self.tmp_path / "comments.jsonl"
        self.path.write_text("")

    def config(self, **settings: str) -> AccountConfig:
        return AccountConfig(
            platform="replay", external_id="acct-1", settings={"path": str(self.path), "page_size": "3", **settings}
        )

    def _append(self, row: dict[str, Any]) -> None:
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(row) + "\n")

    def add(self, text: str, reply_to: str | None = None) -> str:
        self.counter += 1
        cid = f"r{self.counter}"
        self._rows = getattr(self, "_rows", {})
        row = {
            "platform": "facebook",
            "account": "acct-1",
            "post": {"id": "p1", "text": "Road works", "url": ""},
            "id": cid,
            "parent_id": reply_to,
            "author": {"id": f"a{self.counter}", "handle": f"h{self.counter}", "name": f"Person {self.counter}"},
            "text": text,
            "created_at": "2026-11-20T09:30:00+11:00",
            "url": "",
        }
        self._rows[cid] = row
        self._append(row)
        return cid

    def edit(self, comment_id: str, text: str) -> None:
        self._append(dict(self._rows[comment_id], text=text))

    def delete(self, comment_id: str) -> None:
        self._append(dict(self._rows[comment_id], deleted=True))

    def hidden(self, comment_id: str) -> bool:
        return bool(self.connector().get_state(comment_id).hidden)

    def hide_calls(self, comment_id: str) -> int:
        connector = self.connector()
        return connector.hide_calls().get(comment_id, 0)  # type: ignore[attr-defined]


HARNESSES = {"facebook": FacebookHarness, "instagram": InstagramHarness, "x": XHarness, "replay": ReplayHarness}


@pytest.fixture(params=sorted(HARNESSES))
def harness(request: pytest.FixtureRequest, fake: FakePlatform, clock: FakeClock, tmp_path: Path) -> Harness:
    return HARNESSES[request.param](fake, clock, tmp_path)


@pytest.fixture(params=["facebook", "instagram", "x"])
def http_harness(request: pytest.FixtureRequest, fake: FakePlatform, clock: FakeClock, tmp_path: Path) -> Harness:
    return HARNESSES[request.param](fake, clock, tmp_path)


def all_comments(connector: Connector, cursor: str | None = None) -> tuple[list[Any], str | None]:
    """Poll to the end; return every comment yielded (in order, repeats kept) and the final cursor."""
    comments: list[Any] = []
    pages = list(connector.poll(cursor))
    for page in pages[:-1]:
        assert not page.done
        assert page.cursor is None, "only the last page carries the cursor"
    assert pages[-1].done
    for page in pages:
        comments.extend(page.comments)
    return comments, pages[-1].cursor
