"""decision: the intended visibility before and after, so an undo restores it exactly

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('decision') as batch:
        batch.add_column(sa.Column('from_hidden', sa.Boolean(), nullable=True))
        batch.add_column(sa.Column('to_hidden', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('decision') as batch:
        batch.drop_column('to_hidden')
        batch.drop_column('from_hidden')
