"""complaints about moderation decisions and their independent reviews

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'complaint',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('comment_id', sa.Integer(), nullable=False),
        sa.Column('decision_id', sa.Integer(), nullable=True),
        sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('received_on', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('due_on', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('due_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('received_seq', sa.Integer(), nullable=True),
        sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('reviewer', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('reviewed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('clause', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('review_note', sa.Text(), nullable=False),
        sa.Column('review_decision_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['comment_id'], ['comment.id']),
        sa.ForeignKeyConstraint(['decision_id'], ['decision.id']),
        sa.ForeignKeyConstraint(['review_decision_id'], ['decision.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_complaint_comment_id', 'complaint', ['comment_id'], unique=False)
    op.create_index('ix_complaint_state_due', 'complaint', ['state', 'due_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_complaint_state_due', table_name='complaint')
    op.drop_index('ix_complaint_comment_id', table_name='complaint')
    op.drop_table('complaint')
