"""Index a unit's submissions by status (the navigation's count of those needing changes).

Revision ID: d5e8a3c1f7b9
Revises: c7a2e5d91f30
Create Date: 2026-12-01 19:50:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd5e8a3c1f7b9'
down_revision = 'c7a2e5d91f30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index('ix_submissions_unit_id_status', ['unit_id', 'status'], unique=False)


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_unit_id_status')
