"""Create the registry schema: units, users, campaigns, checklists, submissions, reviews,
approved assets and the audit log.

Revision ID: 9c0e2e9d97cc
Revises: 
Create Date: 2026-11-27 06:53:26.745181

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9c0e2e9d97cc'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('checklist_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_versions')),
    sa.UniqueConstraint('label', name=op.f('uq_checklist_versions_label'))
    )
    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts'))
    )
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempts_username_created_at', ['username', 'created_at'], unique=False)

    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_folded', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.CheckConstraint("kind IN ('xa', 'phuong', 'dac_khu', 'department')", name=op.f('ck_units_kind_valid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    sa.UniqueConstraint('code', name=op.f('uq_units_code'))
    )
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_units_name_folded'), ['name_folded'], unique=False)

    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('is_closed', sa.Boolean(), nullable=False),
    sa.Column('checklist_version_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_campaigns_dates_ordered')),
    sa.ForeignKeyConstraint(['checklist_version_id'], ['checklist_versions.id'], name=op.f('fk_campaigns_checklist_version_id_checklist_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns')),
    sa.UniqueConstraint('code', name=op.f('uq_campaigns_code'))
    )
    op.create_table('checklist_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('group_code', sa.String(length=2), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('gloss', sa.Text(), nullable=False),
    sa.Column('check_kind', sa.String(length=8), nullable=False),
    sa.Column('check_note', sa.Text(), nullable=False),
    sa.Column('legal_source', sa.Text(), nullable=False),
    sa.Column('source_confidence', sa.Text(), nullable=False),
    sa.Column('is_required', sa.Boolean(), nullable=False),
    sa.Column('allows_na', sa.Boolean(), nullable=False),
    sa.CheckConstraint("check_kind IN ('auto', 'semi', 'human')", name=op.f('ck_checklist_items_check_kind_valid')),
    sa.CheckConstraint("group_code IN ('CT', 'TP', 'MQ', 'PL')", name=op.f('ck_checklist_items_group_code_valid')),
    sa.ForeignKeyConstraint(['version_id'], ['checklist_versions.id'], name=op.f('fk_checklist_items_version_id_checklist_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_items')),
    sa.UniqueConstraint('version_id', 'code', name=op.f('uq_checklist_items_version_id_code'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('designer', 'reviewer', 'locality', 'admin')", name=op.f('ck_users_role_valid')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_users_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('session_token', name=op.f('uq_users_session_token')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_unit_id'), ['unit_id'], unique=False)

    op.create_table('slogans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_slogans_campaign_id_campaigns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slogans')),
    sa.UniqueConstraint('campaign_id', 'text', name=op.f('uq_slogans_campaign_id_text'))
    )
    with op.batch_alter_table('slogans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slogans_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('width_cm', sa.Double(), nullable=False),
    sa.Column('height_cm', sa.Double(), nullable=False),
    sa.Column('other_text', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("format IN ('pano', 'phuon', 'bang_ron', 'other')", name=op.f('ck_submissions_format_valid')),
    sa.CheckConstraint("scope IN ('unit', 'province')", name=op.f('ck_submissions_scope_valid')),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'in_review', 'changes_requested', 'approved', 'rejected', 'withdrawn', 'revoked')", name=op.f('ck_submissions_status_valid')),
    sa.CheckConstraint('width_cm > 0 AND height_cm > 0', name=op.f('ck_submissions_size_positive')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_submissions_assignee_id_users')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_submissions_campaign_id_campaigns')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_submissions_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_submissions_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submissions'))
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index('ix_submissions_status_submitted_at', ['status', 'submitted_at'], unique=False)
        batch_op.create_index('ix_submissions_unit_id_updated_at', ['unit_id', 'updated_at'], unique=False)

    op.create_table('artwork_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('storage_key', sa.String(length=400), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('image_format', sa.String(length=8), nullable=False),
    sa.Column('width_px', sa.Integer(), nullable=False),
    sa.Column('height_px', sa.Integer(), nullable=False),
    sa.Column('color_mode', sa.String(length=16), nullable=False),
    sa.Column('bit_depth', sa.Integer(), nullable=False),
    sa.Column('has_icc_profile', sa.Boolean(), nullable=False),
    sa.Column('icc_description', sa.String(length=200), nullable=True),
    sa.Column('dpi_x', sa.Double(), nullable=True),
    sa.Column('dpi_y', sa.Double(), nullable=True),
    sa.Column('preview_key', sa.String(length=400), nullable=False),
    sa.Column('thumb_key', sa.String(length=400), nullable=False),
    sa.Column('print_key', sa.String(length=400), nullable=True),
    sa.Column('print_sha256', sa.String(length=64), nullable=True),
    sa.Column('print_size_bytes', sa.BigInteger(), nullable=True),
    sa.Column('print_content_type', sa.String(length=100), nullable=True),
    sa.Column('print_name', sa.String(length=255), nullable=True),
    sa.Column('print_kind', sa.String(length=8), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_artwork_versions_submission_id_submissions')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_artwork_versions_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_artwork_versions')),
    sa.UniqueConstraint('submission_id', 'number', name=op.f('uq_artwork_versions_submission_id_number')),
    sa.UniqueConstraint('submission_id', 'sha256', name=op.f('uq_artwork_versions_submission_id_sha256'))
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_audit_events_submission_id_submissions')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_audit_events_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_audit_events_object_type_object_id', ['object_type', 'object_id'], unique=False)
        batch_op.create_index('ix_audit_events_submission_id_created_at', ['submission_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_unit_id'), ['unit_id'], unique=False)

    op.create_table('placements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=400), nullable=False),
    sa.Column('lat', sa.Double(), nullable=False),
    sa.Column('lon', sa.Double(), nullable=False),
    sa.Column('site_type', sa.String(length=32), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('display_from', sa.Date(), nullable=False),
    sa.Column('display_to', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("site_type IN ('administrative_center', 'residential_area', 'main_road', 'public_square', 'school_cultural_house', 'other')", name=op.f('ck_placements_site_type_valid')),
    sa.CheckConstraint('display_to >= display_from', name=op.f('ck_placements_period_ordered')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_placements_quantity_positive')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_placements_submission_id_submissions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_placements_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placements'))
    )
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index('ix_placements_lat_lon', ['lat', 'lon'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_submission_id'), ['submission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_unit_id'), ['unit_id'], unique=False)

    op.create_table('submission_slogans',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('slogan_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['slogan_id'], ['slogans.id'], name=op.f('fk_submission_slogans_slogan_id_slogans')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_submission_slogans_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('submission_id', 'slogan_id', name=op.f('pk_submission_slogans'))
    )
    op.create_table('annotations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('x', sa.Double(), nullable=False),
    sa.Column('y', sa.Double(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('x >= 0 AND x <= 1 AND y >= 0 AND y <= 1', name=op.f('ck_annotations_point_inside')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_annotations_author_id_users')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_annotations_resolved_by_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['artwork_versions.id'], name=op.f('fk_annotations_version_id_artwork_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annotations'))
    )
    with op.batch_alter_table('annotations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annotations_version_id'), ['version_id'], unique=False)

    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('checklist_version_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=24), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("decision IN ('approve', 'request_changes', 'reject')", name=op.f('ck_reviews_decision_valid')),
    sa.ForeignKeyConstraint(['checklist_version_id'], ['checklist_versions.id'], name=op.f('fk_reviews_checklist_version_id_checklist_versions')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_reviews_reviewer_id_users')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_reviews_submission_id_submissions')),
    sa.ForeignKeyConstraint(['version_id'], ['artwork_versions.id'], name=op.f('fk_reviews_version_id_artwork_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_reviewer_id'), ['reviewer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_submission_id'), ['submission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_version_id'), ['version_id'], unique=False)

    op.create_table('approved_assets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('storage_key', sa.String(length=400), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('print_key', sa.String(length=400), nullable=True),
    sa.Column('print_sha256', sa.String(length=64), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_approved_assets_approved_by_id_users')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_approved_assets_campaign_id_campaigns')),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_approved_assets_review_id_reviews')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_approved_assets_revoked_by_id_users')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_approved_assets_submission_id_submissions')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_approved_assets_unit_id_units')),
    sa.ForeignKeyConstraint(['version_id'], ['artwork_versions.id'], name=op.f('fk_approved_assets_version_id_artwork_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approved_assets')),
    sa.UniqueConstraint('code', name=op.f('uq_approved_assets_code')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('approved_assets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approved_assets_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_approved_assets_submission_id'), ['submission_id'], unique=False)
        batch_op.create_index('ix_approved_assets_unit_id_approved_at', ['unit_id', 'approved_at'], unique=False)

    op.create_table('checklist_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('result', sa.String(length=8), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('automatic_result', sa.String(length=8), nullable=True),
    sa.Column('evidence', sa.JSON(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("result IN ('pass', 'fail', 'na')", name=op.f('ck_checklist_answers_result_valid')),
    sa.ForeignKeyConstraint(['item_id'], ['checklist_items.id'], name=op.f('fk_checklist_answers_item_id_checklist_items')),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_checklist_answers_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_answers')),
    sa.UniqueConstraint('review_id', 'item_id', name=op.f('uq_checklist_answers_review_id_item_id'))
    )
    op.create_table('download_logs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('via', sa.String(length=16), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['asset_id'], ['approved_assets.id'], name=op.f('fk_download_logs_asset_id_approved_assets')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_download_logs_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_download_logs'))
    )
    with op.batch_alter_table('download_logs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_download_logs_asset_id'), ['asset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_download_logs_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('download_logs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_download_logs_user_id'))
        batch_op.drop_index(batch_op.f('ix_download_logs_asset_id'))

    op.drop_table('download_logs')
    op.drop_table('checklist_answers')
    with op.batch_alter_table('approved_assets', schema=None) as batch_op:
        batch_op.drop_index('ix_approved_assets_unit_id_approved_at')
        batch_op.drop_index(batch_op.f('ix_approved_assets_submission_id'))
        batch_op.drop_index(batch_op.f('ix_approved_assets_campaign_id'))

    op.drop_table('approved_assets')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_version_id'))
        batch_op.drop_index(batch_op.f('ix_reviews_submission_id'))
        batch_op.drop_index(batch_op.f('ix_reviews_reviewer_id'))

    op.drop_table('reviews')
    with op.batch_alter_table('annotations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annotations_version_id'))

    op.drop_table('annotations')
    op.drop_table('submission_slogans')
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placements_unit_id'))
        batch_op.drop_index(batch_op.f('ix_placements_submission_id'))
        batch_op.drop_index('ix_placements_lat_lon')

    op.drop_table('placements')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_unit_id'))
        batch_op.drop_index('ix_audit_events_submission_id_created_at')
        batch_op.drop_index('ix_audit_events_object_type_object_id')
        batch_op.drop_index(batch_op.f('ix_audit_events_created_at'))

    op.drop_table('audit_events')
    op.drop_table('artwork_versions')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_unit_id_updated_at')
        batch_op.drop_index('ix_submissions_status_submitted_at')
        batch_op.drop_index(batch_op.f('ix_submissions_campaign_id'))

    op.drop_table('submissions')
    with op.batch_alter_table('slogans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slogans_campaign_id'))

    op.drop_table('slogans')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_unit_id'))

    op.drop_table('users')
    op.drop_table('checklist_items')
    op.drop_table('campaigns')
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_units_name_folded'))

    op.drop_table('units')
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempts_username_created_at')

    op.drop_table('login_attempts')
    op.drop_table('checklist_versions')
