"""dataset_loads.etag and .license: the portal's ETag and licence of the data a load read (issue 20)

Revision ID: 0011_load_provenance
Revises: 0010_search_words
Create Date: 2026-12-07 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_load_provenance"
down_revision: str | None = "0010_search_words"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("dataset_loads") as batch:
        batch.add_column(sa.Column("etag", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("license", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dataset_loads") as batch:
        batch.drop_column("license")
        batch.drop_column("etag")
