"""Erasure under UU PDP: the ids of erased rows are kept (never their data), so a late bundle
cannot bring them back. Bundles from this revision may carry "purge" operations, which an older
version must refuse whole rather than ignore (storage/schema.py BUNDLE_SCHEMA).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'purge_record',
        sa.Column('table_name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('row_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column('purged_at', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('origin', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column('purged_by', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint('table_name', 'row_id'),
    )
    op.create_index('ix_purge_person', 'purge_record', ['person_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_purge_person', table_name='purge_record')
    op.drop_table('purge_record')
