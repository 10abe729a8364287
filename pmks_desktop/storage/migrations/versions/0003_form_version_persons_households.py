"""Persons and households keep the version of the form they were entered with.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("person", "household"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('form_version', sa.Integer(), nullable=False,
                                          server_default="1"))


def downgrade() -> None:
    for table in ("person", "household"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('form_version')
