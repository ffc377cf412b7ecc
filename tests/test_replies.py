"""Replies to authors by authorised spokespeople: the templates and their checks, who may reply, under which
comments, the preview, the ledger, and one reply on the platform (Facebook, Instagram, X over the fake server)
even when the first attempt's answer never came."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from records import ledger_payloads
from test_e2e_platform import cli, fake, queue_json  # noqa: F401  (fixtures)
from typer.testing import CliRunner

from connectors.registry import make_connector
from connectors.testing.fake_platform import FakePlatform
from moderation.cli import app
from moderation.connecting import account_config
from moderation.domain import ConflictError, DomainError, InputError, RoleError, TransitionError
from moderation.domain.replies import (
    MAX_CHARS,
    ReplyTemplate,
    TemplateError,
    check_template,
    parse_template,
    render,
)

REPO = Path(__file__).resolve().parents[1]
CLAUSES = {"1": "Offensive and obscene language", "5": "Personal and confidential information", "7": "Court orders"}


# ---------------------------------------------------------------- templates (pure)
def _t(body: str, clause: str = "1", states: str = "hidden") -> str:
    return f"clause: {clause}\nfor: {states}\n---\n{body}\n"


def test_a_template_file_is_read_with_its_clause_states_and_text() -> None:
    t = parse_template(
        "hi", "# a comment line\ntitle: Greeting\n" + _t("Hi {author_name}, clause {clause}.", "5", "hidden, queued")
    )
    assert (t.clause, t.states, t.title, t.body) == (
        "5",
        ("hidden", "queued"),
        "Greeting",
        "Hi {author_name}, clause {clause}.",
    )
    assert t.placeholders == ["author_name", "clause"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("clause: 1\nfor: hidden\n---\n   \n", "text is empty"),
        ("clause: 1\nfor: hidden\n---", "text is empty"),
        ("clause: 1\nfor: hidden\nHello", "no '---' line"),
        ("for: hidden\n---\nHello", "no 'clause:'"),
        ("clause: 1\n---\nHello", "no 'for:'"),
        ("clause: 1\nfor: approved\n---\nHello", "'for: approved' is not a state"),
        ("clause: 1\nclause: 2\nfor: hidden\n---\nHello", "'clause' is given twice"),
        ("clause: 1\nfor: hidden\ncolour: red\n---\nHello", "expected one of clause, for, title"),
        (_t("Hello {author_name"), "brace is not closed"),
        (_t("Hello {0}"), "is not a placeholder"),
        (_t("Hello {author_name!r}"), "is not a placeholder"),
    ],
)
def test_a_malformed_template_is_refused_saying_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(TemplateError, match=None) as caught:
        parse_template("t", text)
    assert says in str(caught.value)


def test_checks_name_unknown_placeholders_unknown_clauses_and_personal_values_under_the_order_clause() -> None:
    unknown = parse_template("t", _t("Hi {first_name}, see {clause}"))
    assert any("unknown placeholder {first_name}" in p for p in check_template(unknown, CLAUSES, "7"))
    stray = parse_template("t", _t("Hi", clause="99"))
    assert any("clause '99' is not in the published policy" in p for p in check_template(stray, CLAUSES, "7"))
    greeting = parse_template("t", _t("Hi {author_name}, hidden under {clause}", clause="7"))
    problems = check_template(greeting, CLAUSES, "7")
    assert any("may not use {author_name}" in p for p in problems)
    plain = parse_template("t", _t("A comment was hidden under clause {clause}: {clause_title}.", clause="7"))
    assert check_template(plain, CLAUSES, "7") == []


def test_a_template_that_cannot_fit_an_x_post_is_refused() -> None:
    # "Hi " + a 50-character name + ", " + the rest: one character over, then exactly at the limit.
    body = "Hi {author_name}, " + "x" * (MAX_CHARS - 54)
    assert any("can be 281 characters long" in p for p in check_template(parse_template("t", _t(body)), CLAUSES, None))
    short = "Hi {author_name}, " + "x" * (MAX_CHARS - 55)
    assert check_template(parse_template("t", _t(short)), CLAUSES, None) == []


@given(st.text(max_size=80))
def test_any_author_name_is_plain_text_in_the_reply(name: str) -> None:
    t = ReplyTemplate("t", "1", ("hidden",), "Hi {author_name}: {clause} {{literal}}")
    text = render(t, author_name=name, clause_title="x", policy_version="v")
    shown = " ".join(name.split()) or "there"
    assert text == f"Hi {shown}: 1 {{literal}}"


def test_the_shipped_templates_pass_the_policy_check_and_name_bad_ones(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["policy", "check"])
    assert ok.exit_code == 0, ok.output
    assert "4 reply templates: OK" in ok.output
    policy = tmp_path / "policies"
    shutil.copytree(REPO / "policies", policy)
    (policy / "replies" / "bad-placeholder.txt").write_text(_t("Hi {first_name}"))
    (policy / "replies" / "bad-clause.txt").write_text(_t("Hi", clause="42"))
    (policy / "replies" / "empty.txt").write_text("clause: 1\nfor: hidden\n---\n")
    (policy / "replies" / "order-greeting.txt").write_text(_t("Hi {author_name}", clause="7"))
    (policy / "replies" / "notes.md").write_text("x")
    bad = runner.invoke(
        app, ["policy", "check", "--policy", str(policy), "--document", str(REPO / "moderation_policy.md")]
    )
    assert bad.exit_code == 1, bad.output
    lines = bad.output.splitlines()
    assert any(line.startswith("replies/bad-placeholder.txt: unknown placeholder {first_name}") for line in lines)
    assert any(line.startswith("replies/bad-clause.txt: clause '42' is not in the published policy") for line in lines)
    assert any(line.startswith("replies/empty.txt: the reply's text is empty") for line in lines)
    assert any(line.startswith("replies/order-greeting.txt: a reply citing clause 7") for line in lines)
    assert any(line.startswith("replies/notes.md: reply templates are .txt files") for line in lines)
    assert "4 reply templates: 5 problem(s)" in bad.output


# ---------------------------------------------------------------- the service over the fake platform
ALL_STATES = ["new", "queued", "escalated", "auto_hidden", "approved", "hidden"]
SLOW = 1.3  # the fake answers a "slow" request after this long (having done it); the client gives up at 0.8 s


@pytest.fixture
def platform() -> Iterator[tuple[FakePlatform, dict[str, str]]]:
    fp = FakePlatform(seed=3, slow_seconds=SLOW)
    fp.start()
    ids = fp.seed_demo()
    yield fp, ids
    fp.stop()


def _impatient(account: Any) -> Any:
    """The real connector for the account, with a timeout shorter than the fake's slow answers."""
    return make_connector(replace(account_config(account), timeout=0.8))


