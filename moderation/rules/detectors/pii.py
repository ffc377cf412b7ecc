"""Personal information: Australian phone numbers, emails, Medicare numbers, Tax File Numbers,
Centrelink customer reference numbers and street addresses.

Number detectors run only when the text holds enough digits (one ``str.translate`` per comment), and
identifiers with a published check digit (Medicare, TFN) are reported only when the check digit is right,
so that order numbers and dates do not pass for personal information.
"""

from __future__ import annotations

import re
from typing import Any

import phonenumbers

from moderation.domain import CommentInput

from ..model import Hit
from ..normalise import Normalised
from . import Context, Detector, looks_like_email, read_list, register
from .spam import find_links

_DIGIT_RUN = re.compile(r"(?<![\d])\d(?:[ \-]?\d){7,11}(?![\d])")
# A run right after "+" and a country code ("+32-476748575", "+61 2123 456 701") is a phone number.
_AFTER_PLUS = re.compile(r"\+\s?(?:\d{1,3}[\s\-.]?)?$")


def _identifiers(text: str, pattern: re.Pattern[str] = _DIGIT_RUN) -> list[re.Match[str]]:
    """The matches of ``pattern`` (by default runs of 8 to 12 digits, spaces or hyphens between allowed, not after
    a "+": "+32-476748575" is an international phone number, never a Medicare or Tax File Number) that
    are not part of a link: digits inside one (a product path, a tracking id) are not anyone's personal details."""
    urls = find_links(text) if "." in text else []
    return [
        m
        for m in pattern.finditer(text)
        if not any(s <= m.start() < e for s, e in urls)
        and not _AFTER_PLUS.search(text, max(0, m.start() - 6), m.start())
    ]


def medicare_valid(number: str) -> bool:
    """True for a 10- or 11-digit Medicare number whose first digit is 2-6 and whose check digit matches.

    The check digit (9th) is the weighted sum of the first eight digits (weights 1,3,7,9,1,3,7,9) modulo 10;
    the 10th is the issue number and an optional 11th the individual reference number.
    """
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) not in (10, 11) or not 2 <= digits[0] <= 6:
        return False
    weights = (1, 3, 7, 9, 1, 3, 7, 9)
    return sum(d * w for d, w in zip(digits[:8], weights, strict=True)) % 10 == digits[8]


