"""Received operations keep their version and base (merge needs the base of a row's current
version) and the reason a rejected one was refused (for the receipt).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('received_op', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hlc', sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column('base_hlc', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('base_origin', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=True))
        batch_op.add_column(sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_index('ix_received_version', ['origin', 'hlc'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('received_op', schema=None) as batch_op:
        batch_op.drop_index('ix_received_version')
        batch_op.drop_column('reason')
        batch_op.drop_column('base_origin')
        batch_op.drop_column('base_hlc')
        batch_op.drop_column('hlc')
