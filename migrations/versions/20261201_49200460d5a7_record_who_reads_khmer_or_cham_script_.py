"""Record which reviewers read Khmer or Cham script, and where such script was found (TP-05).

Revision ID: 49200460d5a7
Revises: 4c5117ffe1a6
Create Date: 2026-12-01 09:20:13.544944

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '49200460d5a7'
down_revision = '4c5117ffe1a6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('text_readings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('minority_scripts', sa.String(length=32), nullable=False, server_default=''))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reads_minority_scripts', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('reads_minority_scripts')

    with op.batch_alter_table('text_readings', schema=None) as batch_op:
        batch_op.drop_column('minority_scripts')

