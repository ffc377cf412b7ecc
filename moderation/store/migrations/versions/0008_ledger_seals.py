"""ledger: sensitive values sealed in the chain and kept beside it (ledger_field), so they can be redacted

Existing events are sealed the same way and the chain is rebuilt over the sealed content (a chain over plain
names could never lose one without failing verification). The unsalted digest of protected names that
order events used to carry is dropped. A final ``ledger_resealed`` event records how many events were
rebuilt and (sealed) the old chain's head.

Revision ID: 0008
Revises: 0007
"""
import json
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade() -> None:
    op.create_table(
        'ledger_field',
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('field', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('value', sa.Text(), nullable=True),
        sa.Column('salt', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('withheld', sa.Boolean(), nullable=False),
        sa.Column('redacted_by', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('seq', 'field'),
    )
    _reseal(op.get_bind())


def _reseal(conn: sa.Connection) -> None:
    from moderation.store.ledger import chain, seal

    head = conn.execute(sa.text("SELECT seq, hash FROM ledger_head WHERE id = 1")).first()
    if head is None or int(head[0]) == 0:
        return
    old_seq, old_hash = int(head[0]), str(head[1])
    key = chain.connection_key(conn)
    prev = chain.GENESIS
    last = 0
    count = 0
    old_prev = chain.GENESIS
    first_bad: int | None = None
    while True:
        rows = conn.execute(
            sa.text(
                "SELECT seq, at, kind, comment_id, actor, payload, prev_hash, hash FROM ledger_event WHERE seq > :last "
                "ORDER BY seq LIMIT :n"
            ),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            break
        events: list[dict[str, object]] = []
        fields: list[dict[str, object]] = []
        for seq, at, kind, comment_id, actor, payload, old_prev_hash, old_event_hash in rows:
            # The old chain is checked as it is rebuilt, and the result recorded: a rebuild must not hide tampering.
            expect = chain.chain_hash(old_prev, chain.canonical(seq, at, kind, comment_id, actor, payload))
            if first_bad is None and (seq != last + 1 or old_prev_hash != old_prev or expect != old_event_hash):
                first_bad = seq
            old_prev = old_event_hash
            body = json.loads(payload)
            if not isinstance(body, dict):
                body = {"value": body}
            body.pop("terms_sha256", None)  # an unsalted digest of protected names confirms a guess
            if seal.ACTOR in body:
                body["actor_named"] = body.pop(seal.ACTOR)
            sealed = seal.seal(kind, actor, body, key)
            text = seal.dumps(sealed.payload)
            digest = chain.chain_hash(prev, chain.canonical(seq, at, kind, comment_id, sealed.actor, text))
            events.append({"s": seq, "a": sealed.actor, "p": text, "ph": prev, "h": digest})
            fields.extend(
                {"seq": seq, "field": f.field, "kind": f.kind, "value": f.value, "salt": f.salt, "withheld": False}
                for f in sealed.fields
            )
            prev = digest
            last = seq
            count += 1
        conn.execute(
            sa.text("UPDATE ledger_event SET actor = :a, payload = :p, prev_hash = :ph, hash = :h WHERE seq = :s"),
            events,
        )
        if fields:
            conn.execute(
                sa.text(
                    "INSERT INTO ledger_field (seq, field, kind, value, salt, withheld) "
                    "VALUES (:seq, :field, :kind, :value, :salt, :withheld)"
                ),
                fields,
            )
    # The record of this upgrade, appended in this revision's own table form (later revisions change it).
    sealed = seal.seal(
        "ledger_resealed",
        "system:migration",
        {
            "events": count,
            "legacy_head_seq": old_seq,
            "legacy_head_hash": old_hash,
            "legacy_verified": first_bad is None and last == old_seq and old_prev == old_hash,
            "legacy_first_bad": first_bad,
        },
        key,
    )
    seq, at, body = last + 1, datetime.now(UTC).isoformat(timespec="microseconds"), seal.dumps(sealed.payload)
    digest = chain.chain_hash(prev, chain.canonical(seq, at, "ledger_resealed", None, sealed.actor, body))
    conn.execute(
        sa.text(
            "INSERT INTO ledger_event (seq, at, kind, comment_id, actor, payload, prev_hash, hash) "
            "VALUES (:s, :at, 'ledger_resealed', NULL, :a, :p, :ph, :h)"
        ),
        {"s": seq, "at": at, "a": sealed.actor, "p": body, "ph": prev, "h": digest},
    )
    for f in sealed.fields:
        conn.execute(
            sa.text(
                "INSERT INTO ledger_field (seq, field, kind, value, salt, withheld) "
                "VALUES (:seq, :field, :kind, :value, :salt, false)"
            ),
            {"seq": seq, "field": f.field, "kind": f.kind, "value": f.value, "salt": f.salt},
        )
    conn.execute(sa.text("UPDATE ledger_head SET seq = :s, hash = :h WHERE id = 1"), {"s": seq, "h": digest})


def downgrade() -> None:
    raise NotImplementedError(
        "the sealed ledger cannot be turned back into the old form without losing its kept values; "
        "restore a backup taken before the upgrade instead"
    )
