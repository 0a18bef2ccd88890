"""Remember each user's interface language (Vietnamese unless they choose English).

Revision ID: c7a2e5d91f30
Revises: b3c8e1f4a7d2
Create Date: 2026-12-01 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c7a2e5d91f30'
down_revision = 'b3c8e1f4a7d2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), server_default='vi', nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_users_language_valid'), sa.text("language IN ('vi', 'en')"))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_language_valid'), type_='check')
        batch_op.drop_column('language')
