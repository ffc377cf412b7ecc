"""Clause 12 (policy 2026.12.1): a link is reviewed for a sign of a scam, never for pointing at an ordinary site."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.domain import CommentInput
from moderation.rules import load_policy

POLICY = load_policy()


def link_findings(text: str) -> list[str]:
    v = POLICY.evaluate(CommentInput(text=text))
    return [f.explanation for f in v.findings if f.rule_id in ("links.risky", "links.impersonation")]


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("the truth is here https://bit.ly/3xYz", "shortened"),
        ("WATCH tinyurl.com/abc123 before they delete it", "shortened"),
        ("claim your payment at http://203.0.113.9/claim", "bare internet address"),
        ("log in at https://www.xn--mygv-2ra.com to check", "look-alike letters"),
        ("your refund is waiting at centrelink-payments.net", "government service"),
        ("update details: https://mygov.verify-account.com/login", "government service"),
        ("cheapest meds at www.cheap-pills.biz", "scam words"),
        ("the app is at https://files.example.net/dcw-update.apk", "program or archive"),
        ("pay at https://раypal.com/x", "look-alike letters"),  # Cyrillic "р" and "а"
        ("log in: http://dcw.vic.gov.au@203.0.113.9/x", "before the @"),
        ("http://[2001:db8::1]/claim", "bare internet address"),
    ],
)
def test_a_sign_of_a_scam_is_queued_with_the_sign_named(text: str, sign: str) -> None:
    found = link_findings(text)
    assert found and sign in found[0]
    assert POLICY.evaluate(CommentInput(text=text)).hide_now is False


@pytest.mark.parametrize(
    ("text", "rule", "priority"),
    [
        ("log in at mygov-verify.com/login to get paid", "links.impersonation", 80),
        ("pay at https://раypal.com/x", "links.impersonation", 80),
        ("see https://bit.ly/3xYz", "links.risky", 35),
        ("get it at files.example.net/setup.exe", "links.risky", 35),
    ],
)
def test_a_link_passing_itself_off_as_government_comes_first(text: str, rule: str, priority: int) -> None:
    v = POLICY.evaluate(CommentInput(text=text))
    assert [(f.rule_id, f.priority) for f in v.findings if f.rule_id.startswith("links.")] == [(rule, priority)]
    assert v.priority >= priority and not v.hide_now


@pytest.mark.parametrize(
    "text",
    [
        "Read the report https://www.theage.com.au/national/victoria/story-2026",
        "Fox said so: https://www.foxnews.com/politics/article",
        "my write-up is at myblog.net/posts/housing",
        "https://www.india.gov.in/ has the scheme",
        "see https://www.dcw.vic.gov.au/help or health.gov.au",
        "recipes at tomato.com and bethany.org",
        "the PDF is at https://www.vic.gov.au/budget.pdf",
        "govtrack.us lists the bill",
        "the council site example.com:8080/notices has it",
        "email jo@example.com about it",
    ],
)
def test_an_ordinary_link_is_not_a_finding(text: str) -> None:
    assert link_findings(text) == []


WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=12)


@settings(max_examples=300, deadline=None)
@given(WORDS, st.sampled_from(["com", "net", "org", "com.au", "co.uk"]), WORDS)
def test_a_site_named_with_ordinary_words_is_never_flagged_for_its_name(name: str, ending: str, page: str) -> None:
    words = POLICY.by_id["links.risky"]
    detector = POLICY.compiled[POLICY.rules.index(words)]
    if name in detector.lookalike or name in detector.scam_words or f"{name}.{ending}" in detector.shorteners:
        return
    assert link_findings(f"more at https://{name}.{ending}/{page}") == []


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["bit.ly", "tinyurl.com", "ow.ly", "kek.gg"]), WORDS, st.booleans())
def test_every_shortened_link_is_flagged_whatever_follows(host: str, path: str, scheme: bool) -> None:
    prefix = "https://" if scheme else ""
    assert link_findings(f"look {prefix}{host}/{path} now")


LINK_PIECES = st.sampled_from(
    ["http://", "https://", "www.", ".com", ".au", "bit.ly", "/x", "@", "[", "]", ":", "::1", "8080", "?", "#",
     ".exe", "xn--", "mygov", "-", ".", " ", "р", "а", "é", "gov", "203.0.113.9", "\n"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(LINK_PIECES, max_size=12).map("".join))
def test_any_text_gets_spans_inside_it_and_a_named_sign(text: str) -> None:
    v = POLICY.evaluate(CommentInput(text=text))
    for f in v.findings:
        if f.rule_id.startswith("links."):
            assert 0 <= f.start < f.end <= len(text) and text[f.start : f.end] == f.match
            assert "link to " in f.explanation
