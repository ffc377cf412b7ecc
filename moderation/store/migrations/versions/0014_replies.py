"""replies to authors by authorised spokespeople: who may reply, and each reply sent through the outbox

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('moderator') as batch:
        batch.add_column(sa.Column('spokesperson', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        'reply',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('comment_id', sa.Integer(), nullable=False),
        sa.Column('template', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('template_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('clause', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('outbox_id', sa.Integer(), nullable=True),
        sa.Column('platform_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['comment_id'], ['comment.id']),
        sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_reply_comment_id', 'reply', ['comment_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_reply_comment_id', table_name='reply')
    op.drop_table('reply')
    with op.batch_alter_table('moderator') as batch:
        batch.drop_column('spokesperson')
