"""A constructed month whose figures are worked out by hand (the expected values live in test_metrics.py).

Comments arrive through the service's own ingest (so the ledger gets ``comment_received``), automation's
decisions are written as triage writes them (decision row, findings, ``triaged`` event) without depending on
the rules pipeline's current verdicts, and people's decisions go through ``svc.decide`` / ``svc.undo`` with the
frozen clock set to each moment. All times below are Melbourne local time (AEDT, UTC+11, in November 2026).

    c1  fb  posted 11-02 10:00  auto:pipeline queue (+1 s), shadow spam.links; bob approves 10:30
    c2  fb  posted 11-02 20:00  auto:offensive.severe auto_hide cl 1 (+2 s); bob approves 11-03 09:30 (overturn)
    c3  ig  posted 11-03 11:00  auto:offensive.severe auto_hide cl 1; bob hides 11:10 (confirmed)
    c4  ig  posted 11-03 23:00  auto:hate.slur auto_hide cl 2; bob escalates (media) 11-04 09:00, approves 12:00
    c5  x   posted 11-04 12:00  auto:hate.slur auto_hide cl 2,3, shadow threat.soft; nobody decides (pending)
    c6  x   posted 11-04 13:00  auto:harass.insult queue cl 4, shadow spam.links x2; bob approves 13:20,
                                undoes 13:25, hides (cl 4) 13:30
    c7  fb  posted 11-05 08:00  auto:offensive.severe auto_hide cl 1; bob approves 09:15, undoes 09:20 (pending)
    c8  fb  posted 10-31 23:00  (before the period) auto queue then; bob approves 11-01 09:00 (in the period)
    c9  ig  posted 11-30 23:30  auto queue 23:30:01; bob approves 12-01 09:00 (after the period)
    c10 x   posted 12-01 00:30  (after the period) auto queue
    c11 fb  posted 11-06 10:00  auto:defamation.allegation escalate cl 6 to legal (due +4 h); never resolved
    c12 ig  posted 11-07 10:00  auto queue; bob escalates (privacy) 10:05, undoes 10:06 (withdrawn)
    c13 fb  posted 11-08 08:55, stored 09:05 (10 min late)  auto:pipeline approve
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

MEL = ZoneInfo("Australia/Melbourne")
ACCOUNTS = {"facebook": "1000000001", "instagram": "17841400000000001", "x": "1500000000000000001"}
ACCOUNT_NAMES = {"facebook": "DCW Victoria", "instagram": "dcw.vic", "x": "@DCWVic"}
STATE_AFTER = {"queue": "queued", "auto_hide": "auto_hidden", "approve": "approved", "escalate": "escalated"}
# Personal details that must never reach a report.
AUTHOR_NAMES = [f"Zebediah Quimbleworth{i}" for i in range(14)]
AUTHOR_HANDLES = [f"zq_secret_handle_{i}" for i in range(14)]
TEXTS = [f"Marmalade-periwinkle complaint number {i} about the Kinsale bridge" for i in range(14)]
MODERATOR = "mildred.pennywhistle"
CASE_NAME = "DPP v Xanthe Protectedperson"


def local(month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=MEL).astimezone(UTC)


@dataclass
class Dataset:
    svc: Any
    clock: Any
    ids: dict[str, int]
    now: datetime  # when the report is made


def _ingest(svc: Any, clock: Any, n: int, platform: str, posted: datetime, stored: datetime | None = None) -> int:
    from moderation.ports import RemoteComment

    clock.value = stored or posted
    svc.ingest_comments(
        [
            RemoteComment(
                platform=platform,
                account=ACCOUNTS[platform],
                id=f"ext-{n}",
                text=TEXTS[n],
                created_at=posted,
                post_id=f"post-{platform}",
                author_id=f"author-{n}",
                author_handle=AUTHOR_HANDLES[n],
                author_name=AUTHOR_NAMES[n],
            )
        ]
    )
    return int(svc.find_comment(f"ext-{n}"))


def _auto(
    svc: Any,
    clock: Any,
    cid: int,
    at: datetime,
    action: str,
    rule: str | None = None,
    clauses: tuple[str, ...] = (),
    route: str | None = None,
    shadow: tuple[tuple[str, str, str], ...] = (),
) -> None:
    """What triage writes for one verdict: the decision, its findings, an escalation if any, a 'triaged' event."""
    from moderation.store.tables import Decision, FindingRow

    clock.value = at
    version = svc.policy.version
    actor = f"auto:{rule}" if rule else "auto:pipeline"
    with svc.tx() as s:
        row = svc.parts.core.comment_row(s, cid)
        to_state = STATE_AFTER[action]
        decision = Decision(
            comment_id=cid,
            actor=actor,
            action=action,
            from_state=row.state,
            to_state=to_state,
            clauses=",".join(clauses),
            rules=svc.dumps([{"id": rule, "hash": "h1"}] if rule else []),
            policy_version=version,
            created_at=at,
        )
        s.add(decision)
        s.flush()
        for clause in clauses:
            s.add(
                FindingRow(
                    comment_id=cid,
                    rule_id=rule or "",
                    rule_hash="h1",
                    policy_version=version,
                    clause=clause,
                    severity="high",
                    action=action,
                    mode="enforce",
                    start=0,
                    end=4,
                    match=TEXTS[0][:4],
                    created_at=at,
                )
            )
        for rule_id, clause, would in shadow:
            s.add(
                FindingRow(
                    comment_id=cid,
                    rule_id=rule_id,
                    rule_hash="s1",
                    policy_version=version,
                    clause=clause,
                    severity="low",
                    action=would,
                    mode="shadow",
                    start=0,
                    end=4,
                    match="x",
                    created_at=at,
                )
            )
        row.state = to_state
        row.clauses = ",".join(clauses)
        row.shadow = bool(shadow)
        row.version += 1
        row.updated_at = at
        if action == "escalate":
            svc.parts.core.open_escalation(
                s, row, decision.id, route or "legal", clauses[0] if clauses else "", "", None
            )
        s.add(row)
        svc.parts.core.record(
            s, "triaged", actor, {"decision": decision.id, "action": action, "to": to_state}, comment_id=cid
        )


def _person(svc: Any, clock: Any, cid: int, at: datetime, action: str, **kwargs: Any) -> None:
    clock.value = at
    if action == "undo":
        svc.undo(cid, MODERATOR)
    else:
        svc.decide(cid, action, MODERATOR, **kwargs)


def build(svc: Any, clock: Any) -> Dataset:
    svc.add_moderator(MODERATOR, "legal", "alice")
    for platform, external_id in ACCOUNTS.items():
        svc.add_account(
            platform, external_id, ACCOUNT_NAMES[platform], "alice", activated_at=datetime(2026, 1, 1, tzinfo=UTC)
        )
    ids: dict[str, int] = {}
    sec = timedelta(seconds=1)

    def comment(n: int, platform: str, posted: datetime, stored: datetime | None = None) -> int:
        ids[f"c{n}"] = _ingest(svc, clock, n, platform, posted, stored)
        return ids[f"c{n}"]

    c = comment(1, "facebook", local(11, 2, 10))
    _auto(svc, clock, c, local(11, 2, 10) + sec, "queue", shadow=(("spam.links", "10", "auto_hide"),))
    _person(svc, clock, c, local(11, 2, 10, 30), "approve")

    c = comment(2, "facebook", local(11, 2, 20))
    _auto(svc, clock, c, local(11, 2, 20) + 2 * sec, "auto_hide", "offensive.severe", ("1",))
    _person(svc, clock, c, local(11, 3, 9, 30), "approve")

    c = comment(3, "instagram", local(11, 3, 11))
    _auto(svc, clock, c, local(11, 3, 11) + sec, "auto_hide", "offensive.severe", ("1",))
    _person(svc, clock, c, local(11, 3, 11, 10), "hide")

    c = comment(4, "instagram", local(11, 3, 23))
    _auto(svc, clock, c, local(11, 3, 23) + sec, "auto_hide", "hate.slur", ("2",))
    _person(svc, clock, c, local(11, 4, 9), "escalate", route="media")
    _person(svc, clock, c, local(11, 4, 12), "approve")

    c = comment(5, "x", local(11, 4, 12))
    _auto(
        svc,
        clock,
        c,
        local(11, 4, 12) + sec,
        "auto_hide",
        "hate.slur",
        ("2", "3"),
        shadow=(("threat.soft", "3", "queue"),),
    )

    c = comment(6, "x", local(11, 4, 13))
    _auto(
        svc,
        clock,
        c,
        local(11, 4, 13) + sec,
        "queue",
        "harass.insult",
        ("4",),
        shadow=(("spam.links", "10", "auto_hide"), ("spam.links", "10", "auto_hide")),
    )
    _person(svc, clock, c, local(11, 4, 13, 20), "approve")
    _person(svc, clock, c, local(11, 4, 13, 25), "undo")
    _person(svc, clock, c, local(11, 4, 13, 30), "hide", clause="4")

    c = comment(7, "facebook", local(11, 5, 8))
    _auto(svc, clock, c, local(11, 5, 8) + sec, "auto_hide", "offensive.severe", ("1",))
    _person(svc, clock, c, local(11, 5, 9, 15), "approve")
    _person(svc, clock, c, local(11, 5, 9, 20), "undo")

    c = comment(8, "facebook", local(10, 31, 23))
    _auto(svc, clock, c, local(10, 31, 23) + sec, "queue")
    _person(svc, clock, c, local(11, 1, 9), "approve")

    c = comment(9, "instagram", local(11, 30, 23, 30))
    _auto(svc, clock, c, local(11, 30, 23, 30) + sec, "queue")
    _person(svc, clock, c, local(12, 1, 9), "approve")

    c = comment(10, "x", local(12, 1, 0, 30))
    _auto(svc, clock, c, local(12, 1, 0, 30) + sec, "queue")

    c = comment(11, "facebook", local(11, 6, 10))
    _auto(svc, clock, c, local(11, 6, 10) + sec, "escalate", "defamation.allegation", ("6",), route="legal")

    c = comment(12, "instagram", local(11, 7, 10))
    _auto(svc, clock, c, local(11, 7, 10) + sec, "queue")
    _person(svc, clock, c, local(11, 7, 10, 5), "escalate", route="privacy")
    _person(svc, clock, c, local(11, 7, 10, 6), "undo")

    c = comment(13, "facebook", local(11, 8, 8, 55), stored=local(11, 8, 9, 5))
    _auto(svc, clock, c, local(11, 8, 9, 5) + sec, "approve")

    now = local(12, 2, 10)
    clock.value = now
    return Dataset(svc, clock, ids, now)


@pytest.fixture
def dataset(svc: Any, clock: Any) -> Dataset:
    return build(svc, clock)
