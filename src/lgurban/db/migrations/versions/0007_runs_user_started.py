"""index runs by (user_id, started_at) for the runs-per-hour quota (issue 13)

Revision ID: 0007_runs_user_started
Revises: 0006_thread_shares
Create Date: 2026-12-03 12:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_runs_user_started"
down_revision: str | None = "0006_thread_shares"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_runs_user_started", "runs", ["user_id", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_runs_user_started", table_name="runs")
