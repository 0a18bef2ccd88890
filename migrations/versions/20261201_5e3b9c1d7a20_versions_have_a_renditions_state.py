"""Versions record whether their preview and thumbnail are pending, ready or failed (made by the worker), and why they failed.

Revision ID: 5e3b9c1d7a20
Revises: 775875ebb0ae
Create Date: 2026-12-01 14:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e3b9c1d7a20'
down_revision = '775875ebb0ae'
branch_labels = None
depends_on = None


def upgrade():
    # Every existing version had its renditions made inside its upload: ready.
    with op.batch_alter_table('artwork_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('renditions_state', sa.String(length=16), server_default='ready', nullable=False))
        batch_op.add_column(sa.Column('renditions_error', sa.Text(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_artwork_versions_renditions_state_valid'), "renditions_state IN ('pending', 'ready', 'failed')"
        )


def downgrade():
    with op.batch_alter_table('artwork_versions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_artwork_versions_renditions_state_valid'), type_='check')
        batch_op.drop_column('renditions_error')
        batch_op.drop_column('renditions_state')
