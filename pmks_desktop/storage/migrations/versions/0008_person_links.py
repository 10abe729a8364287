"""Hub-owned duplicate-person links: the Dinas Sosial records that two person records (usually
from two kecamatan offices) are the same person or different persons, without changing either.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'person_link',
        sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('deleted_by', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column('deleted_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('version_hlc', sa.Integer(), nullable=False),
        sa.Column('version_origin', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('person_a_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column('person_b_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(['person_a_id'], ['person.id']),
        sa.ForeignKeyConstraint(['person_b_id'], ['person.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('person_link', schema=None) as batch_op:
        batch_op.create_index('ix_person_link_a', ['person_a_id'], unique=False)
        batch_op.create_index('ix_person_link_b', ['person_b_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('person_link', schema=None) as batch_op:
        batch_op.drop_index('ix_person_link_b')
        batch_op.drop_index('ix_person_link_a')
    op.drop_table('person_link')
