"""a shorter repeat key: a comment's text key keeps the first 16 hex digits of its SHA-1

The key only finds repeats of a text within a day, so 64 bits are plenty; it is stored and indexed for every
comment, so the 24 characters dropped count twice. New keys are the prefix of the old ones, so a repeat of a
comment stored before the upgrade is still found.

Revision ID: 0018
Revises: 0017
"""
from alembic import op


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE comment SET text_key = substr(text_key, 1, 16) WHERE length(text_key) > 16")


def downgrade() -> None:
    raise NotImplementedError("the dropped digits of the text keys cannot be restored: restore a backup instead")
