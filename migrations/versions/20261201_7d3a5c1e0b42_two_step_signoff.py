"""Two-step sign-off: the campaign's setting, the head of division's role, the awaiting_signoff state and the review's recommendation and signer.

Revision ID: 7d3a5c1e0b42
Revises: 49200460d5a7
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d3a5c1e0b42'
down_revision = '49200460d5a7'
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('designer', 'reviewer', 'locality', 'admin')"
NEW_ROLES = "role IN ('designer', 'reviewer', 'head', 'locality', 'admin')"
OLD_STATUSES = "status IN ('draft', 'submitted', 'in_review', 'changes_requested', 'approved', 'rejected', 'withdrawn', 'revoked')"
NEW_STATUSES = "status IN ('draft', 'submitted', 'in_review', 'awaiting_signoff', 'changes_requested', 'approved', 'rejected', 'withdrawn', 'revoked')"


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_role_valid'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_users_role_valid'), sa.text(NEW_ROLES))
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_submissions_status_valid'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_submissions_status_valid'), sa.text(NEW_STATUSES))
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signoff_steps', sa.Integer(), server_default='1', nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_campaigns_signoff_steps_valid'), sa.text('signoff_steps IN (1, 2)'))
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recommendation', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('recommended_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('signer_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_reviews_signer_id_users'), 'users', ['signer_id'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_reviews_recommendation_valid'), sa.text("recommendation IN ('approve', 'reject')"))


def downgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_reviews_recommendation_valid'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_reviews_signer_id_users'), type_='foreignkey')
        batch_op.drop_column('signer_id')
        batch_op.drop_column('recommended_at')
        batch_op.drop_column('recommendation')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_campaigns_signoff_steps_valid'), type_='check')
        batch_op.drop_column('signoff_steps')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_submissions_status_valid'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_submissions_status_valid'), sa.text(OLD_STATUSES))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_role_valid'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_users_role_valid'), sa.text(NEW_ROLES.replace("'head', ", "")))
