"""Store each submission's searchable text and each unit's name folded (no case, no diacritics) for search as people type, indexed with trigrams on PostgreSQL, and fill them for existing rows.

Revision ID: 2a2d6edacf90
Revises: 8692ede2d877
Create Date: 2026-12-01 10:57:09.000000

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2a2d6edacf90'
down_revision = '8692ede2d877'
branch_labels = None
depends_on = None

BATCH = 1000


def _fold(text):
    """registry.text.search_fold as of this revision (a migration does not import the app)."""
    one_line = " ".join(unicodedata.normalize("NFC", text or "").split()).lower()
    bare = "".join(c for c in unicodedata.normalize("NFD", one_line) if not unicodedata.combining(c))
    return bare.replace("đ", "d")


def _backfill(connection):
    units = sa.table('units', sa.column('id'), sa.column('name'), sa.column('search_name'))
    for unit_id, name in connection.execute(sa.select(units.c.id, units.c.name)).all():
        connection.execute(units.update().where(units.c.id == unit_id).values(search_name=_fold(name)))
    last = 0
    while True:
        rows = connection.execute(
            sa.text('SELECT id, title, other_text FROM submissions WHERE id > :last ORDER BY id LIMIT :n'),
            {'last': last, 'n': BATCH},
        ).all()
        if not rows:
            break
        ids = [r.id for r in rows]
        parts = {r.id: [r.title, r.other_text or ''] for r in rows}
        extra = [
            'SELECT ss.submission_id, s.text FROM submission_slogans ss '
            'JOIN slogans s ON s.id = ss.slogan_id WHERE ss.submission_id IN :ids ORDER BY s.position',
            'SELECT submission_id, address FROM placements WHERE submission_id IN :ids ORDER BY id',
            'SELECT submission_id, code FROM approved_assets WHERE submission_id IN :ids ORDER BY code',
        ]
        for query in extra:
            statement = sa.text(query).bindparams(sa.bindparam('ids', expanding=True))
            for submission_id, text in connection.execute(statement, {'ids': ids}):
                parts[submission_id].append(text)
        connection.execute(
            sa.text('UPDATE submissions SET search_text = :text WHERE id = :id'),
            [{'id': i, 'text': ' | '.join(_fold(p) for p in texts if p)} for i, texts in parts.items()],
        )
        last = ids[-1]


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))

    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_name', sa.String(length=200), server_default='', nullable=False))

    _backfill(op.get_bind())
    # After the backfill: filling an indexed column would update the index row by row.
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index('ix_submissions_search_text_trgm', ['search_text'], unique=False, postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})


def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_column('search_name')

    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_search_text_trgm', postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
        batch_op.drop_column('search_text')
