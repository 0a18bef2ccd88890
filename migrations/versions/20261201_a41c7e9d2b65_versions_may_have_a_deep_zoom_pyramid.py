"""A version may have a deep-zoom pyramid (DZI) of its original in the store.

Revision ID: a41c7e9d2b65
Revises: 8d3f2a61c0b4
Create Date: 2026-12-01 11:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a41c7e9d2b65'
down_revision = '8d3f2a61c0b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('artwork_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tiles_key', sa.String(length=400), nullable=True))


def downgrade():
    with op.batch_alter_table('artwork_versions', schema=None) as batch_op:
        batch_op.drop_column('tiles_key')
