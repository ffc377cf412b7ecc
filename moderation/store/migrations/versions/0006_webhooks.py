"""webhook deliveries and how comments arrived

Revision ID: 0006
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0006'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'webhook_delivery',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('received_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('processed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('events', sa.Integer(), nullable=False),
        sa.Column('dropped', sa.Integer(), nullable=False),
        sa.Column('problems', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('digest'),
    )
    op.create_index('ix_webhook_delivery_pending', 'webhook_delivery', ['processed_at', 'id'], unique=False)
    op.create_table(
        'comment_arrival',
        sa.Column('comment_id', sa.Integer(), nullable=False),
        sa.Column('via', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['comment_id'], ['comment.id']),
        sa.PrimaryKeyConstraint('comment_id'),
    )


def downgrade() -> None:
    op.drop_table('comment_arrival')
    op.drop_index('ix_webhook_delivery_pending', table_name='webhook_delivery')
    op.drop_table('webhook_delivery')
