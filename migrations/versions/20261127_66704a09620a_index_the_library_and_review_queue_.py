"""Index the orderings of the library and the review queue (bench/lists.py: linear growth).

Revision ID: 66704a09620a
Revises: 9c0e2e9d97cc
Create Date: 2026-11-27 08:16:46.780321

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '66704a09620a'
down_revision = '9c0e2e9d97cc'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('approved_assets', schema=None) as batch_op:
        batch_op.create_index('ix_approved_assets_approved_at_id', ['approved_at', 'id'], unique=False)
        batch_op.create_index('ix_approved_assets_scope_unit_id', ['scope', 'unit_id'], unique=False)
        batch_op.create_index('ix_approved_assets_province_approved_at_id', ['approved_at', 'id'], unique=False, postgresql_where=sa.text("scope = 'province'"), sqlite_where=sa.text("scope = 'province'"))

    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index('ix_submissions_queue', ['submitted_at', 'id'], unique=False, postgresql_where=sa.text("status IN ('submitted', 'in_review')"), sqlite_where=sa.text("status IN ('submitted', 'in_review')"))



def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_queue', postgresql_where=sa.text("status IN ('submitted', 'in_review')"), sqlite_where=sa.text("status IN ('submitted', 'in_review')"))

    with op.batch_alter_table('approved_assets', schema=None) as batch_op:
        batch_op.drop_index('ix_approved_assets_province_approved_at_id', postgresql_where=sa.text("scope = 'province'"), sqlite_where=sa.text("scope = 'province'"))
        batch_op.drop_index('ix_approved_assets_scope_unit_id')
        batch_op.drop_index('ix_approved_assets_approved_at_id')

