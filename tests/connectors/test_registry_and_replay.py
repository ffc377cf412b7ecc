"""Entry-point registry, the replay connector's file semantics, the fake server's standalone mode, scrubbing."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from connectors.base import HidePacer, endpoint_bucket, graph_usage, parse_time, scrub
from connectors.registry import available_platforms, make_connector
from connectors.replay import ReplayConnector
from moderation.ports import AccountConfig, Connector, Permanent, RateLimited

LINE = {
    "platform": "instagram",
    "account": "acct",
    "post": {"id": "p1", "text": "Post", "url": "https://x/p1"},
    "parent_id": None,
    "author": {"id": "a1", "handle": "h1", "name": "N"},
    "text": "hello",
    "created_at": "2026-11-20T09:30:00+11:00",
    "url": "https://x/c",
}


def _write(path: Path, rows: list[dict]) -> None:
    with path.open("a", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")


def test_every_platform_is_an_entry_point() -> None:
    assert {"facebook", "instagram", "x", "replay"} <= set(available_platforms())


def test_unknown_platform_is_a_clear_error() -> None:
    with pytest.raises(Permanent, match="no connector for platform 'myspace'"):
        make_connector(AccountConfig(platform="myspace", external_id="1"))


def test_registry_builds_each_connector(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text("")
    for platform in ("facebook", "instagram", "x", "replay"):
        config = AccountConfig(
            platform=platform, external_id="1", token="t", api_base="http://127.0.0.1:9", settings={"path": str(path)}
        )
        connector = make_connector(config)
        assert isinstance(connector, Connector) and connector.platform == platform


def test_replay_pages_cursor_and_appended_lines(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    _write(path, [dict(LINE, id=f"c{n}") for n in range(5)] + [dict(LINE, id="z", account="other")])
    connector = ReplayConnector(
        AccountConfig(platform="replay", external_id="acct", settings={"path": str(path), "page_size": "2"})
    )
    pages = list(connector.poll(None))
    assert [len(p.comments) for p in pages] == [2, 2, 1]
    assert pages[-1].done and pages[-1].cursor == "6"
    first = pages[0].comments[0]
    assert first.platform == "instagram" and first.post_id == "p1" and first.author_handle == "h1"
    assert first.created_at == parse_time("2026-11-20T09:30:00+11:00")
    _write(path, [dict(LINE, id="c1", text="edited"), dict(LINE, id="c9")])
    pages = list(connector.poll(pages[-1].cursor))
    assert [(c.id, c.text) for p in pages for c in p.comments] == [("c1", "edited"), ("c9", "hello")]
    assert connector.get_state("c1").text == "edited"


def test_replay_hides_persist_across_instances(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    _write(path, [dict(LINE, id="c1"), dict(LINE, id="c2")])
    config = AccountConfig(platform="replay", external_id="acct", settings={"path": str(path)})
    ReplayConnector(config).hide("c1")
    again = ReplayConnector(config)
    assert again.get_state("c1").hidden is True and again.get_state("c2").hidden is False
    assert {c.id: c.hidden for p in again.poll(None) for c in p.comments} == {"c1": True, "c2": False}
    assert again.hide_calls() == {"c1": 1}
    assert (tmp_path / "c.jsonl.hides.json").exists()


def test_replay_bad_line_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(dict(LINE, id="c1")) + "\n{not json\n")
    connector = ReplayConnector(AccountConfig(platform="replay", external_id="acct", settings={"path": str(path)}))
    with pytest.raises(Permanent, match="line 2"):
        list(connector.poll(None))


def test_hide_pacer_window() -> None:
    from datetime import UTC, datetime, timedelta

    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    pacer = HidePacer(3, timedelta(minutes=15), lambda: now[0])
    for _ in range(3):
        pacer.acquire()
        now[0] += timedelta(minutes=1)
    with pytest.raises(RateLimited) as caught:
        pacer.acquire()
    assert caught.value.retry_at == datetime(2026, 1, 1, 0, 15, tzinfo=UTC)
    now[0] = datetime(2026, 1, 1, 0, 15, tzinfo=UTC)
    pacer.acquire()
    assert pacer.in_window() == 3


def test_helpers() -> None:
    assert (
        scrub("https://h/x?access_token=abc123&y=1 Bearer zzz", ["abc123"])
        == "https://h/x?access_token=***&y=1 Bearer ***"
    )
    assert endpoint_bucket("put", "http://127.0.0.1:1/2/tweets/123/hidden") == "PUT /2/tweets/:id/hidden"
    usage = {
        "X-Business-Use-Case-Usage": json.dumps({"1": [{"call_count": 92, "estimated_time_to_regain_access": 4}]}),
        "X-App-Usage": json.dumps({"call_count": 10, "total_time": 20}),
    }
    assert graph_usage(usage) == (92.0, 4.0)
    assert parse_time("2026-11-20T09:30:00+0000").utcoffset() is not None


def test_fake_server_runs_standalone() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "connectors.testing.fake_platform", "--port", "0", "--seed-demo"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "listening on http://127.0.0.1:" in line
        base = line.rsplit(" ", 1)[1].strip()
        deadline = time.monotonic() + 5
        while True:
            try:
                answer = requests.get(
                    f"{base}/v23.0/1001/published_posts", params={"access_token": "fb-demo-token"}, timeout=2
                )
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert answer.status_code == 200 and answer.json()["data"]
        state = requests.get(f"{base}/_fake/state", timeout=2).json()
        assert state["hidden_ids"] == [] and state["requests"] == 1
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def test_tokens_never_reach_debug_logs(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    import logging

    from connectors.testing.fake_platform import FakePlatform

    fake = FakePlatform()
    base = fake.start()
    try:
        fake.add_graph_token("graph-secret-9999")
        fake.add_fb_page("1001")
        fake.add_x_user("42", "dept")
        fake.add_x_token("x-secret-8888", "42")
        with caplog.at_level(logging.DEBUG):
            for platform, ext, token in (("facebook", "1001", "graph-secret-9999"), ("x", "42", "x-secret-8888")):
                connector = make_connector(
                    AccountConfig(platform=platform, external_id=ext, token=token, api_base=base, timeout=2)
                )
                list(connector.poll(None))
        text = "\n".join(r.getMessage() for r in caplog.records)
        assert "Making API request" in text or "GET /v23.0" in text  # the vendor libraries did log
        assert "graph-secret-9999" not in text and "x-secret-8888" not in text
    finally:
        fake.stop()


@pytest.mark.parametrize("platform", ["facebook", "instagram", "x"])
def test_api_base_must_be_a_url(platform: str) -> None:
    with pytest.raises(Permanent, match="api_base"):
        make_connector(AccountConfig(platform=platform, external_id="1", token="t", api_base="127.0.0.1:8999"))
