"""indexes reviewed against the queries that use them: three that another index already serves go

``ix_comment_created`` (created_at) is the leading column of ``ix_comment_period`` (created_at, account_id,
state), which serves every query it served; ``ix_post_account_id`` (account_id) and
``ix_comment_version_comment_id`` (comment_id) are the leading columns of the unique constraints
``uq_post_account_external`` and ``uq_comment_version``. docs/architecture.md ("Indexes") lists each index
that stays and the query it serves. On SQLite the pages they held are reused by later rows (the file itself
shrinks only with VACUUM).

Revision ID: 0016
Revises: 0015
"""
from alembic import op


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_comment_created', table_name='comment')
    op.drop_index('ix_post_account_id', table_name='post')
    op.drop_index('ix_comment_version_comment_id', table_name='comment_version')


def downgrade() -> None:
    op.create_index('ix_comment_version_comment_id', 'comment_version', ['comment_id'], unique=False)
    op.create_index('ix_post_account_id', 'post', ['account_id'], unique=False)
    op.create_index('ix_comment_created', 'comment', ['created_at'], unique=False)
