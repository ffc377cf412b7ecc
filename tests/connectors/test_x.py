"""X connector specifics, through the real tweepy Client over loopback: ownership refusal, pacing, rate headers."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from connector_harness import X_CITIZEN, X_OTHER, X_OWN, FakeClock, XHarness, all_comments

from connectors.testing.fake_platform import FakePlatform
from moderation.ports import NotOwnConversation, PermissionMissing, RateLimited, Unconfirmed


def _puts(fake: FakePlatform) -> int:
    return sum(1 for line in fake.requests if line.startswith("PUT "))


@pytest.fixture
def xh(fake: FakePlatform, clock: FakeClock, tmp_path) -> XHarness:  # type: ignore[no-untyped-def]
    return XHarness(fake, clock, tmp_path)


def test_reply_in_someone_elses_conversation_is_refused_without_calling_x(xh: XHarness) -> None:
    theirs = xh.fake.add_tweet(X_OTHER, "Their own post")
    reply = xh.fake.add_tweet(X_CITIZEN, "@otherorg @DeptRoads you clowns", reply_to=theirs)
    ours = xh.add("fine reply")
    connector = xh.connector()
    comments, _ = all_comments(connector)
    flags = {c.id: c.own_conversation for c in comments}
    assert flags == {reply: False, ours: True}
    with pytest.raises(NotOwnConversation) as caught:
        connector.hide(reply)
    message = str(caught.value)
    assert "conversation started by someone else" in message and "Report it to X" in message
    assert _puts(xh.fake) == 0
    assert xh.fake.hide_calls[reply] == 0


def test_refusal_also_works_for_a_fresh_connector_that_never_polled(xh: XHarness) -> None:
    theirs = xh.fake.add_tweet(X_OTHER, "Their own post")
    reply = xh.fake.add_tweet(X_CITIZEN, "@DeptRoads rubbish", reply_to=theirs)
    with pytest.raises(NotOwnConversation):
        xh.connector().hide(reply)
    assert _puts(xh.fake) == 0


def test_a_mention_that_is_not_a_reply_cannot_be_hidden(xh: XHarness) -> None:
    mention = xh.fake.add_tweet(X_CITIZEN, "@DeptRoads is hopeless")
    connector = xh.connector()
    comments, _ = all_comments(connector)
    assert [c.id for c in comments] == [mention]
    with pytest.raises(NotOwnConversation):
        connector.hide(mention)
    assert _puts(xh.fake) == 0


def test_server_403_on_hide_becomes_not_own_conversation(xh: XHarness) -> None:
    # The connector thinks the conversation is ours (stale knowledge); the platform disagrees.
    reply = xh.add("abuse")
    connector = xh.connector()
    all_comments(connector)
    xh.fake.tweets[xh.root]["author_id"] = X_OTHER
    with pytest.raises(NotOwnConversation):
        connector.hide(reply)
    assert xh.fake.hide_calls[reply] == 0


def test_hides_are_paced_at_50_per_15_minutes_and_none_dropped(xh: XHarness) -> None:
    replies = [xh.add(f"abuse {n}") for n in range(55)]
    connector = xh.connector()
    all_comments(connector)
    start = xh.clock.now()
    pending = list(replies)
    waits: list[RateLimited] = []
    while pending:
        try:
            connector.hide(pending[0])
        except RateLimited as exc:
            waits.append(exc)
            assert exc.retry_at is not None
            xh.clock.now_value = exc.retry_at
            continue
        pending.pop(0)
        xh.clock.advance(1)
    assert len(waits) == 1, "the pacer, not the server, must stop the 51st hide"
    assert waits[0].retry_at == start + timedelta(minutes=15)
    assert all(xh.fake.hide_calls[r] == 1 for r in replies)
    assert _puts(xh.fake) == 55  # no request was sent into a 429
    assert connector.capabilities().hides_per_window == 50


def test_spent_read_budget_stops_the_next_call_before_sending(clock: FakeClock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fake = FakePlatform(clock=clock.now, x_read_limit=1)
    fake.start()
    try:
        xh = XHarness(fake, clock, tmp_path)
        xh.add("one")
        connector = xh.connector()
        all_comments(connector)  # each endpoint's budget is now 0 remaining
        sent = len(fake.requests)
        with pytest.raises(RateLimited) as caught:
            all_comments(connector)
        assert len(fake.requests) == sent
        assert caught.value.retry_at is not None and caught.value.retry_at > clock.now()
        clock.now_value = caught.value.retry_at + timedelta(seconds=1)
        comments, _ = all_comments(connector)
        assert [c.text for c in comments] == ["@DeptRoads one"]
    finally:
        fake.stop()


def test_429_without_reset_does_not_recurse(xh: XHarness) -> None:
    xh.add("one")
    connector = xh.connector()
    assert connector.client.wait_on_rate_limit is False  # type: ignore[attr-defined]
    xh.fake.inject(r"GET /2/", "429_noreset", times=50)
    with pytest.raises(RateLimited) as caught:
        all_comments(connector)
    assert caught.value.retry_at is None
    assert len(xh.fake.requests) == 1


def test_app_only_token_reads_but_cannot_hide(xh: XHarness) -> None:
    reply = xh.add("abuse")
    weak = xh.weak_connector()
    assert not weak.capabilities().can_hide
    with pytest.raises(PermissionMissing):
        weak.hide(reply)
    assert _puts(xh.fake) == 0


def test_oauth1_credentials_sign_hides_and_bearer_reads(xh: XHarness) -> None:
    xh.fake.add_x_token("app-bearer", "app")
    xh.fake.add_x_token(f"{X_OWN}-oauth1token", X_OWN)
    token = json.dumps(
        {
            "bearer_token": "app-bearer",
            "consumer_key": "ck",
            "consumer_secret": "cs",
            "access_token": f"{X_OWN}-oauth1token",
            "access_token_secret": "ats",
        }
    )
    reply = xh.add("abuse")
    connector = xh.connector(token=token)
    comments, _ = all_comments(connector)
    assert [c.id for c in comments] == [reply]
    connector.hide(reply)
    assert xh.fake.hide_calls[reply] == 1
    # the real tweepy client did the work: its User-Agent, a signed OAuth 1.0a hide, bearer reads
    puts = [entry for entry in xh.fake.request_log if entry[0].startswith("PUT ")]
    assert puts and all("Tweepy/" in agent and scheme == "OAuth" for _, agent, scheme in puts)
    gets = [entry for entry in xh.fake.request_log if entry[0].startswith("GET ")]
    assert gets and all(scheme == "Bearer" for _, _, scheme in gets)
    report = connector.check_access()
    assert report.ok, report


def test_credentials_of_another_user_are_reported(xh: XHarness) -> None:
    xh.fake.add_x_token("citizen-token", X_CITIZEN)
    report = xh.connector(token="citizen-token").check_access()
    assert not report.ok
    assert any(X_CITIZEN in m for m in report.missing)


def test_edited_tweet_keeps_its_first_id_and_hides_the_latest_version(xh: XHarness) -> None:
    reply = xh.add("first words")
    connector = xh.connector()
    _, cursor = all_comments(connector)
    xh.clock.advance(300)
    xh.edit(reply, "second words")
    comments, _ = all_comments(connector, cursor)
    assert [(c.id, c.text) for c in comments] == [(reply, "@DeptRoads second words")]
    connector.hide(reply)
    latest = xh.fake.latest_tweet_id(reply)
    assert latest != reply
    assert xh.fake.hide_calls[reply] == 1 and reply in xh.fake.hidden_ids()
    assert any(line == f"PUT /2/tweets/{latest}/hidden" for line in xh.fake.requests)


def test_poll_watermark_only_moves_forward_and_since_id_is_used(xh: XHarness) -> None:
    first = xh.add("one")
    connector = xh.connector()
    _, cursor = all_comments(connector)
    assert cursor == first
    xh.clock.advance(600)
    second = xh.add("two")
    comments, cursor2 = all_comments(connector, cursor)
    assert second in [c.id for c in comments]
    assert int(cursor2 or 0) >= int(second)
    _, cursor3 = all_comments(connector, cursor2)
    assert cursor3 == cursor2


def test_without_tweet_lookup_a_fresh_process_still_hides_ours_and_refuses_theirs(xh: XHarness) -> None:
    xh.fake.x_lookup = False  # a server that only offers the polling endpoints
    top = xh.add("top-level reply")
    nested = xh.add("nested abuse", reply_to=top)
    theirs = xh.fake.add_tweet(X_OTHER, "Their own post")
    foreign = xh.fake.add_tweet(X_CITIZEN, "@DeptRoads abuse elsewhere", reply_to=theirs)
    flags = {c.id: c.own_conversation for c in all_comments(xh.connector())[0]}
    assert flags == {top: True, nested: True, foreign: False}
    fresh = xh.connector()  # another process: it never polled
    fresh.hide(nested)
    assert xh.fake.hide_calls[nested] == 1
    with pytest.raises(NotOwnConversation):
        fresh.hide(foreign)
    assert xh.fake.hide_calls[foreign] == 0 and _puts(xh.fake) == 1


def test_unanswered_hide_is_unconfirmed_and_not_sent_twice(xh: XHarness) -> None:
    reply = xh.add("abuse")
    connector = xh.connector()
    all_comments(connector)
    xh.fake.inject(r"^PUT ", "slow", times=1)  # X acts, then answers after the client gave up
    with pytest.raises(Unconfirmed):
        connector.hide(reply)
    assert reply in xh.fake.hidden_ids()
    connector.hide(reply)  # the outbox retries: X cannot confirm, so the connector counts it as applied
    assert xh.fake.hide_calls[reply] == 1 and _puts(xh.fake) == 1


def test_new_instances_share_the_pacer_and_unconfirmed_hides(xh: XHarness) -> None:
    # The service may build a fresh connector for each outbox run: pacing and memory must survive that.
    replies = [xh.add(f"abuse {n}") for n in range(51)]
    all_comments(xh.connector())
    for reply in replies[:50]:
        xh.connector().hide(reply)
    with pytest.raises(RateLimited):
        xh.connector().hide(replies[50])
    assert _puts(xh.fake) == 50
    xh.clock.advance(15 * 60)
    xh.fake.inject(r"^PUT ", "slow", times=1)
    with pytest.raises(Unconfirmed):
        xh.connector().hide(replies[50])
    xh.connector().hide(replies[50])
    assert xh.fake.hide_calls[replies[50]] == 1 and _puts(xh.fake) == 51


def test_links_are_read_as_where_they_go_not_as_the_t_co_wrapper(xh: XHarness) -> None:
    # X wraps every link in t.co and gives the destination in entities.urls; the link rule must see the destination.
    reply = xh.add("claim your refund at https://refund-mygov.example/claim and www.scam.example today")
    stored = xh.fake.tweets[reply]["text"]
    assert "t.co/" in stored and "refund-mygov" not in stored  # the fake wraps, as X does
    comments, _ = all_comments(xh.connector())
    text = next(c.text for c in comments if c.id == reply)
    assert text.endswith("claim your refund at https://refund-mygov.example/claim and http://www.scam.example today")
    assert "t.co" not in text


def test_an_edited_tweet_keeps_its_links_written_out(xh: XHarness) -> None:
    first = xh.add("fine")
    xh.fake.edit_tweet(first, "now see https://bit.ly/3xYz")
    comments, _ = all_comments(xh.connector())
    assert [c.text for c in comments if c.id == first] == ["now see https://bit.ly/3xYz"]
