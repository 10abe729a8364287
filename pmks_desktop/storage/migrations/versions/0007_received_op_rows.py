"""Received operations name their record, so the merge can see every version of a record it has
received (which versions a later one has seen decides what is still a conflict).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('received_op', schema=None) as batch_op:
        batch_op.add_column(sa.Column('table_name', sqlmodel.sql.sqltypes.AutoString(length=40),
                                      nullable=False, server_default=""))
        batch_op.add_column(sa.Column('row_id', sqlmodel.sql.sqltypes.AutoString(length=36),
                                      nullable=False, server_default=""))
        batch_op.drop_index('ix_received_version')
        batch_op.create_index('ix_received_row', ['table_name', 'row_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('received_op', schema=None) as batch_op:
        batch_op.drop_index('ix_received_row')
        batch_op.create_index('ix_received_version', ['origin', 'hlc'], unique=False)
        batch_op.drop_column('row_id')
        batch_op.drop_column('table_name')
