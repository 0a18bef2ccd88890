"""Designers answer pinned comments, and say what changed when they resubmit a version.

Revision ID: 8d3f2a61c0b4
Revises: 9e4f2a7b3c15
Create Date: 2026-12-01 10:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8d3f2a61c0b4'
down_revision = '9e4f2a7b3c15'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('annotation_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('annotation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['annotation_id'], ['annotations.id'], name=op.f('fk_annotation_replies_annotation_id_annotations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_annotation_replies_author_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annotation_replies'))
    )
    with op.batch_alter_table('annotation_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annotation_replies_annotation_id'), ['annotation_id'], unique=False)
    with op.batch_alter_table('artwork_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_note', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('artwork_versions', schema=None) as batch_op:
        batch_op.drop_column('change_note')
    with op.batch_alter_table('annotation_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annotation_replies_annotation_id'))
    op.drop_table('annotation_replies')
