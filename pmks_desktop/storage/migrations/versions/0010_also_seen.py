"""A version can say which other versions it saw besides its base (the losers of the conflicts
it resolves), so a conflict resolved at one install closes at every install that holds it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (nullable, no default): SQLite changes only the schema, no table copy,
    # so a kabupaten's large change_log and received_op upgrade in an instant.
    op.add_column('change_log', sa.Column('also_seen', sa.String(), nullable=True))
    op.add_column('received_op', sa.Column('also_seen', sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('received_op', schema=None) as batch_op:
        batch_op.drop_column('also_seen')
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_column('also_seen')
