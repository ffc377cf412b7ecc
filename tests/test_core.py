"""The engine core on a real database: ingest, triage, decisions, roles, undo, the ledger, the outbox."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path

import pytest
from records import line
from sqlalchemy import text

from moderation.domain import ConflictError, DomainError, RoleError, TransitionError

CORPUS = Path(__file__).resolve().parents[1] / "moderation" / "demo" / "corpus.jsonl"


def ingest(svc, *lines: str, triage: bool = True):  # type: ignore[no-untyped-def]
    report = svc.ingest_stream(io.StringIO("\n".join(lines) + "\n"))
    if triage:
        svc.triage_pending()
    return report


def one(svc, external_id: str):  # type: ignore[no-untyped-def]
    return svc.detail(svc.find_comment(external_id))


# ------------------------------------------------------------------ ingest
def test_ingest_twice_changes_nothing_but_last_seen(svc) -> None:  # type: ignore[no-untyped-def]
    first = svc.ingest_file(CORPUS)
    assert first.added >= 300 and not first.errors
    before = svc.counts()
    with svc.tx() as s:
        events_before = s.execute(text("select count(*) from ledger_event")).scalar()
    second = svc.ingest_file(CORPUS)
    assert second.added == 0 and second.updated == 0 and second.unchanged == first.added
    assert svc.counts() == before
    with svc.tx() as s:
        assert s.execute(text("select count(*) from ledger_event")).scalar() == events_before


def test_malformed_lines_are_reported_with_their_number_and_the_rest_kept(svc) -> None:  # type: ignore[no-untyped-def]
    stream = "\n".join(
        [
            line("c1", "Thanks for the update"),
            "{not json",
            json.dumps({"platform": "myspace", "id": "x"}),
            line("c2", "When does it reopen?", created_at="yesterday"),
            line("c3", "Good news for Bellmore"),
        ]
    )
    report = svc.ingest_stream(io.StringIO(stream))
    assert report.added == 2
    assert [e.split(":")[0] for e in report.errors] == ["line 2", "line 3", "line 4"]
    assert "created_at" in report.errors[2]


def test_an_edit_keeps_every_earlier_text(svc) -> None:  # type: ignore[no-untyped-def]
    ingest(svc, line("c1", "When does the road reopen?"))
    ingest(svc, line("c1", "When does the road reopen? Asking for my street."))
    d = one(svc, "c1")
    assert [v["text"] for v in d.versions] == [
        "When does the road reopen?",
        "When does the road reopen? Asking for my street.",
    ]
    assert d.text.endswith("my street.")
    assert any(e.kind == "comment_edited" for e in d.ledger)


def test_hostile_text_is_kept_verbatim(svc) -> None:  # type: ignore[no-untyped-def]
    hostile = "[bold red]FAKE[/] \x1b[2J\u202eevil\u200b end"
    ingest(svc, line("c9", hostile))
    assert one(svc, "c9").text == hostile


# ------------------------------------------------------------------ decisions
def test_people_decide_with_clause_and_the_outbox_gets_one_row(svc) -> None:  # type: ignore[no-untyped-def]
    ingest(svc, line("c1", "The minister is useless and this closure is a joke"))
    cid = svc.find_comment("c1")
    assert svc.detail(cid).item.state == "queued"  # lawful criticism waits for a person, never auto-hidden
    clause = sorted(svc.policy.clauses)[0]
    svc.decide(cid, "hide", "alice", clause=clause, note="checked")
    d = svc.detail(cid)
    assert d.item.state == "hidden" and d.intended_hidden
    assert [o.action for o in d.outbox] == ["hide"]
    assert d.decisions[-1].actor == "alice" and d.decisions[-1].clauses == [clause]
    assert d.decisions[-1].policy_version == svc.policy.version
    assert d.ledger[-1].kind == "decided"


def test_hide_without_a_clause_is_refused(svc) -> None:  # type: ignore[no-untyped-def]
    ingest(svc, line("c1", "When does the road reopen?"))
    cid = svc.find_comment("c1")
    with pytest.raises(DomainError, match="clause"):
        svc.decide(cid, "hide", "alice")
    assert svc.detail(cid).item.state == "queued"


def test_committee_is_read_only_and_nothing_is_half_written(svc) -> None:  # type: ignore[no-untyped-def]
    svc.add_moderator("carol", "committee", "alice")
    ingest(svc, line("c1", "When does the road reopen?"))
    cid = svc.find_comment("c1")
    with svc.tx() as s:
        events = s.execute(text("select count(*) from ledger_event")).scalar()
    with pytest.raises(RoleError, match="read-only"):
        svc.decide(cid, "approve", "carol")
    with svc.tx() as s:
        assert s.execute(text("select count(*) from ledger_event")).scalar() == events
        assert s.execute(text("select count(*) from decision where actor = 'carol'")).scalar() == 0
    assert svc.detail(cid).item.state == "queued"


def test_unknown_person_cannot_act(svc) -> None:  # type: ignore[no-untyped-def]
    ingest(svc, line("c1", "When does the road reopen?"))
    with pytest.raises(RoleError, match="not a moderator"):
        svc.decide(svc.find_comment("c1"), "approve", "mallory")


def test_disallowed_transition_is_refused_with_a_clear_message(svc) -> None:  # type: ignore[no-untyped-def]
    ingest(svc, line("c1", "When does the road reopen?"))
    cid = svc.find_comment("c1")
    svc.decide(cid, "approve", "alice")
    with pytest.raises(TransitionError, match="cannot hide a comment that is approved"):
        svc.decide(cid, "hide", "alice", clause=sorted(svc.policy.clauses)[0])


def test_two_decisions_on_one_item_cannot_both_land(svc) -> None:  # type: ignore[no-untyped-def]
    svc.add_moderator("bob", "moderator", "alice")
    ingest(svc, line("c1", "When does the road reopen?"))
    cid = svc.find_comment("c1")
    seen = svc.detail(cid).item.version  # both moderators loaded the same version
    svc.decide(cid, "approve", "alice", expected_version=seen)
    with pytest.raises((ConflictError, TransitionError)):
        svc.decide(cid, "escalate", "bob", route="media", expected_version=seen)
    d = svc.detail(cid)
    assert d.item.state == "approved"
    assert [x.actor for x in d.decisions if not x.actor.startswith("auto:")] == ["alice"]


def test_a_claim_holds_the_item_for_others(svc, clock) -> None:  # type: ignore[no-untyped-def]
    svc.add_moderator("bob", "moderator", "alice")
    ingest(svc, line("c1", "When does the road reopen?"))
    cid = svc.find_comment("c1")
    svc.claim(cid, "alice")
    with pytest.raises(ConflictError, match="alice"):
        svc.decide(cid, "approve", "bob")
    clock.advance(minutes=6)
    svc.decide(cid, "approve", "bob")


def test_escalate_then_legal_resolves(svc) -> None:  # type: ignore[no-untyped-def]
    svc.add_moderator("lee", "legal", "alice")
    svc.add_moderator("bob", "moderator", "alice")
    ingest(svc, line("c1", "When does the road reopen?"))
    cid = svc.find_comment("c1")
    svc.decide(cid, "escalate", "bob", route="legal", note="names a council officer")
    assert svc.escalations(route="legal")[0].comment_id == cid
    with pytest.raises(RoleError):
        svc.decide(cid, "hide", "bob", clause=sorted(svc.policy.clauses)[0])
    svc.decide(cid, "approve", "lee", note="no allegation after all")
    d = svc.detail(cid)
    assert d.item.state == "approved"
    assert d.escalations[0].status == "resolved" and d.escalations[0].resolution == "approved"


def test_undo_restores_the_state_and_queues_the_reverse_action(svc) -> None:  # type: ignore[no-untyped-def]
    ingest(svc, line("c1", "When does the road reopen?"))
    cid = svc.find_comment("c1")
    svc.decide(cid, "hide", "alice", clause=sorted(svc.policy.clauses)[0])
    svc.undo(cid, "alice")
    d = svc.detail(cid)
    assert d.item.state == "queued" and not d.intended_hidden
    assert [x.action for x in d.decisions][-2:] == ["hide", "undo"] and d.decisions[-2].undone
    # The hide was never sent, so it is superseded rather than followed by an unhide.
    assert {o.status for o in d.outbox if o.action == "hide"} == {"superseded"}
    with pytest.raises(DomainError):
        svc.undo(cid, "alice")


# ------------------------------------------------------------------ the ledger
def test_ledger_verifies_and_names_an_edited_event(svc) -> None:  # type: ignore[no-untyped-def]
    ingest(svc, line("c1", "When does the road reopen?"), line("c2", "Thanks DCW"))
    svc.decide(svc.find_comment("c1"), "approve", "alice")
    assert svc.ledger_verify().ok
    with svc.tx() as s:
        s.execute(text("update ledger_event set actor = 'someone else' where seq = 3"))
    result = svc.ledger_verify()
    assert not result.ok and result.bad_seq == 3


def test_ledger_detects_a_deleted_event(svc) -> None:  # type: ignore[no-untyped-def]
    ingest(svc, line("c1", "When does the road reopen?"), line("c2", "Thanks DCW"))
    with svc.tx() as s:
        s.execute(text("delete from ledger_event where seq = 2"))
    result = svc.ledger_verify()
    assert not result.ok and result.bad_seq == 2


def test_ledger_detects_reordered_events(svc) -> None:  # type: ignore[no-untyped-def]
    ingest(svc, line("c1", "When does the road reopen?"), line("c2", "Thanks DCW"))
    with svc.tx() as s:
        s.execute(text("update ledger_event set seq = 1000 where seq = 2"))
        s.execute(text("update ledger_event set seq = 2 where seq = 3"))
        s.execute(text("update ledger_event set seq = 3 where seq = 1000"))
    result = svc.ledger_verify()
    assert not result.ok and result.bad_seq == 2


def test_sqlite_file_is_private(tmp_path: Path) -> None:
    from moderation.bootstrap import make_service

    path = tmp_path / "data" / "modq.db"
    make_service(database_url=f"sqlite:///{path}")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_ledger_detects_events_deleted_from_the_end(svc) -> None:  # type: ignore[no-untyped-def]
    ingest(svc, line("c1", "When does the road reopen?"), line("c2", "Thanks DCW"))
    with svc.tx() as s:
        last = s.execute(text("select max(seq) from ledger_event")).scalar()
        s.execute(text("delete from ledger_event where seq = :s"), {"s": last})
    result = svc.ledger_verify()
    assert not result.ok and result.bad_seq == last and "deleted from the end" in result.problem


def test_ledger_detects_an_event_added_past_the_head(svc) -> None:  # type: ignore[no-untyped-def]
    ingest(svc, line("c1", "When does the road reopen?"))
    with svc.tx() as s:
        last = s.execute(text("select max(seq) from ledger_event")).scalar()
        s.execute(
            text(
                "insert into ledger_event (seq, at, kind, comment_id, actor, payload, hash) "
                "select seq + 1, at, kind, comment_id, actor, payload, hash from ledger_event where seq = :s"
            ),
            {"s": last},
        )
    result = svc.ledger_verify()
    assert not result.ok and result.bad_seq == last + 1 and "past the ledger's head" in result.problem


def test_ledger_verify_while_another_writer_appends_is_ok(svc, make_svc, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A records officer may verify while the worker runs: events appended meanwhile are not a tampered chain."""
    from moderation.store.ledger import chain

    ingest(svc, line("c1", "When does the road reopen?"), line("c2", "Thanks DCW"))
    writer = make_svc()
    reading = chain._iter_events
    appended = []

    def and_meanwhile(session, batch):  # type: ignore[no-untyped-def]
        for n, ev in enumerate(reading(session, batch)):
            if n == 1 and not appended:
                ingest(writer, line("c3", "Another comment arrives"))  # its own transaction, committed now
                appended.append(True)
            yield ev

    monkeypatch.setattr(chain, "_iter_events", and_meanwhile)
    assert svc.ledger_verify().ok and appended
    monkeypatch.setattr(chain, "_iter_events", reading)
    assert svc.ledger_verify().ok