@pytest.fixture
def world(svc: Any, platform: Any, clock: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    fp, ids = platform
    clock.value = datetime.now(UTC)
    monkeypatch.setenv("FB_TOKEN", ids["facebook_token"])
    monkeypatch.setenv("X_TOKEN", ids["x_token"])
    svc.add_account("facebook", ids["facebook_page"], "Page", "alice", token_env="FB_TOKEN", api_base=fp.base_url)
    svc.add_account("instagram", ids["instagram_user"], "IG", "alice", token_env="FB_TOKEN", api_base=fp.base_url)
    svc.add_account(
        "x",
        ids["x_user"],
        "X",
        "alice",
        token_env="X_TOKEN",
        api_base=fp.base_url,
        settings={"username": "VicRoadsDemo"},
    )
    for a in svc.accounts():
        assert svc.poll_account(a.id).error is None
    svc.add_moderator("bob", "moderator", "alice")
    svc.add_moderator("sam", "moderator", "alice")
    svc.add_moderator("cora", "committee", "alice")
    return svc


def _comment(svc: Any, words: str) -> Any:
    return next(i for i in svc.queue(ALL_STATES, limit=100) if words in i.preview)


def _hidden(svc: Any, words: str, clause: str = "1") -> Any:
    item = _comment(svc, words)
    if item.state != "hidden":
        svc.decide(item.id, "hide", "bob", clause=clause, note="abuse")
    return _comment(svc, words)


def test_only_an_admin_authorises_spokespeople_and_the_ledger_says_who(world: Any) -> None:
    svc = world
    with pytest.raises(RoleError, match="not allowed to authorise replies"):
        svc.set_spokesperson("sam", True, "bob")
    with pytest.raises(DomainError, match="committee member"):
        svc.set_spokesperson("cora", True, "alice")
    svc.set_spokesperson("sam", True, "alice", "comms lead")
    with pytest.raises(DomainError, match="already authorised"):
        svc.set_spokesperson("sam", True, "alice")
    assert [m.name for m in svc.spokespeople()] == ["sam"]
    added = ledger_payloads(svc, "spokesperson_added")
    assert len(added) == 1 and added[0]["name"] == "sam" and added[0]["reason"] == "comms lead"
    svc.set_spokesperson("sam", False, "alice")
    assert svc.spokespeople() == [] and len(ledger_payloads(svc, "spokesperson_removed")) == 1
    assert svc.ledger_verify().ok


def test_a_reply_is_refused_for_the_unauthorised_an_unknown_template_and_a_comment_in_another_state(world: Any) -> None:
    svc = world
    target = _hidden(svc, "potholes")
    with pytest.raises(RoleError, match="not authorised to reply"):
        svc.preview_reply(target.id, "hidden-offensive-language", "bob")
    with pytest.raises(RoleError, match="not authorised to reply"):
        svc.send_reply(target.id, "hidden-offensive-language", "alice")  # an admin is not a spokesperson by right
    svc.set_spokesperson("sam", True, "alice")
    with pytest.raises(InputError, match="unknown reply template 'thanks'; templates: hidden-offensive-language"):
        svc.send_reply(target.id, "thanks", "sam")
    with pytest.raises(DomainError, match="cites clause 5, but comment .* is hidden under clause\\(s\\) 1"):
        svc.send_reply(target.id, "hidden-personal-information", "sam")
    with pytest.raises(TransitionError, match="for queued comments"):
        svc.send_reply(target.id, "queued-personal-information", "sam")
    kind = _comment(svc, "heads up")
    svc.decide(kind.id, "approve", "bob")
    with pytest.raises(TransitionError, match="only under a hidden or queued comment; #\\d+ is approved"):
        svc.send_reply(kind.id, "hidden-offensive-language", "sam")
    svc.set_spokesperson("sam", False, "alice")
    with pytest.raises(RoleError):
        svc.send_reply(target.id, "hidden-offensive-language", "sam")
    assert svc.replies() == []
    assert not [o for o in svc.detail(target.id).outbox if o.action == "reply"]


def test_the_preview_is_what_is_published_and_a_change_since_is_refused(world: Any) -> None:
    svc = world
    svc.set_spokesperson("sam", True, "alice")
    target = _hidden(svc, "potholes")
    seen = svc.preview_reply(target.id, "hidden-offensive-language", "sam")
    assert seen.text.startswith("Hi Angry Person, we have hidden your comment because of offensive language")
    assert "clause 1 of our moderation policy: Offensive and obscene language" in seen.text
    with pytest.raises(ConflictError, match="changed since the preview"):
        svc.send_reply(target.id, "hidden-offensive-language", "sam", expected_sha256="0" * 64)
    sent = svc.send_reply(
        target.id, "hidden-offensive-language", "sam", expected_sha256=seen.text_sha256, expected_version=seen.version
    )
    assert sent.text == seen.text and sent.status == "pending"
    with pytest.raises(DomainError, match="already has a reply"):
        svc.send_reply(target.id, "hidden-offensive-language", "sam")
    queued = ledger_payloads(svc, "reply_queued")
    assert len(queued) == 1
    assert queued[0]["template"] == "hidden-offensive-language" and queued[0]["clause"] == "1"
    assert queued[0]["message"] == seen.text
    assert svc.ledger_verify().ok


@pytest.mark.parametrize(
    ("words", "fault"),
    [
        ("potholes", r"POST /v\d+\.\d+/\d+_\d+/comments"),
        ("garbage, morons", r"POST /v\d+\.\d+/\d+/replies"),
        ("you are all clowns", r"POST /2/tweets$"),
    ],
    ids=["facebook", "instagram", "x"],
)
def test_a_reply_reaches_the_platform_once_even_when_the_first_answer_never_came(
    world: Any, platform: Any, clock: Any, words: str, fault: str
) -> None:
    svc = world
    fp, _ = platform
    svc.set_spokesperson("sam", True, "alice")
    target = _hidden(svc, words)
    sent = svc.send_reply(target.id, "hidden-offensive-language", "sam")
    fp.inject(fault, "slow", times=1)
    first = svc.apply_outbox(connector_for=_impatient)
    assert first.retried >= 1, first
    assert fp.reply_calls[target.external_id] == 1  # it did reach the platform; we were not told
    clock.advance(minutes=5)
    second = svc.apply_outbox(connector_for=_impatient)
    assert second.confirmed >= 1, second
    svc.apply_outbox(connector_for=_impatient)
    assert fp.reply_calls[target.external_id] == 1
    assert fp.replies_to(
        fp.latest_tweet_id(target.external_id) if words.startswith("you are") else target.external_id
    ) == [sent.text]
    [done] = svc.replies(target.id)
    assert done.status == "confirmed" and done.platform_id
    confirmed = ledger_payloads(svc, "platform_reply")
    assert [(p["reply"], p["already"], p["external_id"]) for p in confirmed] == [(sent.id, True, done.platform_id)]
    # The department's own reply is not polled back as a comment to moderate.
    before = len(svc.queue(ALL_STATES, limit=1000))
    for a in svc.accounts():
        svc.poll_account(a.id)
    assert len(svc.queue(ALL_STATES, limit=1000)) == before
    assert svc.ledger_verify().ok


def test_a_reply_that_failed_before_reaching_the_platform_is_sent_once_on_retry(
    world: Any, platform: Any, clock: Any
) -> None:
    svc = world
    fp, _ = platform
    svc.set_spokesperson("sam", True, "alice")
    target = _hidden(svc, "potholes")
    svc.send_reply(target.id, "hidden-offensive-language", "sam")
    fp.inject(r"POST /v\d+\.\d+/\d+_\d+/comments", "5xx", times=1)
    assert svc.apply_outbox(connector_for=_impatient).retried == 1
    assert fp.reply_calls[target.external_id] == 0
    clock.advance(minutes=5)
    assert svc.apply_outbox(connector_for=_impatient).confirmed == 1
    assert fp.reply_calls[target.external_id] == 1
    assert [p["already"] for p in ledger_payloads(svc, "platform_reply")] == [False]


def test_a_refused_reply_alerts_a_person_and_leaves_the_comment_as_it_is(world: Any, platform: Any) -> None:
    svc = world
    fp, _ = platform
    svc.set_spokesperson("sam", True, "alice")
    target = _hidden(svc, "potholes")
    svc.apply_outbox(connector_for=_impatient)  # the hide goes first
    svc.send_reply(target.id, "hidden-offensive-language", "sam")
    fp.inject(r"POST /v\d+\.\d+/\d+_\d+/comments", "forbidden", times=1)
    assert svc.apply_outbox(connector_for=_impatient).failed == 1
    after = svc.detail(target.id)
    assert after.item.state == "hidden" and after.platform_hidden is True
    assert any("could not reply under comment" in a.message for a in svc.alerts())
    assert [r.status for r in svc.replies(target.id)] == ["failed"]
    # The comment may be replied to again once the failed one is known not to have gone.
    svc.send_reply(target.id, "hidden-offensive-language", "sam")
    assert svc.apply_outbox(connector_for=_impatient).confirmed == 1
    assert fp.reply_calls[target.external_id] == 1


def test_a_reply_naming_a_protected_person_is_refused_and_the_order_template_names_no_one(world: Any) -> None:
    svc = world
    svc.set_spokesperson("sam", True, "alice")
    target = _hidden(svc, "potholes")  # by "Angry Person"
    other = _hidden(svc, "garbage, morons", clause="7")  # by "grump"
    svc.add_order("DPP v P", "County Court", ["Angry Person"], svc.now(), actor="alice", sweep=False)
    with pytest.raises(DomainError, match="would name a person protected by a suppression order"):
        svc.send_reply(target.id, "hidden-offensive-language", "sam")
    sent = svc.send_reply(other.id, "hidden-suppression-order", "sam")
    assert "grump" not in sent.text and "court order" in sent.text
    assert [r.id for r in svc.replies()] == [sent.id]


# ---------------------------------------------------------------- the command line against the fake platform
def test_cli_refuses_the_unauthorised_asks_first_and_the_reply_reaches_the_platform_once(  # type: ignore[no-untyped-def]
    cli,  # noqa: F811
    fake,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fp, _, _ = fake
    runner = CliRunner()
    cli("poll")
    cli("moderators", "add", "bob", "--role", "moderator")
    cli("moderators", "add", "sam", "--role", "moderator")
    items = {i["preview"]: i for i in queue_json(cli)["items"]}
    target = next(i for p, i in items.items() if "potholes" in p)
    kind = next(i for p, i in items.items() if "heads up" in p)
    if target["state"] != "hidden":
        cli("decide", str(target["id"]), "hide", "--clause", "1", "--note", "abuse")
    cli("decide", str(kind["id"]), "approve")
    ref = str(target["id"])

    refused = cli("reply", ref, "hidden-offensive-language", "--yes", code=3)
    assert "not authorised to reply" in " ".join(refused.split())
    monkeypatch.setattr("getpass.getuser", lambda: "bob")
    refused = cli("spokespeople", "add", "sam", code=3)
    assert "not allowed to authorise replies" in " ".join(refused.split())
    monkeypatch.setattr("getpass.getuser", lambda: "alice")
    cli("spokespeople", "add", "sam", "--reason", "comms lead")
    assert "sam" in cli("spokespeople", "list")
    people = {m["name"]: m for m in json.loads(cli("moderators", "list", "--json"))}
    assert people["sam"]["spokesperson"] is True and people["bob"]["spokesperson"] is False

    monkeypatch.setattr("getpass.getuser", lambda: "sam")
    unknown = cli("reply", ref, "thanks", "--yes", code=2)
    assert "unknown reply template 'thanks'" in " ".join(unknown.split())
    other = cli("reply", str(kind["id"]), "hidden-offensive-language", "--yes", code=3)
    assert "only under a hidden or queued comment" in " ".join(other.split())
    shown = cli("reply", ref, "hidden-offensive-language", "--preview")
    assert "Hi Angry Person, we have hidden your comment" in " ".join(shown.split())
    declined = runner.invoke(app, ["reply", ref, "hidden-offensive-language"], input="n\n")
    assert declined.exit_code == 1 and "not sent" in declined.output
    no_answer = runner.invoke(app, ["reply", ref, "hidden-offensive-language"], input="")
    assert no_answer.exit_code == 1
    assert json.loads(cli("replies", "list", "--json")) == []

    agreed = runner.invoke(app, ["reply", ref, "hidden-offensive-language"], input="y\n")
    assert agreed.exit_code == 0, agreed.output
    assert "queued" in agreed.output
    again = cli("reply", ref, "hidden-offensive-language", "--yes", code=3)
    assert "already has a reply" in " ".join(again.split())
    cli("apply")
    cli("apply")
    assert fp.reply_calls[target["external_id"]] == 1
    assert len(fp.replies_to(target["external_id"])) == 1
    [listed] = json.loads(cli("replies", "list", "--json", "--comment", ref))
    assert listed["status"] == "confirmed" and listed["created_by"] == "sam" and listed["clause"] == "1"
    assert "ledger ok" in cli("ledger", "verify")
    public = runner.invoke(app, ["ledger", "export", "--form", "public", "--from", "2000-01-01", "--to", "2100-01-01"])
    events = [json.loads(line) for line in public.output.splitlines() if line.startswith("{")]
    queued = [e for e in events if e["kind"] == "reply_queued"]
    assert len(queued) == 1 and queued[0]["payload"]["template"] == "hidden-offensive-language"
    assert queued[0]["payload"]["clause"] == "1" and "sam" not in json.dumps(queued[0])