def tfn_valid(number: str) -> bool:
    """True for a 9-digit Tax File Number whose weighted sum (1,4,3,7,5,8,6,9,10) is divisible by 11."""
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 9:
        return False
    weights = (1, 4, 3, 7, 5, 8, 6, 9, 10)
    return sum(d * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


@register
class PhoneDetector(Detector):
    """Australian phone numbers (mobile, landline, +61), validated by libphonenumber.

    Toll-free and shared-cost numbers (1800, 1300, 13xx) are services, not personal details, and are skipped.
    """

    name = "phone_au"
    gate = "number"
    # Something shaped like an Australian number: 0 or +61, then eight or nine more digits.
    _shape = re.compile(r"(?:\+\s?61|(?<!\d)0)[\s\-.()]{0,3}[1-9](?:[\s\-.()]{0,2}\d){7,8}")

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:
        if ctx.digits < 9 or self._shape.search(n.text) is None:
            return []
        hits: list[Hit] = []
        text = item.text
        skip = {phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.SHARED_COST}
        try:
            matcher = phonenumbers.PhoneNumberMatcher(text, "AU", leniency=phonenumbers.Leniency.VALID)
            for m in matcher:
                if phonenumbers.number_type(m.number) in skip:
                    continue
                if m.number.country_code != 61:
                    continue
                hits.append(Hit(m.start, m.end, m.raw_string, 0.95, "an Australian phone number"))
        except Exception:  # libphonenumber is defensive, but a comment must never crash the pipeline
            return hits
        return hits


@register
class EmailDetector(Detector):
    """Email addresses, except at allowlisted (government) domains."""

    name = "email"
    gate = "email"
    params_spec = {"allow_domains_file": str}
    _pattern = re.compile(r"(?<![\w.%+-])[\w.%+-]{1,64}@([a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,6}\.[a-z]{2,24})\b")

    def __init__(self, params: dict[str, Any], base: Any) -> None:
        super().__init__(params, base)
        self.allowed: tuple[str, ...] = ()
        if "allow_domains_file" in params:
            self.allowed = tuple(d.lower() for d, _ in read_list(self.read(params["allow_domains_file"])))

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:
        t = n.text
        if not looks_like_email(t):
            return []
        hits = []
        for m in self._pattern.finditer(t):
            domain = m.group(1)
            if any(domain == a or domain.endswith("." + a) for a in self.allowed):
                continue
            s, e = n.span(m.start(), m.end())
            hits.append(Hit(s, e, item.text[s:e], 0.95, "an email address"))
        return hits


@register
class MedicareDetector(Detector):
    """Medicare card numbers (10 digits, or 11 with the individual reference) with a valid check digit."""

    name = "medicare"
    gate = "number"

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:
        if ctx.digits < 10:
            return []
        hits = []
        for m in _identifiers(n.text):
            if medicare_valid(m.group(0)):
                s, e = n.span(m.start(), m.end())
                hits.append(Hit(s, e, item.text[s:e], 0.9, "a Medicare number (check digit valid)"))
        return hits


@register
class TfnDetector(Detector):
    """Tax File Numbers (9 digits) with a valid checksum, written as a TFN or grouped 3-3-3."""

    name = "tfn"
    gate = "number"
    _grouped = re.compile(r"^\d{3}[ \-]\d{3}[ \-]\d{3}$")
    _context = re.compile(r"\btfn\b|tax file")

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:
        if ctx.digits < 9:
            return []
        hits = []
        named = self._context.search(n.text) is not None
        for m in _identifiers(n.text):
            raw = m.group(0)
            if not tfn_valid(raw):
                continue
            if not (named or self._grouped.match(raw)):
                continue
            s, e = n.span(m.start(), m.end())
            hits.append(Hit(s, e, item.text[s:e], 0.9 if named else 0.7, "a Tax File Number (checksum valid)"))
        return hits


@register
class CentrelinkDetector(Detector):
    """Centrelink customer reference numbers: nine digits and a letter (e.g. 123 456 789A)."""

    name = "centrelink_crn"
    gate = "number"
    _pattern = re.compile(r"(?<![\w])\d{3}[ \-]?\d{3}[ \-]?\d{3}[ \-]?[a-z](?![\w])")

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:
        if ctx.digits < 9:
            return []
        hits = []
        for m in _identifiers(n.text, self._pattern):
            s, e = n.span(m.start(), m.end())
            hits.append(Hit(s, e, item.text[s:e], 0.85, "a Centrelink customer reference number"))
        return hits


# Words that do not start or make up a street name ("14 hours in the street").
_NOT_NAMES = (
    r"(?:in|on|at|the|a|an|of|to|and|or|for|from|down|up|across|along|hours|hrs|minutes|mins|days|weeks|months"
    r"|years|people|times|kids|cars|blocks|metres|meters|km|kms|houses|homes)\s"
)
_STREET_TYPES = (
    "street|st|road|rd|avenue|ave|court|ct|crescent|cres|drive|dr|place|pl|lane|ln|parade|pde|boulevard|blvd"
    "|highway|hwy|terrace|tce|close|grove|circuit|cct|square|sq|esplanade|esp"
)


# Courts and other places named like a street that are no one's address ("the 2064 Supreme Court hearing",
# "4 tennis courts").
_NOT_STREETS = re.compile(
    r"\b(?:supreme|high|federal|family|county|district|magistrates'?|local|children's|coroners'?|land|circuit|"
    r"appeals?|food|tennis|basketball|netball|squash|badminton|volleyball)\s{1,3}(?:court|ct)\b\.?$"
)


@register
class AddressDetector(Detector):
    """Street addresses: a number (with optional unit), one to three words, and a street type."""

    name = "street_address"
    gate = "digit"
    # Found by the pipeline's automaton first: a street-type word, or a common abbreviation after a space.
    # Street-type words, and abbreviations between a space and a space or punctuation (the pipeline scans
    # the text with a trailing space, so an abbreviation ending the comment is found too).
    prefilter = (
        "street", "road", "avenue", "crescent", "drive", "place", "lane", "parade", "court", "close", "grove",
        "terrace", "highway", "boulevard", "circuit", "square", "esplanade",
        *(
            f" {abbr}{end}"
            for abbr in (
                "st", "rd", "ave", "cres", "ct", "dr", "pl", "ln", "pde", "tce", "hwy", "blvd", "cct", "sq", "esp",
            )
            for end in (" ", ".", ",", ";", "!", "?", ")")
        ),
    )  # fmt: skip

    def __init__(self, params: dict[str, Any], base: Any) -> None:
        super().__init__(params, base)
        self.prefilter_terms = self.prefilter

    _pattern = re.compile(
        r"(?<![\w/])(?:(?:unit|apt|flat)\s{1,3})?\d{1,5}[a-z]?(?:/\d{1,5}[a-z]?)?,?\s{1,3}"
        r"(?:(?!" + _NOT_NAMES + r")[a-z][a-z'\-]{1,20}\s{1,3}){1,3}(?:" + _STREET_TYPES + r")\b\.?"
    )

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:
        if ctx.digits < 1:
            return []
        hits = []
        for m in self._pattern.finditer(n.text):
            if _NOT_STREETS.search(m.group()) is not None:
                continue
            s, e = n.span(m.start(), m.end())
            hits.append(Hit(s, e, item.text[s:e], 0.8, "a street address"))
        return hits
