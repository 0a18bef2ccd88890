"""Record every certificate the registry signs approval documents with, so that what it signed stays valid after the certificate is renewed.

Revision ID: 5e0c3b7a91d4
Revises: 2a2d6edacf90
Create Date: 2026-12-01 13:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e0c3b7a91d4'
down_revision = '2a2d6edacf90'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('signing_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=1000), nullable=False),
    sa.Column('issuer', sa.String(length=1000), nullable=False),
    sa.Column('serial_number', sa.String(length=100), nullable=False),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_to', sa.DateTime(timezone=True), nullable=False),
    sa.Column('der', sa.LargeBinary(), nullable=False),
    sa.Column('first_used_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_certificates')),
    sa.UniqueConstraint('fingerprint', name=op.f('uq_signing_certificates_fingerprint'))
    )


def downgrade():
    op.drop_table('signing_certificates')
