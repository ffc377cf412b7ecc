"""Facebook and Instagram specifics through the real facebook-sdk over loopback: version, usage headers,
ambiguous hides, host isolation, token scrubbing, lookback."""

from __future__ import annotations

from datetime import timedelta

import facebook
import pytest
from connector_harness import (
    FB_TOKEN,
    PAGE_ID,
    FacebookHarness,
    FakeClock,
    Harness,
    InstagramHarness,
    all_comments,
)

from connectors.graph import GraphClient
from connectors.testing.fake_platform import FakePlatform
from moderation.ports import AccountConfig, Permanent, RateLimited, Transient, Unconfirmed


@pytest.fixture(params=["facebook", "instagram"])
def gh(request: pytest.FixtureRequest, fake: FakePlatform, clock: FakeClock, tmp_path) -> Harness:  # type: ignore[no-untyped-def]
    cls = FacebookHarness if request.param == "facebook" else InstagramHarness
    return cls(fake, clock, tmp_path)


def test_current_graph_version_is_used_and_configurable(gh: Harness) -> None:
    gh.add("hello")
    all_comments(gh.connector())
    assert gh.fake.requests and all(line.split()[1].startswith("/v23.0/") for line in gh.fake.requests)
    gh.fake.requests.clear()
    all_comments(gh.connector(graph_version="21.0"))
    assert all(line.split()[1].startswith("/v21.0/") for line in gh.fake.requests)
    with pytest.raises(Permanent):
        gh.connector(graph_version="latest")


def test_the_module_global_host_is_never_touched(gh: Harness) -> None:
    gh.add("hello")
    all_comments(gh.connector())
    assert facebook.FACEBOOK_GRAPH_URL == "https://graph.facebook.com/"


