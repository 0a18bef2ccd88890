"""Keep each user's notifications and how they want each kind delivered, and their e-mail address.

Revision ID: 775875ebb0ae
Revises: 5b7e3c2d9a14
Create Date: 2026-12-01 13:28:31.014602

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '775875ebb0ae'
down_revision = '5b7e3c2d9a14'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.CheckConstraint("channel IN ('app', 'email', 'digest')", name=op.f('ck_notification_preferences_channel_valid')),
    sa.CheckConstraint("kind IN ('submitted', 'signoff', 'decision', 'approved', 'revoked', 'pin_reply')", name=op.f('ck_notification_preferences_kind_valid')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_preferences'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=400), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=400), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivery', sa.String(length=16), nullable=False),
    sa.Column('email_status', sa.String(length=16), nullable=True),
    sa.Column('email_error', sa.Text(), nullable=True),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('digest_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("delivery IN ('app', 'email', 'digest')", name=op.f('ck_notifications_delivery_valid')),
    sa.CheckConstraint("email_status IN ('queued', 'sent', 'failed')", name=op.f('ck_notifications_email_status_valid')),
    sa.CheckConstraint("kind IN ('submitted', 'signoff', 'decision', 'approved', 'revoked', 'pin_reply')", name=op.f('ck_notifications_kind_valid')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_notifications_submission_id_submissions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_delivery_digest_sent_at', ['delivery', 'digest_sent_at'], unique=False)
        batch_op.create_index('ix_notifications_user_id_id', ['user_id', 'id'], unique=False)
        batch_op.create_index('ix_notifications_user_id_read_at', ['user_id', 'read_at'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_id_read_at')
        batch_op.drop_index('ix_notifications_user_id_id')
        batch_op.drop_index('ix_notifications_delivery_digest_sent_at')

    op.drop_table('notifications')
    op.drop_table('notification_preferences')
