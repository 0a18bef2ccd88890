"""Index the audit log by who acted, for its filter by user, newest first.

Revision ID: 8692ede2d877
Revises: c4694674c99b
Create Date: 2026-12-01 10:43:47.683482

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8692ede2d877'
down_revision = 'c4694674c99b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_actor_id_id', ['actor_id', 'id'], unique=False)



def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_actor_id_id')

