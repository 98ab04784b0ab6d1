"""The `dataset_cache` rows: what the object store keeps of each dataset, keyed by dataset and format."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lgurban.db.models import DatasetCache


class CacheRows:
    """Each call uses its own short session, so no transaction stays open during a download."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker

    @staticmethod
    def _query(dataset_id: str, fmt: str) -> Any:
        return select(DatasetCache).where(DatasetCache.dataset_id == dataset_id, DatasetCache.format == fmt)

    async def get(self, dataset_id: str, fmt: str) -> DatasetCache | None:
        async with self.sessionmaker() as s:
            row: DatasetCache | None = (await s.execute(self._query(dataset_id, fmt))).scalar_one_or_none()
            return row

    async def save(self, dataset_id: str, fmt: str, **values: Any) -> None:
        """Insert or update the row with these column values."""
        for _ in range(2):
            async with self.sessionmaker() as s:
                row = (await s.execute(self._query(dataset_id, fmt))).scalar_one_or_none()
                if row is None:
                    s.add(DatasetCache(dataset_id=dataset_id, format=fmt, **values))
                else:
                    for k, v in values.items():
                        setattr(row, k, v)
                try:
                    await s.commit()
                    return
                except IntegrityError:  # another process inserted it meanwhile: update theirs
                    await s.rollback()
