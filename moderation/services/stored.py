"""What ingest reads and writes in bulk: stored comments of a batch, their earlier texts, last-seen times,
and the posts comments belong to (plain queries on the batch's connection, no ORM objects).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from moderation.ports import RemoteComment
from moderation.store.bulk import insert_dicts, reserve_ids
from moderation.store.tables import Account, Comment, CommentVersion, Post


def stored_comments(conn: Any, records: list[RemoteComment]) -> dict[tuple[str, str], Stored]:
    """The comments of ``records`` already stored: id, current text and version."""
    wanted: dict[str, set[str]] = {}
    for rec in records:
        wanted.setdefault(rec.platform, set()).add(rec.id)
    out: dict[tuple[str, str], Stored] = {}
    for platform, ids in wanted.items():
        listed = sorted(ids)
        for i in range(0, len(listed), 500):
            part = listed[i : i + 500]
            query = select(Comment.id, Comment.external_id, Comment.text, Comment.text_version).where(
                col(Comment.platform) == platform, col(Comment.external_id).in_(part)
            )
            for cid, ext, text, version in conn.execute(query):
                out[(platform, ext)] = Stored(cid, text, version, {text})
    return out


def load_versions(conn: Any, stored: dict[tuple[str, str], Stored], recs: list[RemoteComment]) -> None:
    """Every earlier text of the stored comments that ``recs`` deliver with a text other than the current one."""
    ids = sorted(
        {
            s.id
            for rec in recs
            if (s := stored[(rec.platform, rec.id)]).version > 1 and rec.text not in s.texts and not s.loaded
        }
    )
    by_id = {s.id: s for s in stored.values()}
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        query = select(CommentVersion.comment_id, CommentVersion.text).where(col(CommentVersion.comment_id).in_(part))
        for cid, text in conn.execute(query):
            by_id[cid].texts.add(text)
    for cid in ids:
        by_id[cid].loaded = True


def mark_seen(conn: Any, seen: dict[int, bool | None], now: datetime) -> None:
    plain = [cid for cid, hidden in seen.items() if hidden is None]
    for i in range(0, len(plain), 500):
        conn.execute(update(Comment).where(col(Comment.id).in_(plain[i : i + 500])).values(last_seen_at=now))
    told = [{"b_id": cid, "b_hidden": hidden} for cid, hidden in seen.items() if hidden is not None]
    if told:
        conn.execute(
            update(Comment)
            .where(col(Comment.id) == bindparam("b_id"))
            .values(last_seen_at=now, platform_hidden=bindparam("b_hidden")),
            told,
        )


def posts_for(session: Session, records: list[RemoteComment], accounts: list[Account]) -> dict[tuple[int, str], int]:
    """The post id of every (account, post) the records name: stored ones found, new ones added; a post's
    text is updated when a record brings a different one."""
    conn = session.connection()
    wanted: dict[tuple[int, str], RemoteComment] = {}
    for rec, account in zip(records, accounts, strict=True):
        key = (account.id or 0, rec.post_id)
        if key not in wanted or rec.post_text:
            wanted[key] = rec  # the last record with a text says what the post says now
    out: dict[tuple[int, str], int] = {}
    texts: dict[int, str] = {}
    by_account: dict[int, list[str]] = {}
    for aid, pid in wanted:
        by_account.setdefault(aid, []).append(pid)
    for aid, pids in by_account.items():
        for i in range(0, len(pids), 500):
            part = pids[i : i + 500]
            query = select(Post.id, Post.external_id, Post.text).where(
                col(Post.account_id) == aid, col(Post.external_id).in_(part)
            )
            for post_id, ext, text in conn.execute(query):
                out[(aid, ext)] = post_id
                texts[post_id] = text
    missing = [key for key in wanted if key not in out]
    if missing:
        rows = [
            {
                "account_id": aid,
                "external_id": pid,
                "text": wanted[(aid, pid)].post_text,
                "url": wanted[(aid, pid)].post_url,
                "author_id": None if wanted[(aid, pid)].own_conversation else "other",
            }
            for aid, pid in missing
        ]
        for key, row, post_id in zip(missing, rows, reserve_ids(conn, "post", len(rows)), strict=True):
            row["id"] = out[key] = post_id
        insert_dicts(conn, Post.__table__, rows)  # type: ignore[attr-defined]
    changed = [
        {"b_id": out[key], "b_text": rec.post_text}
        for key, rec in wanted.items()
        if key not in missing and rec.post_text and texts.get(out[key]) != rec.post_text
    ]
    if changed:
        conn.execute(update(Post).where(col(Post.id) == bindparam("b_id")).values(text=bindparam("b_text")), changed)
    return out


@dataclass
class Stored:
    id: int
    text: str
    version: int
    texts: set[str] = field(default_factory=set)  # every text it is known to have had
    loaded: bool = False  # whether ``texts`` holds every stored version


def text_digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
