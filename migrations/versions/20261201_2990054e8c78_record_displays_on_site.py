"""Record displays on site: their state, records of installation, removal and inspection, proof photos and notices.

Revision ID: 2990054e8c78
Revises: 5b1e7c3a9d20
Create Date: 2026-12-01 07:41:17.035622

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2990054e8c78'
down_revision = '5b1e7c3a9d20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=400), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notices_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices')),
    sa.UniqueConstraint('user_id', 'key', name=op.f('uq_notices_user_id_key'))
    )
    op.create_table('displays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('installed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('condition', sa.String(length=16), nullable=True),
    sa.Column('condition_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.CheckConstraint("condition IS NULL OR condition IN ('good', 'faded', 'torn', 'missing', 'wrong_content')", name=op.f('ck_displays_condition_valid')),
    sa.CheckConstraint("state IN ('installed', 'removed')", name=op.f('ck_displays_state_valid')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_displays_campaign_id_campaigns')),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_displays_placement_id_placements')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_displays_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_displays')),
    sa.UniqueConstraint('placement_id', name=op.f('uq_displays_placement_id'))
    )
    with op.batch_alter_table('displays', schema=None) as batch_op:
        batch_op.create_index('ix_displays_campaign_id_state', ['campaign_id', 'state'], unique=False)
        batch_op.create_index('ix_displays_unit_id_state', ['unit_id', 'state'], unique=False)

    op.create_table('display_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('display_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('condition', sa.String(length=16), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("condition IS NULL OR condition IN ('good', 'faded', 'torn', 'missing', 'wrong_content')", name=op.f('ck_display_records_condition_valid')),
    sa.CheckConstraint("kind IN ('installation', 'removal', 'inspection')", name=op.f('ck_display_records_kind_valid')),
    sa.ForeignKeyConstraint(['display_id'], ['displays.id'], name=op.f('fk_display_records_display_id_displays')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_display_records_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_display_records'))
    )
    with op.batch_alter_table('display_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_display_records_display_id'), ['display_id'], unique=False)

    op.create_table('display_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('storage_key', sa.String(length=400), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('width_px', sa.Integer(), nullable=False),
    sa.Column('height_px', sa.Integer(), nullable=False),
    sa.Column('preview_key', sa.String(length=400), nullable=False),
    sa.Column('thumb_key', sa.String(length=400), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('exif_lat', sa.Double(), nullable=True),
    sa.Column('exif_lon', sa.Double(), nullable=True),
    sa.Column('device_lat', sa.Double(), nullable=True),
    sa.Column('device_lon', sa.Double(), nullable=True),
    sa.Column('gps_source', sa.String(length=8), nullable=True),
    sa.Column('gps_check', sa.String(length=8), nullable=False),
    sa.Column('distance_m', sa.Double(), nullable=True),
    sa.Column('in_period', sa.Boolean(), nullable=True),
    sa.CheckConstraint("gps_check IN ('pass', 'fail', 'missing')", name=op.f('ck_display_photos_gps_check_valid')),
    sa.CheckConstraint("gps_source IS NULL OR gps_source IN ('exif', 'device')", name=op.f('ck_display_photos_gps_source_valid')),
    sa.ForeignKeyConstraint(['record_id'], ['display_records.id'], name=op.f('fk_display_photos_record_id_display_records')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_display_photos_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_display_photos'))
    )
    with op.batch_alter_table('display_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_display_photos_record_id'), ['record_id'], unique=False)



def downgrade():
    with op.batch_alter_table('display_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_display_photos_record_id'))

    op.drop_table('display_photos')
    with op.batch_alter_table('display_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_display_records_display_id'))

    op.drop_table('display_records')
    with op.batch_alter_table('displays', schema=None) as batch_op:
        batch_op.drop_index('ix_displays_unit_id_state')
        batch_op.drop_index('ix_displays_campaign_id_state')

    op.drop_table('displays')
    op.drop_table('notices')
