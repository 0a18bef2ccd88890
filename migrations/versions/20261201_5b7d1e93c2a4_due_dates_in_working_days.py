"""Give each campaign its review and answer times in working days, each open submission its due date, and the province a calendar of extra days off and make-up working days.

Revision ID: 5b7d1e93c2a4
Revises: 5e0c3b7a91d4
Create Date: 2026-12-01 13:45:00.000000

"""
from datetime import timedelta
from zoneinfo import ZoneInfo

from alembic import op
import holidays
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b7d1e93c2a4'
down_revision = '5e0c3b7a91d4'
branch_labels = None
depends_on = None

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def _add_working_days(day, n):
    """registry.workdays as of this revision, with no province days yet (none are recorded)."""
    while n:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays.country_holidays("VN", years=day.year):
            n -= 1
    return day


def _local_day(moment):
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        from datetime import timezone
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(ZONE).date()


def _backfill(connection):
    rows = connection.execute(sa.text(
        "SELECT s.id, s.status, s.submitted_at, s.decided_at FROM submissions s "
        "WHERE s.status IN ('submitted', 'in_review', 'awaiting_signoff', 'changes_requested')"
    )).all()
    for submission_id, status, submitted_at, decided_at in rows:
        if status == 'changes_requested':
            start, days = decided_at, 10
        else:
            start, days = submitted_at, 5
        if start is None:
            continue
        if isinstance(start, str):
            from datetime import datetime
            start = datetime.fromisoformat(start)
        connection.execute(
            sa.text("UPDATE submissions SET due_on = :due WHERE id = :id"),
            {"due": _add_working_days(_local_day(start), days), "id": submission_id},
        )


def upgrade():
    op.create_table('calendar_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('off', 'work')", name=op.f('ck_calendar_days_kind_valid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_days')),
    sa.UniqueConstraint('day', name=op.f('uq_calendar_days_day'))
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_days', sa.Integer(), server_default='5', nullable=False))
        batch_op.add_column(sa.Column('answer_days', sa.Integer(), server_default='10', nullable=False))
        batch_op.create_check_constraint(
            'due_days_valid',
            'review_days BETWEEN 1 AND 60 AND answer_days BETWEEN 1 AND 60',
        )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_submissions_due_on'), ['due_on'], unique=False)
    _backfill(op.get_bind())


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submissions_due_on'))
        batch_op.drop_column('due_on')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_campaigns_due_days_valid'), type_='check')
        batch_op.drop_column('answer_days')
        batch_op.drop_column('review_days')
    op.drop_table('calendar_days')
