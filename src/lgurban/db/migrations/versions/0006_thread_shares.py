"""thread shares: read-only links to a conversation (issue 19)

Revision ID: 0006_thread_shares
Revises: 0005_quotas
Create Date: 2026-12-03 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_thread_shares"
down_revision: str | None = "0005_quotas"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "thread_shares",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("thread_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_thread_shares_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["threads.id"], name=op.f("fk_thread_shares_thread_id_threads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thread_shares")),
    )
    op.create_index(op.f("ix_thread_shares_thread_id"), "thread_shares", ["thread_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_thread_shares_thread_id"), table_name="thread_shares")
    op.drop_table("thread_shares")
