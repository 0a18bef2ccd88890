"""Reminders become notifications (the notices table goes), and each user's daily digest is recorded.

Revision ID: 978086b215e8
Revises: 5e3b9c1d7a20
Create Date: 2026-12-01 14:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '978086b215e8'
down_revision = '5e3b9c1d7a20'
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('submitted', 'signoff', 'decision', 'approved', 'revoked', 'pin_reply')"
NEW_KINDS = OLD_KINDS.replace("'pin_reply')", "'pin_reply', 'reminder')")


def upgrade():
    op.create_table('notification_digests',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_digests_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', 'day', name=op.f('pk_notification_digests'))
    )
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notification_preferences_kind_valid'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notification_preferences_kind_valid'), sa.text(NEW_KINDS))

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key', sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_notifications_user_id_key'), ['user_id', 'key'])
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_valid'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_valid'), sa.text(NEW_KINDS))

    # Each reminder already left becomes an in-app notification, read if it was read.
    op.execute(
        "INSERT INTO notifications (user_id, kind, title, body, link, created_at, read_at, "
        "delivery, key) SELECT user_id, 'reminder', substr(message, 1, 400), '', link, "
        "created_at, read_at, 'app', key FROM notices ORDER BY id"
    )
    op.drop_table('notices')


def downgrade():
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
    op.execute(
        "INSERT INTO notices (user_id, key, message, link, created_at, read_at) "
        "SELECT user_id, key, title, link, created_at, read_at FROM notifications "
        "WHERE kind = 'reminder' AND key IS NOT NULL ORDER BY id"
    )
    op.execute("DELETE FROM notifications WHERE kind = 'reminder'")
    op.execute("DELETE FROM notification_preferences WHERE kind = 'reminder'")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_valid'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_valid'), sa.text(OLD_KINDS))
        batch_op.drop_constraint(batch_op.f('uq_notifications_user_id_key'), type_='unique')
        batch_op.drop_column('key')

    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notification_preferences_kind_valid'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notification_preferences_kind_valid'), sa.text(OLD_KINDS))

    op.drop_table('notification_digests')
