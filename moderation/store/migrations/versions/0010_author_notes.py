"""private notes on authors (the text is a sealed field of the ledger event)

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'author_note',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('author_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_author_note_author', 'author_note', ['platform', 'author_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_author_note_author', table_name='author_note')
    op.drop_table('author_note')
