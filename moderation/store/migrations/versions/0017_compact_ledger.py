"""a compact ledger: each event's hash kept as its 32 bytes, and the previous event's hash no longer stored again

The chain does not change: every hash is the same SHA-256 as before, only stored as bytes instead of 64 hex
characters, and ``prev_hash`` (always the hash of the event before) is read from that event instead. About 185
bytes less per comment on SQLite (two events each). Exports still show both hashes in hex.

Revision ID: 0017
Revises: 0016
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

_KEEP = "seq, at, kind, comment_id, actor, payload"


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        op.execute("ALTER TABLE ledger_event DROP COLUMN prev_hash")
        op.execute("ALTER TABLE ledger_event ALTER COLUMN hash TYPE bytea USING decode(hash, 'hex')")
        return
    # SQLite cannot change a column's type in place: the table is rebuilt, converting each hash with
    # Python's own hex decoding (this SQLite has no unhex()).
    conn.connection.driver_connection.create_function("modq_unhex", 1, bytes.fromhex, deterministic=True)
    _create("ledger_event_new")
    op.execute(f"INSERT INTO ledger_event_new ({_KEEP}, hash) SELECT {_KEEP}, modq_unhex(hash) FROM ledger_event")
    op.drop_index('ix_ledger_event_at_kind', table_name='ledger_event')
    op.drop_index('ix_ledger_event_comment_id', table_name='ledger_event')
    op.drop_table('ledger_event')
    op.rename_table('ledger_event_new', 'ledger_event')
    op.create_index('ix_ledger_event_at_kind', 'ledger_event', ['at', 'kind'], unique=False)
    op.create_index('ix_ledger_event_comment_id', 'ledger_event', ['comment_id'], unique=False)


def _create(name: str) -> None:
    op.create_table(
        name,
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('at', sa.String(), nullable=False),
        sa.Column('kind', sa.String(), nullable=False),
        sa.Column('comment_id', sa.Integer(), nullable=True),
        sa.Column('actor', sa.String(), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('hash', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('seq'),
    )


def downgrade() -> None:
    raise NotImplementedError("a compacted ledger is not expanded again: restore a backup taken before the upgrade")
