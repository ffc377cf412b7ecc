"""The reply part of the connector contract: publish a reply under a comment, find it again, and the errors.

Facebook, Instagram and X go through the real facebook-sdk and tweepy clients to the fake platform server; the
replay connector records replies in its state file.
"""

from __future__ import annotations

import json

import pytest
from connector_harness import Harness, all_comments

from moderation.ports import ConnectorError, NotFound, Permanent, PermissionMissing, Unconfirmed


def _sent(harness: Harness, comment_id: str) -> list[str]:
    """The texts of the replies under the comment, as the platform holds them."""
    if harness.platform == "replay":
        state = json.loads((harness.path.parent / (harness.path.name + ".hides.json")).read_text())  # type: ignore[attr-defined]
        return [r["text"] for r in state["replies"] if r["to"] == comment_id]
    target = harness.fake.latest_tweet_id(comment_id) if harness.platform == "x" else comment_id
    return harness.fake.replies_to(target)


def test_a_reply_is_published_under_the_comment_and_found_again(harness: Harness) -> None:
    cid = harness.add("please fix the road")
    connector = harness.connector()
    all_comments(connector)
    text = "Thanks, we have passed this on (clause 1 of our moderation policy)."
    assert connector.find_reply(cid, text) is None
    reply_id = connector.reply(cid, text)
    assert reply_id
    assert _sent(harness, cid) == [text]
    assert connector.find_reply(cid, text) == reply_id
    assert connector.find_reply(cid, "another text") is None
    # A fresh connector (a new process) finds it too.
    assert harness.connector().find_reply(cid, text) == reply_id


def test_a_reply_under_a_deleted_comment_is_refused(harness: Harness) -> None:
    cid = harness.add("gone soon")
    harness.delete(cid)
    with pytest.raises((NotFound, Permanent)):
        harness.connector().reply(cid, "hello")


def test_a_reply_without_the_permission_to_write_is_refused(http_harness: Harness) -> None:
    cid = http_harness.add("c")
    with pytest.raises(PermissionMissing):
        http_harness.weak_connector().reply(cid, "hello")
    assert _sent(http_harness, cid) == []


def test_a_reply_whose_answer_never_came_is_unconfirmed_and_found_on_the_platform(http_harness: Harness) -> None:
    cid = http_harness.add("c")
    connector = http_harness.connector()
    all_comments(connector)
    target = r"POST /2/tweets$" if http_harness.platform == "x" else r"POST /v\d+\.\d+/.+/(comments|replies)"
    http_harness.fake.inject(target, "slow", times=1)
    with pytest.raises(Unconfirmed):
        connector.reply(cid, "We have hidden your comment.")
    assert connector.find_reply(cid, "We have hidden your comment.") is not None
    assert len(_sent(http_harness, cid)) == 1


@pytest.mark.parametrize("kind", ["5xx", "html"])
def test_a_reply_that_met_a_server_error_was_not_published(http_harness: Harness, kind: str) -> None:
    cid = http_harness.add("c")
    target = r"POST /2/tweets$" if http_harness.platform == "x" else r"POST /v\d+\.\d+/.+/(comments|replies)"
    http_harness.fake.inject(target, kind, times=1)
    with pytest.raises(ConnectorError):
        http_harness.connector().reply(cid, "hello")
    assert _sent(http_harness, cid) == []
