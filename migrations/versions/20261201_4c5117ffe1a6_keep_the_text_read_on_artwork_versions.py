"""Keep the text read on artwork versions (registry/textcheck): words, boxes, lines, status.

Revision ID: 4c5117ffe1a6
Revises: ba1471aa7dd6
Create Date: 2026-12-01 08:17:00.904035

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4c5117ffe1a6'
down_revision = 'ba1471aa7dd6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('text_readings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('engine', sa.String(length=100), nullable=True),
    sa.Column('words', sa.JSON(), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('text_layer', sa.JSON(), nullable=True),
    sa.Column('text_layer_note', sa.Text(), nullable=True),
    sa.Column('passes', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('seconds', sa.Double(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'done', 'unavailable', 'failed')", name=op.f('ck_text_readings_status_valid')),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_text_readings_job_id_jobs')),
    sa.ForeignKeyConstraint(['version_id'], ['artwork_versions.id'], name=op.f('fk_text_readings_version_id_artwork_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_text_readings')),
    sa.UniqueConstraint('version_id', name=op.f('uq_text_readings_version_id'))
    )


def downgrade():
    op.drop_table('text_readings')
