"""each text stored once: a comment never edited keeps its one text in comment alone, not also in comment_version

Revision ID: 0015
Revises: 0014
"""
from alembic import op


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Only exact copies go: version 1 of a comment still at version 1 whose text is the comment's own.
    op.execute(
        "DELETE FROM comment_version WHERE version = 1 AND EXISTS ("
        "SELECT 1 FROM comment c WHERE c.id = comment_version.comment_id "
        "AND c.text_version = 1 AND c.text = comment_version.text)"
    )


def downgrade() -> None:
    op.execute(
        "INSERT INTO comment_version (comment_id, version, text, seen_at) "
        "SELECT c.id, 1, c.text, c.fetched_at FROM comment c WHERE c.text_version = 1 AND NOT EXISTS ("
        "SELECT 1 FROM comment_version v WHERE v.comment_id = c.id)"
    )
