"""The values triage works on: a pending comment as read in bulk, the pipeline's input, finding rows, orders."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NamedTuple

from moderation.domain import CommentInput, Finding, SuppressionOrder
from moderation.store.tables import (
    Account,
    Comment,
    FindingRow,
    SuppressionOrderRow,
)

from .base import aware


class PendingRow(NamedTuple):
    """A comment waiting for triage, as one plain query reads it."""

    id: int
    account_id: int
    platform: str
    author_id: str
    author_handle: str
    author_name: str
    text: str
    text_key: str
    text_version: int
    created_at: datetime
    parent_external_id: str | None
    version: int
    intended_hidden: bool
    priority: int


PENDING_COLUMNS = tuple(getattr(Comment, name) for name in PendingRow._fields)


def as_input(row: Comment | PendingRow, account: Account | None, prior_hidden: int, repeats: int) -> CommentInput:
    """What the pipeline reads of a stored comment, with its author's earlier hides and the text's repeats."""
    return CommentInput(
        text=row.text,
        platform=row.platform,
        account=account.external_id if account else "",
        author_id=row.author_id,
        author_handle=row.author_handle,
        author_name=row.author_name,
        is_reply=row.parent_external_id is not None,
        author_prior_hidden=prior_hidden,
        repeat_count=repeats,
    )


def finding_values(
    comment_id: int, text_version: int, finding: Finding, policy_version: str, now: datetime
) -> dict[str, Any]:
    """The stored form of one finding, as a row for a bulk insert."""
    return {
        "comment_id": comment_id,
        "text_version": text_version,
        "rule_id": finding.rule_id,
        "rule_hash": finding.rule_hash,
        "policy_version": policy_version,
        "clause": finding.clause,
        "severity": finding.severity.value,
        "action": finding.action.value,
        "mode": finding.mode.value,
        "start": finding.start,
        "end": finding.end,
        "match": finding.match,
        "confidence": finding.confidence,
        "explanation": finding.explanation,
        "created_at": now,
    }


def finding_row(comment: Comment, finding: Finding, policy_version: str, now: datetime) -> FindingRow:
    """The stored form of one finding on the comment's current text."""
    return FindingRow(
        comment_id=comment.id or 0,
        text_version=comment.text_version,
        rule_id=finding.rule_id,
        rule_hash=finding.rule_hash,
        policy_version=policy_version,
        clause=finding.clause,
        severity=finding.severity.value,
        action=finding.action.value,
        mode=finding.mode.value,
        start=finding.start,
        end=finding.end,
        match=finding.match,
        confidence=finding.confidence,
        explanation=finding.explanation,
        created_at=now,
    )


def order_value(row: SuppressionOrderRow) -> SuppressionOrder:
    return SuppressionOrder(
        id=row.id or 0,
        case=row.case,
        court=row.court,
        terms=tuple(json.loads(row.terms)),
        starts=aware(row.starts),  # type: ignore[arg-type]
        until=aware(row.until),
        revoked=row.revoked_at is not None,
    )
