"""The report leads with a verdict on automation: sample size, interval, what nobody reviewed, what it missed."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moderation.reports.render import render
from moderation.reports.verdict import judgement, trust_counts, wilson

from .conftest import Dataset, local

NOV = (date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture
def m(dataset: Dataset) -> Any:
    return dataset.svc.stats(*NOV)


@given(st.integers(min_value=1, max_value=5000), st.data())
def test_wilson_interval_holds_the_rate_and_stays_in_bounds(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(min_value=0, max_value=n))
    lo, hi = wilson(k, n)  # type: ignore[misc]
    assert 0.0 <= lo <= k / n <= hi <= 1.0
    if 0 < k < n:
        assert lo < k / n < hi


@given(st.integers(min_value=1, max_value=400))
def test_more_reviews_narrow_the_interval(n: int) -> None:
    small = wilson(0, n)
    large = wilson(0, n * 4)
    assert small and large and large[1] < small[1]


def test_zero_overturned_of_three_is_not_a_clean_bill() -> None:
    lo, hi = wilson(0, 3)  # type: ignore[misc]
    assert lo == 0.0 and hi > 0.5


def test_trust_counts_of_the_month(m: Any) -> None:
    t = trust_counts(m)
    # c2 approved, c4 approved on review: overturned; c3 hidden: confirmed; c5 and c7 (approval undone): nobody.
    assert (t["auto_hides"], t["reviewed"], t["overturned"], t["not_reviewed"]) == (5, 3, 2, 2)
    lo, hi = t["interval"]
    assert lo < 2 / 3 < hi
    assert judgement(m) == "too few reviewed to judge"


def test_missed_exposure_and_oldest_waiting(m: Any) -> None:
    # Only c6 was hidden by a person without automation ever hiding it.
    assert m.missed == 1
    # First hides: five auto-hides 1-2 s after posting, and c6 hidden by a person 30 minutes after.
    assert m.exposure.count == 6 and m.exposure.median == 1.0
    assert m.exposure.p90 == pytest.approx(1.0 + 0.5 * (1800 - 2) + 1.0, abs=1.0)
    # The oldest open item is c5 (auto-hidden, never reviewed), posted 4 Nov 12:00; the report is made 2 Dec 10:00.
    expected = (local(12, 2, 10) - local(11, 4, 12)).total_seconds()
    assert m.oldest_waiting_s == expected


def test_html_leads_with_the_verdict_then_trust(m: Any) -> None:
    page = render(m, "html")
    order = [page.index(f'id="{key}"') for key in ("verdict", "headline", "trust", "volume")]
    assert order == sorted(order)
    paragraph = re.search(r'<p class="verdict">(.*?)</p>', page, re.S)
    assert paragraph
    text = paragraph.group(1)
    assert "Automation hid 5 comments" in text and "reviewed 3" in text and "overturned 2" in text
    assert "95% confidence interval" in text and "2 auto-hides were not reviewed" in text
    assert "People hid 1 comments that automation had not hidden" in text


def test_markdown_and_json_carry_the_verdict(m: Any) -> None:
    md = render(m, "md")
    assert md.index("## Verdict") < md.index("## At a glance")
    data = __import__("json").loads(render(m, "json"))
    assert data["missed"] == 1 and data["exposure"]["count"] == 6
