"""Meta's webhook handshake, signature and payloads, read without a server."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from connectors.meta_webhooks import handshake, parse_delivery, sign, signature_valid


@given(st.text(min_size=1), st.binary())
def test_a_signature_made_with_the_secret_verifies(secret: str, body: bytes) -> None:
    assert signature_valid(secret, body, sign(secret, body))


@given(st.text(min_size=1), st.binary(min_size=1), st.integers(min_value=0), st.integers(1, 255))
def test_any_changed_byte_fails_verification(secret: str, body: bytes, where: int, flip: int) -> None:
    i = where % len(body)
    forged = body[:i] + bytes([body[i] ^ flip]) + body[i + 1 :]
    assert not signature_valid(secret, forged, sign(secret, body))


@given(st.text(min_size=1), st.text(min_size=1), st.binary())
def test_another_secret_fails_verification(secret: str, other: str, body: bytes) -> None:
    if other != secret:
        assert not signature_valid(secret, body, sign(other, body))


def test_missing_or_odd_headers_fail() -> None:
    body = b"{}"
    good = sign("s3cret", body)
    for header in (None, "", good.replace("sha256=", "sha1="), good[:-2], "sha256=", good.upper()[:7] + "zz"):
        assert not signature_valid("s3cret", body, header)
    assert not signature_valid("", body, sign("", body))  # no secret configured: nothing is trusted


def test_handshake_echoes_the_challenge_only_with_the_right_token() -> None:
    ok = {"hub.mode": "subscribe", "hub.verify_token": "tok-123", "hub.challenge": "98765"}
    assert handshake(ok, "tok-123") == "98765"
    assert handshake({**ok, "hub.verify_token": "tok-124"}, "tok-123") is None
    assert handshake({**ok, "hub.mode": "unsubscribe"}, "tok-123") is None
    assert handshake({k: v for k, v in ok.items() if k != "hub.challenge"}, "tok-123") is None
    assert handshake(ok, "") is None


def _feed(verb: str, **value: object) -> bytes:
    change = {"field": "feed", "value": {"item": "comment", "verb": verb, **value}}
    return json.dumps({"object": "page", "entry": [{"id": "1001", "time": 1764800000, "changes": [change]}]}).encode()


def test_feed_comment_add_becomes_a_remote_comment() -> None:
    body = _feed(
        "add",
        comment_id="5_77",
        post_id="1001_5",
        parent_id="1001_5",
        message="hello",
        created_time=1764800000,
        **{"from": {"id": "u9", "name": "Sam"}},
    )
    parsed = parse_delivery(body)
    assert parsed.problems == []
    (event,) = parsed.events
    assert (event.platform, event.account, event.verb, event.comment_id) == ("facebook", "1001", "add", "5_77")
    assert event.comment is not None
    assert event.comment.text == "hello" and event.comment.parent_id is None and event.comment.author_name == "Sam"


def test_reply_edit_remove_and_visibility_verbs() -> None:
    reply = parse_delivery(_feed("edited", comment_id="5_78", post_id="1001_5", parent_id="5_77", message="x"))
    assert reply.events[0].verb == "edit" and reply.events[0].comment.parent_id == "5_77"  # type: ignore[union-attr]
    for verb in ("remove", "hide", "unhide"):
        (event,) = parse_delivery(_feed(verb, comment_id="5_77", post_id="1001_5")).events
        assert event.verb == verb and event.comment is None


def test_instagram_comment() -> None:
    change = {
        "field": "comments",
        "value": {"id": "179", "text": "hi", "from": {"id": "42", "username": "sam"}, "media": {"id": "m1"}},
    }
    body = json.dumps({"object": "instagram", "entry": [{"id": "1784", "time": 1764800000, "changes": [change]}]})
    (event,) = parse_delivery(body.encode()).events
    assert event.platform == "instagram" and event.comment is not None
    assert (event.comment.post_id, event.comment.author_handle, event.comment.text) == ("m1", "sam", "hi")


def test_a_malformed_change_is_reported_and_the_rest_kept() -> None:
    good = {
        "field": "feed",
        "value": {"item": "comment", "verb": "add", "comment_id": "1", "post_id": "p", "message": "a"},
    }
    bad = {"field": "feed", "value": {"item": "comment", "verb": "add", "message": "no ids"}}
    odd = {"field": "feed", "value": {"item": "comment", "verb": "explode", "comment_id": "2"}}
    post = {"field": "feed", "value": {"item": "status", "verb": "add", "post_id": "p"}}
    body = {"object": "page", "entry": [{"id": "1001", "changes": [bad, good, odd, post, "junk"]}, "junk"]}
    parsed = parse_delivery(json.dumps(body).encode())
    assert [e.comment_id for e in parsed.events] == ["1"]
    assert len(parsed.problems) == 4 and parsed.ignored == 1


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(), lambda c: st.lists(c) | st.dictionaries(st.text(), c)
    )
)
def test_any_json_is_read_without_raising(value: object) -> None:
    parse_delivery(json.dumps(value).encode())
    parse_delivery(json.dumps({"object": "page", "entry": [value]}).encode())
    parse_delivery(json.dumps({"object": "page", "entry": [{"id": "1", "changes": [value]}]}).encode())


@given(st.binary())
def test_any_bytes_are_read_without_raising(body: bytes) -> None:
    parse_delivery(body)
