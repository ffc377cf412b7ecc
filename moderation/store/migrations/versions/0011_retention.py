"""records retention: legal holds and disposals

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'legal_hold',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('released_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('released_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'disposal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('record_class', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('disposed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('disposed_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('record_class', 'record_id', name='uq_disposal_record'),
    )


def downgrade() -> None:
    op.drop_table('disposal')
    op.drop_table('legal_hold')
