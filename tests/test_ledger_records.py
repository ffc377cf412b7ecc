"""The records ledger survives lawful redaction: sealed values, redaction as an event, the public and internal
forms of an export, screening of free text against suppression orders, and tamper detection."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from records import line
from sqlalchemy import text
from sqlmodel import select

from moderation.domain import DomainError, NotFoundError, RoleError
from moderation.services.ledger import InputError
from moderation.store import ledger
from moderation.store.tables import LedgerEvent, LedgerField

PAST, FUTURE = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
ORDER_FROM = datetime(2026, 11, 1, tzinfo=UTC)


def _people(svc: Any) -> None:
    svc.add_moderator("lee", "legal", "alice")
    svc.add_moderator("bob", "moderator", "alice")
    svc.add_moderator("cam", "committee", "alice")


def _ingest(svc: Any, cid: str, words: str, author: str | None = None) -> int:
    extra: dict[str, Any] = {}
    if author is not None:
        extra["author"] = {"id": "u-" + cid, "handle": "h" + cid, "name": author}
    svc.ingest_stream(io.StringIO(line(cid, words, **extra) + "\n"))
    svc.triage_pending()
    return int(svc.find_comment(cid))


def _events(svc: Any, kind: str) -> list[SimpleNamespace]:
    """The chained rows of one kind, as stored."""
    with svc.read() as s:
        rows = s.exec(select(LedgerEvent).where(LedgerEvent.kind == kind).order_by(LedgerEvent.seq)).all()
        return [SimpleNamespace(seq=r.seq, actor=r.actor, payload=r.payload) for r in rows]


def _public(svc: Any) -> list[dict[str, Any]]:
    return list(svc.ledger_export("public", PAST, FUTURE, "cam"))


def _internal(svc: Any) -> list[dict[str, Any]]:
    return list(svc.ledger_export("internal", PAST, FUTURE, "lee"))


def _everything_stored(svc: Any) -> str:
    """Every ledger table as text: what someone with the database file could read."""
    with svc.read() as s:
        rows = [*s.execute(text("select * from ledger_event")).all(), *s.execute(text("select * from ledger_field"))]
    return json.dumps([list(map(str, r)) for r in rows])


# ------------------------------------------------------------------ redaction
def test_a_redacted_ledger_verifies_and_says_what_was_redacted(svc: Any) -> None:
    _people(svc)
    cid = _ingest(svc, "r1", "The bins were not collected on Tuesday again", author="Harriet Quill")
    svc.decide(cid, "hide", "bob", clause="4", note="caller Harriet Quill rang twice about this")
    [decided] = _events(svc, "decided")
    [received] = _events(svc, "comment_received")
    assert "Harriet" not in decided.payload + received.payload  # the chain holds only seals

    note_by = svc.redact_ledger(decided.seq, "note", "personal information of a caller", "lee")
    name_by = svc.redact_ledger(received.seq, "author_name", "the commenter asked to be forgotten", "alice")

    result = svc.ledger_verify()
    assert result.ok, result.problem
    assert [(r.seq, r.field, r.by) for r in result.redacted] == sorted(
        [(decided.seq, "note", note_by), (received.seq, "author_name", name_by)]
    )
    # The values are gone from the database, not only hidden from exports.
    assert "Harriet" not in _everything_stored(svc)
    internal = {r["seq"]: r for r in _internal(svc)}
    assert internal[decided.seq]["payload"]["note"] is None
    assert internal[decided.seq]["redacted"] == {"note": {"by_event": note_by}}
    assert internal[decided.seq]["actor"] == "bob"  # what was not redacted is still there for legal
    redaction = internal[note_by]
    assert redaction["kind"] == "field_redacted" and redaction["actor"] == "lee"
    assert redaction["payload"] == {"event": decided.seq, "field": "note", "reason": "personal information of a caller"}
    public = {r["seq"]: r for r in _public(svc)}
    assert public[decided.seq]["payload"]["note"] == f"[redacted by event {note_by}]"
    assert public[note_by]["payload"]["reason"] == "personal information of a caller"
    assert public[note_by]["actor"].startswith("staff-") and public[note_by]["actor"] != "lee"


def test_only_legal_or_an_admin_may_redact_and_bad_requests_change_nothing(svc: Any) -> None:
    _people(svc)
    cid = _ingest(svc, "r2", "Why is the pool closed in summer")
    svc.decide(cid, "approve", "bob", note="fair question")
    [decided] = _events(svc, "decided")
    before = svc.ledger_verify().count
    for person in ("bob", "cam"):
        with pytest.raises(RoleError, match="only legal and admins"):
            svc.redact_ledger(decided.seq, "note", "tidy up", person)
    with pytest.raises(RoleError):
        svc.redact_ledger(decided.seq, "note", "tidy up", "nobody-here")
    with pytest.raises(NotFoundError, match="no ledger event 9999"):
        svc.redact_ledger(9999, "note", "tidy up", "lee")
    with pytest.raises(InputError, match="fields that can be redacted: actor, note"):
        svc.redact_ledger(decided.seq, "clauses", "tidy up", "lee")
    with pytest.raises(InputError, match="needs a reason"):
        svc.redact_ledger(decided.seq, "note", "   ", "lee")
    assert svc.ledger_verify().count == before
    svc.redact_ledger(decided.seq, "note", "tidy up", "lee")
    with pytest.raises(DomainError, match="already redacted"):
        svc.redact_ledger(decided.seq, "note", "again", "lee")
    with pytest.raises(RoleError):
        list(svc.ledger_export("internal", PAST, FUTURE, "bob"))
    with pytest.raises(InputError, match="public or internal"):
        list(svc.ledger_export("everything", PAST, FUTURE, "lee"))


# ------------------------------------------------------------------ tampering
@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("update ledger_field set value = '\"something else\"' where field = 'note'", "no longer matches its seal"),
        ("update ledger_field set value = null, salt = null where field = 'note'", "without a redaction event"),
        ("delete from ledger_field where field = 'note'", "gone without a trace"),
        ("update ledger_event set payload = replace(payload, 'approve', 'hide') where kind = 'decided'", "altered"),
        ("update ledger_event set actor = 'someone' where kind = 'decided'", "altered"),
    ],
)
def test_tampering_with_a_sealed_value_or_the_chain_is_detected(svc: Any, change: str, problem: str) -> None:
    _people(svc)
    cid = _ingest(svc, "t1", "When is the library open on Sunday")
    svc.decide(cid, "approve", "bob", note="a question")
    [decided] = _events(svc, "decided")
    assert svc.ledger_verify().ok
    with svc.tx() as s:
        s.execute(text(change))
    result = svc.ledger_verify()
    assert not result.ok and result.bad_seq == decided.seq and problem in result.problem


def test_a_redaction_undone_by_hand_is_detected(svc: Any) -> None:
    _people(svc)
    cid = _ingest(svc, "t2", "When is the library open on Sunday")
    svc.decide(cid, "approve", "bob", note="a question")
    [decided] = _events(svc, "decided")
    with svc.read() as s:
        kept = s.get(LedgerField, (decided.seq, "note"))
        assert kept is not None
        value, salt = kept.value, kept.salt
    by = svc.redact_ledger(decided.seq, "note", "a reason", "lee")
    with svc.tx() as s:
        s.execute(
            text("update ledger_field set value = :v, salt = :s, redacted_by = null where seq = :q and field = 'note'"),
            {"v": value, "s": salt, "q": decided.seq},
        )
    result = svc.ledger_verify()
    assert not result.ok and result.bad_seq == by and "still kept" in result.problem


# ------------------------------------------------------------------ screening
def test_a_note_naming_a_protected_person_is_withheld_and_the_person_told(svc: Any) -> None:
    _people(svc)
    cid = _ingest(svc, "s1", "Road works on Smith St again")
    svc.add_order("DPP v Mills", "County Court", ["Jordan Mills"], ORDER_FROM, None, actor="lee")
    svc.take_notices()
    svc.decide(cid, "escalate", "bob", route="legal", note="looks like the Jordan Mills matter")
    told = svc.take_notices()
    assert len(told) == 1 and "note names a person protected by a suppression order" in told[0]
    [decided] = _events(svc, "decided")
    internal = {r["seq"]: r for r in _internal(svc)}
    assert internal[decided.seq]["payload"]["note"] == "looks like the Jordan Mills matter"
    assert internal[decided.seq]["withheld"] == ["note"]
    public = _public(svc)
    by_seq = {r["seq"]: r for r in public}
    assert by_seq[decided.seq]["payload"]["note"] == ledger.WITHHELD
    # The case title names the person by surname alone: withheld too.
    [added] = [r for r in public if r["kind"] == "order_added"]
    assert added["payload"]["case"] == ledger.WITHHELD and added["payload"]["court"] == "County Court"
    assert "mills" not in json.dumps(public).casefold()
    assert svc.ledger_verify().withheld == 2


def test_an_older_note_is_held_back_from_a_public_export_once_an_order_names_the_person(svc: Any) -> None:
    _people(svc)
    cid = _ingest(svc, "s2", "Road works on Smith St again")
    svc.decide(cid, "approve", "bob", note="Petra Lind asked about this")
    assert svc.take_notices() == []
    [decided] = _events(svc, "decided")
    assert {r["seq"]: r for r in _public(svc)}[decided.seq]["payload"]["note"] == "Petra Lind asked about this"
    svc.add_order("R v P.L.", "County Court", ["Petra Lind"], ORDER_FROM, None, actor="lee")
    assert {r["seq"]: r for r in _public(svc)}[decided.seq]["payload"]["note"] == ledger.WITHHELD


# ------------------------------------------------------------------ the public form
def test_the_public_form_names_no_commenter_and_no_staff(svc: Any) -> None:
    _people(svc)
    cid = _ingest(svc, "p1", "The council should fix the footpath", author="Winifred Ostrowski")
    svc.decide(cid, "hide", "bob", clause="4", note="bob: Winifred Ostrowski again, lee agrees")
    public = json.dumps(_public(svc))
    for name in ("Winifred", "Ostrowski", '"bob', " bob", "lee ", "alice"):
        assert name not in public, name
    rows = _public(svc)
    [received] = [r for r in rows if r["kind"] == "comment_received"]
    [decided] = [r for r in rows if r["kind"] == "decided"]
    commenter = received["payload"]["author_name"]
    assert commenter.startswith("commenter-")
    # Stable pseudonyms: the note speaks of the same people the events do.
    assert decided["payload"]["note"] == f"{decided['actor']}: {commenter} again, {_alias_of(svc, 'lee')} agrees"
    assert received["payload"]["text_sha256"] == "[sealed]"


def _alias_of(svc: Any, name: str) -> str:
    from moderation.store.ledger import seal

    with svc.read() as s:
        return seal.alias(ledger.alias_key(s), seal.STAFF, name)


def test_no_unsalted_digest_of_protected_names_is_kept(svc: Any) -> None:
    _people(svc)
    svc.add_order("R v Q", "Supreme Court", ["Quentin Hale"], ORDER_FROM, None, actor="lee", sweep=False)
    stored = _everything_stored(svc) + json.dumps(_internal(svc)) + json.dumps(_public(svc))
    assert "Quentin" not in stored
    for candidate in ("Quentin Hale", "quentin hale"):
        assert hashlib.sha256(candidate.encode()).hexdigest() not in stored
    assert ledger_terms(svc) == [1]


def ledger_terms(svc: Any) -> list[int]:
    return [r["payload"]["terms"] for r in _public(svc) if r["kind"] == "order_added"]
