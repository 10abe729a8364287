"""Link notices at an office: the Dinas Sosial's duplicate-person decisions about the office's own
persons, received with each receipt (a local table: not synced, no change log).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'link_notice',
        sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column('link_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column('other_person_id', sqlmodel.sql.sqltypes.AutoString(length=36),
                  nullable=True),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('other_office', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('received_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id']),
        sa.PrimaryKeyConstraint('person_id', 'link_id'),
    )


def downgrade() -> None:
    op.drop_table('link_notice')
