"""alert: a key per alerted condition, and when it was acknowledged, emailed and cleared

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('alert') as batch:
        batch.add_column(sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))
        batch.add_column(sa.Column('acknowledged_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('emailed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('cleared_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.create_index('ix_alert_key', ['key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('alert') as batch:
        batch.drop_index('ix_alert_key')
        batch.drop_column('cleared_at')
        batch.drop_column('emailed_at')
        batch.drop_column('acknowledged_at')
        batch.drop_column('key')
