"""A very long comment on a real database: kept whole, evaluated over a bounded window, queued for a person."""

from __future__ import annotations

import io

from records import line

from moderation.rules.pipeline import TOO_LONG_RULE


def test_a_five_megabyte_comment_is_kept_whole_and_queued_for_a_person(svc) -> None:  # type: ignore[no-untyped-def]
    text = "free money now " * 350_000
    svc.ingest_stream(io.StringIO(line("long1", text) + "\n"))
    svc.triage_pending()
    d = svc.detail(svc.find_comment("long1"))
    assert d.text == text
    assert d.item.state == "queued"
    (f,) = [f for f in d.findings if f.rule_id == TOO_LONG_RULE]
    assert "too long: a person decides" in f.explanation
    assert not d.intended_hidden
