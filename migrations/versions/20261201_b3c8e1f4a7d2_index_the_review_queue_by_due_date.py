"""Index the review queue in its new order, due date first (bench/lists.py: 116 ms at 100,000).

Revision ID: b3c8e1f4a7d2
Revises: 978086b215e8
Create Date: 2026-12-01 14:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3c8e1f4a7d2'
down_revision = '978086b215e8'
branch_labels = None
depends_on = None

WAITING = sa.text("status IN ('submitted', 'in_review')")


def upgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_queue', postgresql_where=WAITING, sqlite_where=WAITING)
        batch_op.create_index('ix_submissions_queue', ['due_on', 'submitted_at', 'id'], unique=False, postgresql_where=WAITING, sqlite_where=WAITING)


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_queue', postgresql_where=WAITING, sqlite_where=WAITING)
        batch_op.create_index('ix_submissions_queue', ['submitted_at', 'id'], unique=False, postgresql_where=WAITING, sqlite_where=WAITING)
