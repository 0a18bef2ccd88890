"""Record resumable (tus) uploads in progress: owner, submission, length, offset, expiry and SHA-256.

Revision ID: 5b7e3c2d9a14
Revises: 5b7d1e93c2a4
Create Date: 2026-12-01 13:45:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5b7e3c2d9a14"
down_revision = "5b7d1e93c2a4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "resumable_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("length_bytes", sa.BigInteger(), nullable=False),
        sa.Column("offset_bytes", sa.BigInteger(), nullable=False),
        sa.Column("claimed_sha256", sa.String(length=64), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('artwork', 'print_file')", name=op.f("ck_resumable_uploads_kind_valid")
        ),
        sa.CheckConstraint("length_bytes > 0", name=op.f("ck_resumable_uploads_length_positive")),
        sa.CheckConstraint(
            "offset_bytes >= 0 AND offset_bytes <= length_bytes",
            name=op.f("ck_resumable_uploads_offset_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_resumable_uploads_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_resumable_uploads_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resumable_uploads")),
        sa.UniqueConstraint("token", name=op.f("uq_resumable_uploads_token")),
    )
    with op.batch_alter_table("resumable_uploads", schema=None) as batch_op:
        batch_op.create_index("ix_resumable_uploads_expires_at", ["expires_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_resumable_uploads_submission_id"), ["submission_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("resumable_uploads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resumable_uploads_submission_id"))
        batch_op.drop_index("ix_resumable_uploads_expires_at")

    op.drop_table("resumable_uploads")
