"""Personal information detectors, with checksum validation for Medicare numbers and TFNs."""

from __future__ import annotations

import pytest

from moderation.domain import Action, Route
from moderation.rules import Policy
from moderation.rules.detectors.pii import medicare_valid, tfn_valid


@pytest.mark.parametrize("number", ["2123 45670 1", "2123456701", "2123 45670 1 2", "5950 01231 1"])
def test_valid_medicare(number: str) -> None:
    assert medicare_valid(number)


@pytest.mark.parametrize("number", ["2123 45671 1", "1123456701", "7123456701", "212345670", "2123456701234"])
def test_invalid_medicare(number: str) -> None:
    assert not medicare_valid(number)


@pytest.mark.parametrize("number", ["123456782", "123 456 782", "876 543 210"])
def test_valid_tfn(number: str) -> None:
    assert tfn_valid(number)


@pytest.mark.parametrize("number", ["123456789", "123 456 781", "12345678", "1234567890"])
def test_invalid_tfn(number: str) -> None:
    assert not tfn_valid(number)


def _rules(policy: Policy, text: str) -> set[str]:
    return {f.rule_id for f in policy.check(text).findings}


def test_medicare_hides_and_goes_to_privacy(policy: Policy) -> None:
    v = policy.check("My medicare is 2123 45670 1, please call")
    assert v.action is Action.ESCALATE and v.route is Route.PRIVACY and v.hide_now
    assert "privacy.medicare" in _rules(policy, "2123456701")
    assert "privacy.medicare" not in _rules(policy, "2123456711")


def test_tfn_needs_valid_checksum(policy: Policy) -> None:
    assert "privacy.tfn" in _rules(policy, "my tfn is 123 456 782")
    assert "privacy.tfn" not in _rules(policy, "my tfn is 123 456 789")


@pytest.mark.parametrize(
    ("number", "url", "rule"),
    [
        ("123-456-782", "http://shop.example.com/items/123-456-782-brass", "privacy.tfn"),
        ("2123456701", "https://example.org/c/2123456701?ref=1", "privacy.medicare"),
        ("123456789a", "www.example.net/123456789a/form", "privacy.centrelink_crn"),
    ],
)
def test_numbers_inside_a_web_address_are_not_personal_details(
    policy: Policy, number: str, url: str, rule: str
) -> None:
    assert rule in _rules(policy, f"my number is {number}")
    assert rule not in _rules(policy, f"see {url} for details")
    # The same number written beside the address, not inside it, is still found.
    assert rule in _rules(policy, f"see {url} and my number is {number}")


@pytest.mark.parametrize(
    "text", ["ring me on 0491 570 156", "(03) 5550 1234 is the house", "+61 491 570 110", "0491570156"]
)
def test_phone_numbers(policy: Policy, text: str) -> None:
    assert "privacy.phone" in _rules(policy, text)


@pytest.mark.parametrize("text", ["call 1800 123 456", "13 11 14 is Lifeline", "we had 1,234,567 visitors", "in 2026"])
def test_not_phone_numbers(policy: Policy, text: str) -> None:
    assert "privacy.phone" not in _rules(policy, text)


def test_email_and_allowlist(policy: Policy) -> None:
    assert "privacy.email" in _rules(policy, "write to darren.k@example.net today")
    assert "privacy.email" not in _rules(policy, "write to media@dcw.vic.gov.au")


def test_centrelink_and_address(policy: Policy) -> None:
    assert "privacy.centrelink_crn" in _rules(policy, "CRN 123 456 789A")
    assert "privacy.address" in _rules(policy, "she lives at 14 Wattle Street Bellmore")
    assert "privacy.address" in _rules(policy, "unit 3/15 Acacia Cres")
    assert "privacy.address" not in _rules(policy, "we waited 14 hours in the street")


def test_spans_cover_the_number(policy: Policy) -> None:
    text = "Ring Bev on 0491 570 156 after 5"
    f = next(f for f in policy.check(text).findings if f.rule_id == "privacy.phone")
    assert text[f.start : f.end] == "0491 570 156"


@pytest.mark.parametrize(
    "text",
    [
        "indian embassy's helpline in brussels : +32-26409140 +32-26451850 ( pabx ) & +32-476748575 ( mobile )",
        "call the consulate on +61 2123 456 701",
        "+44 2123456701 is the London office",
    ],
)
def test_a_number_after_a_country_code_is_a_phone_number_not_an_identifier(policy: Policy, text: str) -> None:
    # "32-476748575" and "2123 456 701" pass the Medicare check digit; after "+" and a country code they are phones
    rules = {f.rule_id for f in policy.check(text).findings}
    assert not rules & {"privacy.medicare", "privacy.tfn", "privacy.centrelink_crn"}, rules


def test_an_identifier_after_other_words_is_still_read(policy: Policy) -> None:
    assert "privacy.medicare" in {f.rule_id for f in policy.check("my medicare no. 2123 45670 1").findings}
