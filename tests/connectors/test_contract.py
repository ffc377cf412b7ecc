"""The connector contract, run against every connector (Facebook, Instagram, X over loopback HTTP; replay).

Facebook, Instagram and X go through the real facebook-sdk and tweepy clients to the fake platform server.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from connector_harness import FB_TOKEN, X_TOKEN, Harness, all_comments

from moderation.ports import (
    AuthExpired,
    Capabilities,
    Connector,
    NotFound,
    PermissionMissing,
    RateLimited,
    RemoteComment,
    Transient,
)


def _ids(comments: list[RemoteComment]) -> list[str]:
    return [c.id for c in comments]


def test_connector_implements_the_port(harness: Harness) -> None:
    connector = harness.connector()
    assert isinstance(connector, Connector)
    assert isinstance(connector.capabilities(), Capabilities)
    assert connector.capabilities().can_hide


def test_poll_sees_every_comment_exactly_once_across_pages(harness: Harness) -> None:
    top = [harness.add(f"comment {n}") for n in range(7)]
    replies = [harness.add(f"reply {n}", reply_to=top[n]) for n in range(3)]
    comments, cursor = all_comments(harness.connector())
    ids = _ids(comments)
    assert Counter(ids) == Counter(top + replies)
    assert cursor
    by_id = {c.id: c for c in comments}
    assert by_id[replies[0]].parent_id == top[0]
    assert by_id[top[0]].parent_id is None
    assert by_id[top[3]].text.endswith("comment 3")
    assert all(c.platform in {"facebook", "instagram", "x"} for c in comments)


def test_poll_deduplicates_repeated_and_shuffled_pages(http_harness: Harness) -> None:
    expected = [http_harness.add(f"comment {n}") for n in range(10)]
    http_harness.fake.messy_paging = True
    comments, _ = all_comments(http_harness.connector())
    assert sorted(_ids(comments)) == sorted(expected)


def test_second_poll_from_cursor_sees_new_comments(harness: Harness) -> None:
    first = [harness.add(f"first {n}") for n in range(4)]
    comments, cursor = all_comments(harness.connector())
    assert set(_ids(comments)) == set(first)
    harness.clock.advance(120)
    later = harness.add("a later comment")
    comments, cursor2 = all_comments(harness.connector(), cursor)
    assert later in _ids(comments)
    assert len(_ids(comments)) == len(set(_ids(comments)))
    assert cursor2 and cursor2 != cursor


def test_hide_hides_and_the_next_poll_sees_it_then_unhide(harness: Harness) -> None:
    keep = harness.add("fine comment")
    bad = harness.add("you are idiots")
    connector = harness.connector()
    all_comments(connector)
    connector.hide(bad)
    assert harness.hidden(bad)
    assert not harness.hidden(keep)
    assert harness.hide_calls(bad) == 1
    if harness.reports_hidden:
        assert connector.get_state(bad).hidden is True
        comments, _ = all_comments(harness.connector())
        assert {c.id: c.hidden for c in comments} == {bad: True, keep: False}
    connector.unhide(bad)
    assert not harness.hidden(bad)
    if harness.reports_hidden:
        assert connector.get_state(bad).hidden is False


def test_hiding_twice_succeeds(harness: Harness) -> None:
    bad = harness.add("rubbish")
    connector = harness.connector()
    all_comments(connector)
    connector.hide(bad)
    connector.hide(bad)
    assert harness.hidden(bad)


def test_edited_comment_comes_back_with_new_text_under_the_same_id(harness: Harness) -> None:
    cid = harness.add("original words")
    connector = harness.connector()
    _, cursor = all_comments(connector)
    harness.clock.advance(60)
    harness.edit(cid, "edited words")
    comments, _ = all_comments(connector, cursor)
    texts = {c.id: c.text for c in comments}
    assert texts[cid].endswith("edited words")
    assert connector.get_state(cid).text.endswith("edited words")  # type: ignore[union-attr]


def test_deleted_comment_reports_not_existing_and_cannot_be_hidden(harness: Harness) -> None:
    cid = harness.add("soon gone")
    connector = harness.connector()
    all_comments(connector)
    assert connector.get_state(cid).exists
    harness.delete(cid)
    assert connector.get_state(cid).exists is False
    with pytest.raises(NotFound):
        connector.hide(cid)
    assert harness.hide_calls(cid) == 0


def test_unknown_comment_does_not_exist(harness: Harness) -> None:
    harness.add("something")
    assert harness.connector().get_state("999999999").exists is False


def test_expired_token_raises_auth_expired_without_leaking_it(http_harness: Harness) -> None:
    http_harness.add("hello")
    http_harness.expire()
    connector = http_harness.connector()
    with pytest.raises(AuthExpired) as caught:
        all_comments(connector)
    assert FB_TOKEN not in str(caught.value) and X_TOKEN not in str(caught.value)
    report = connector.check_access()
    assert not report.ok and not report.can_read and not report.can_hide
    assert any("expired" in m for m in report.missing)


def test_expired_token_fault_mid_poll(http_harness: Harness) -> None:
    for n in range(8):
        http_harness.add(f"c{n}")
    http_harness.fake.inject(http_harness.read_target(), "expired", times=1)
    with pytest.raises(AuthExpired):
        all_comments(http_harness.connector())


def test_missing_hide_permission_is_reported_and_refused(http_harness: Harness) -> None:
    cid = http_harness.add("abuse")
    weak = http_harness.weak_connector()
    comments, _ = all_comments(weak)  # reading still works
    assert cid in _ids(comments)
    report = weak.check_access()
    assert report.can_read and not report.can_hide and not report.ok
    assert report.missing, "the report must name what is missing"
    expected = {"facebook": "pages_manage_engagement", "instagram": "instagram_manage_comments", "x": "user-context"}[
        http_harness.platform
    ]
    assert any(expected in m for m in report.missing)
    with pytest.raises(PermissionMissing):
        weak.hide(cid)
    assert not http_harness.hidden(cid)


def test_full_access_reports_ok(harness: Harness) -> None:
    report = harness.connector().check_access()
    assert report.ok and report.can_read and report.can_hide and report.missing == []


@pytest.mark.parametrize("kind", ["429", "rate_code"])
def test_rate_limit_with_reset_gives_retry_time(http_harness: Harness, kind: str) -> None:
    http_harness.add("x")
    http_harness.fake.inject(http_harness.read_target(), kind, times=1)
    with pytest.raises(RateLimited) as caught:
        all_comments(http_harness.connector())
    retry_at = caught.value.retry_at
    assert retry_at is not None
    now = http_harness.clock.now()
    assert now < retry_at <= now + timedelta(minutes=6)


def test_rate_limit_without_reset_gives_no_retry_time(http_harness: Harness) -> None:
    http_harness.add("x")
    http_harness.fake.inject(http_harness.read_target(), "429_noreset", times=1)
    with pytest.raises(RateLimited) as caught:
        all_comments(http_harness.connector())
    assert caught.value.retry_at is None


def test_rate_limit_on_hide_is_rate_limited(http_harness: Harness) -> None:
    cid = http_harness.add("abuse")
    connector = http_harness.connector()
    all_comments(connector)
    http_harness.fake.inject(http_harness.hide_target(), "429", times=1)
    with pytest.raises(RateLimited):
        connector.hide(cid)
    assert not http_harness.hidden(cid)
    http_harness.clock.advance(61)
    connector.hide(cid)
    assert http_harness.hidden(cid) and http_harness.hide_calls(cid) == 1


@pytest.mark.parametrize("kind", ["5xx", "html", "malformed", "slow"])
def test_one_bad_response_is_retried_inside_the_poll(http_harness: Harness, kind: str) -> None:
    expected = [http_harness.add(f"c{n}") for n in range(5)]
    http_harness.fake.inject(http_harness.read_target(), kind, times=1)
    comments, _ = all_comments(http_harness.connector())
    assert sorted(_ids(comments)) == sorted(expected)


@pytest.mark.parametrize("kind", ["5xx", "html", "malformed"])
def test_persistent_bad_responses_become_transient(http_harness: Harness, kind: str) -> None:
    http_harness.add("c")
    http_harness.fake.inject(http_harness.read_target(), kind, times=3)
    with pytest.raises(Transient):
        all_comments(http_harness.connector())


@pytest.mark.parametrize("kind", ["5xx", "html", "malformed"])
def test_failed_hide_is_transient_and_a_retry_hides_exactly_once(http_harness: Harness, kind: str) -> None:
    cid = http_harness.add("abuse")
    connector = http_harness.connector()
    all_comments(connector)
    http_harness.fake.inject(http_harness.hide_target(), kind, times=1)
    with pytest.raises(Transient):
        connector.hide(cid)
    connector.hide(cid)
    assert http_harness.hidden(cid)
    assert http_harness.hide_calls(cid) == 1