def test_two_accounts_on_two_hosts_in_one_process(clock: FakeClock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first, second = FakePlatform(clock=clock.now), FakePlatform(clock=clock.now)
    first.start()
    second.start()
    try:
        a, b = FacebookHarness(first, clock, tmp_path), FacebookHarness(second, clock, tmp_path)
        ca, cb = a.add("on the first host"), b.add("on the second host")
        conn_a, conn_b = a.connector(), b.connector()
        assert [c.id for c in all_comments(conn_a)[0]] == [ca]
        assert [c.id for c in all_comments(conn_b)[0]] == [cb]
        assert first.requests and second.requests
    finally:
        first.stop()
        second.stop()


def test_high_usage_stops_calls_until_the_regain_time(gh: Harness) -> None:
    gh.add("hello")
    connector = gh.connector()
    gh.fake.graph_usage = 95
    gh.fake.graph_regain_minutes = 7
    with pytest.raises(RateLimited) as caught:
        all_comments(connector)  # the first answer carries the warning: the poll stops before the next call
    assert len(gh.fake.requests) == 1
    assert caught.value.retry_at == gh.clock.now() + timedelta(minutes=7)
    with pytest.raises(RateLimited):
        all_comments(connector)
    assert len(gh.fake.requests) == 1, "no request may be sent while the budget is spent"
    gh.fake.graph_usage = 10
    gh.clock.advance(7 * 60 + 1)
    comments, _ = all_comments(connector)
    assert len(comments) == 1


def test_moderate_usage_slows_down_with_short_pauses(gh: Harness) -> None:
    gh.add("hello")
    connector = gh.connector()
    gh.fake.graph_usage = 85
    all_comments(connector)
    all_comments(connector)
    assert 0 < gh.clock.slept
    assert gh.clock.slept <= len(gh.fake.requests) * 1.0  # never more than a second per call


def test_slow_hide_is_verified_before_resending(gh: Harness) -> None:
    cid = gh.add("abuse")
    connector = gh.connector()
    all_comments(connector)
    gh.fake.inject(r"^POST ", "slow", times=1)  # processed, then answered after the client gave up
    with pytest.raises(Unconfirmed):
        connector.hide(cid)
    assert gh.hidden(cid)
    connector.hide(cid)  # the outbox retries: the connector reads the state first and sends nothing
    assert gh.fake.hide_calls[cid] == 1


def test_error_messages_never_carry_the_token() -> None:
    client = GraphClient(FB_TOKEN, "http://127.0.0.1:9", 0.5, "v23.0")
    error = facebook.GraphAPIError(
        {
            "error": {
                "message": f"bad https://graph.facebook.com/v23.0/1?access_token={FB_TOKEN}&x=1 token {FB_TOKEN}",
                "code": 100,
            }
        }
    )
    mapped = client._map_error(error)
    assert FB_TOKEN not in str(mapped) and FB_TOKEN not in mapped.reason
    assert "access_token=***" in str(mapped)


def test_unreachable_host_is_transient_and_hides_nothing(clock: FakeClock) -> None:
    from connectors.facebook import FacebookConnector

    config = AccountConfig(
        platform="facebook", external_id=PAGE_ID, token=FB_TOKEN, api_base="http://127.0.0.1:9", timeout=0.5
    )
    connector = FacebookConnector(config, clock=clock.now, sleep=clock.sleep)
    with pytest.raises(Transient) as caught:
        list(connector.poll(None))
    assert FB_TOKEN not in str(caught.value)


def test_posts_outside_the_lookback_are_not_read_unless_recently_commented(
    fake: FakePlatform, clock: FakeClock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    h = FacebookHarness(fake, clock, tmp_path)
    old_quiet = fake.add_fb_post(PAGE_ID, "old and quiet", clock.now() - timedelta(days=40))
    fake.add_fb_comment(old_quiet, "ancient", created=clock.now() - timedelta(days=39))
    old_busy = fake.add_fb_post(PAGE_ID, "old but busy", clock.now() - timedelta(days=45))
    fresh = fake.add_fb_comment(old_busy, "new comment on an old post", created=clock.now() - timedelta(hours=1))
    recent = h.add("on a recent post")
    comments, _ = all_comments(h.connector(lookback_days="30", min_posts="1"))
    assert sorted(c.id for c in comments) == sorted([fresh, recent])


def test_the_newest_posts_are_read_whatever_their_age(fake: FakePlatform, clock: FakeClock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # e.g. fixtures with fixed dates long past: a quiet Page must still be polled
    h = FacebookHarness(fake, clock, tmp_path)
    old = [fake.add_fb_post(PAGE_ID, f"old {n}", clock.now() - timedelta(days=400 + n)) for n in range(3)]
    ids = [fake.add_fb_comment(post, "hello", created=clock.now() - timedelta(days=399)) for post in old]
    comments, _ = all_comments(h.connector(min_posts="3"))
    assert set(ids[:2]) <= {c.id for c in comments}  # the harness's own post is the newest; then old 0 and 1
    assert ids[2] not in {c.id for c in comments}


def test_comments_carry_post_and_author_details(gh: Harness) -> None:
    parent = gh.add("top level")
    reply = gh.add("a reply", reply_to=parent)
    comments = {c.id: c for c in all_comments(gh.connector())[0]}
    assert comments[reply].parent_id == parent
    top = comments[parent]
    assert top.post_id and top.post_text and top.post_url.startswith("https://")
    assert top.author_id and (top.author_name or top.author_handle)
    assert top.created_at.tzinfo is not None and top.hidden is False


def test_last_page_lists_fully_read_posts_so_deletions_can_be_found(gh: Harness) -> None:
    keep, gone = gh.add("stays"), gh.add("will be deleted")
    connector = gh.connector()
    comments, _ = all_comments(connector)
    assert {c.id for c in comments} == {keep, gone}
    gh.delete(gone)
    pages = list(connector.poll(None))
    assert pages[-1].complete_posts == [gh.post]
    yielded = {c.id for p in pages for c in p.comments}
    candidates = {c.id for c in comments if c.post_id in pages[-1].complete_posts} - yielded
    assert candidates == {gone}
    assert connector.get_state(gone).exists is False and connector.get_state(keep).exists is True


@pytest.mark.parametrize("expand", [True, False])
def test_instagram_replies_with_and_without_field_expansion(
    fake: FakePlatform,
    clock: FakeClock,
    tmp_path,  # type: ignore[no-untyped-def]
    expand: bool,
) -> None:
    h = InstagramHarness(fake, clock, tmp_path)
    fake.expand_replies = expand
    fake.inline_replies = 2
    top = [h.add(f"top {n}") for n in range(3)]
    replies = [h.add(f"reply {n}", reply_to=top[0]) for n in range(5)] + [h.add("lone", reply_to=top[2])]
    comments, _ = all_comments(h.connector())
    assert sorted(c.id for c in comments) == sorted(top + replies)
    calls = sum(1 for line in fake.requests if line.endswith("/replies"))
    # expanded: one call, for the rest of the replies that did not fit inline; otherwise one call per top-level
    # comment, plus a second page for the comment with five replies (pages of three)
    assert calls == (1 if expand else 4)
