"""A placement may state the distance it is seen from (MQ-07); empty means its site type's default.

Revision ID: 6f9fd5a0f781
Revises: 2990054e8c78
Create Date: 2026-12-01 08:48:13.778033

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6f9fd5a0f781'
down_revision = '2990054e8c78'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('viewing_distance_m', sa.Double(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_placements_viewing_distance_positive'), 'viewing_distance_m > 0'
        )


def downgrade():
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_placements_viewing_distance_positive'), type_='check')
        batch_op.drop_column('viewing_distance_m')
