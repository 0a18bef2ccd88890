"""The approval document: its number, key, checksum and signature flag on each approved asset, and the yearly number counters.

Revision ID: 9e4f2a7b3c15
Revises: 7d3a5c1e0b42
Create Date: 2026-12-01 09:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9e4f2a7b3c15'
down_revision = '7d3a5c1e0b42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('document_counters',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_document_counters'))
    )
    with op.batch_alter_table('approved_assets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('document_number', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('document_label', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('document_key', sa.String(length=400), nullable=True))
        batch_op.add_column(sa.Column('document_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('document_size_bytes', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('document_signed', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_approved_assets_document_year_document_number'), ['document_year', 'document_number'])


def downgrade():
    with op.batch_alter_table('approved_assets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_approved_assets_document_year_document_number'), type_='unique')
        batch_op.drop_column('document_signed')
        batch_op.drop_column('document_size_bytes')
        batch_op.drop_column('document_sha256')
        batch_op.drop_column('document_key')
        batch_op.drop_column('document_label')
        batch_op.drop_column('document_number')
        batch_op.drop_column('document_year')
    op.drop_table('document_counters')
