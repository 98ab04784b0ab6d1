"""threads.reviewer: the answer reviewer switched off per thread (issue 15)

Revision ID: 0008_thread_reviewer
Revises: 0007_runs_user_started
Create Date: 2026-12-03 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_thread_reviewer"
down_revision: str | None = "0007_runs_user_started"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("threads") as batch:
        batch.add_column(sa.Column("reviewer", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("threads") as batch:
        batch.drop_column("reviewer")
