"""Index the library's state filters that match few rows: upcoming (valid_from) and revoked.

Revision ID: 4b7e1c2d9a31
Revises: 66704a09620a
Create Date: 2026-12-01 08:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4b7e1c2d9a31'
down_revision = '66704a09620a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('approved_assets', schema=None) as batch_op:
        batch_op.create_index('ix_approved_assets_valid_from', ['valid_from'], unique=False)
        batch_op.create_index('ix_approved_assets_revoked_approved_at_id', ['approved_at', 'id'], unique=False, postgresql_where=sa.text('revoked_at IS NOT NULL'), sqlite_where=sa.text('revoked_at IS NOT NULL'))


def downgrade():
    with op.batch_alter_table('approved_assets', schema=None) as batch_op:
        batch_op.drop_index('ix_approved_assets_revoked_approved_at_id', postgresql_where=sa.text('revoked_at IS NOT NULL'), sqlite_where=sa.text('revoked_at IS NOT NULL'))
        batch_op.drop_index('ix_approved_assets_valid_from')
