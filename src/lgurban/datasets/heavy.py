"""The heavy datasets of the object store (`input/datasets/<id>.parquet`): listed, read from their Parquet
footer, and made available as a local file (the store's own file, or a copy kept by ETag and size)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import anyio
import pyarrow.parquet as pq

from lgurban.datasets import geo, parquet
from lgurban.datasets.models import DatasetDetail, DatasetField, GeoInfo
from lgurban.storage.base import DATASETS_PREFIX, ObjectInfo, ObjectStore, dataset_key


@dataclass(frozen=True)
class StoredDataset:
    """A heavy dataset as read: its description, the local file holding it, the store's metadata and the
    Parquet footer (kept so the time coverage and the row count need no second read)."""

    detail: DatasetDetail
    local: Path
    info: ObjectInfo
    metadata: pq.FileMetaData


def _detail(dataset_id: str, key: str, info: ObjectInfo, md: pq.FileMetaData, bbox: Bbox) -> DatasetDetail:
    schema = md.schema.to_arrow_schema()
    geo_info = geo.parquet_geo_info(schema)
    if geo_info is not None:
        geo_info["bbox"] = bbox
    geo_fields = geo_info["fields"] if geo_info else []
    fields = [
        DatasetField(
            name=f.name,
            label=f.name,
            type="geo" if f.name in geo_fields else parquet.arrow_type_name(f.type),
            description=None,
        )
        for f in schema
    ]
    return DatasetDetail(
        id=dataset_id,
        title=dataset_id.replace("-", " ").replace("_", " ").capitalize(),
        description=f"Heavy dataset of this server ({key}).",
        source="store",
        records_count=md.num_rows,
        is_geo=geo_info is not None,
        modified_at=parquet.iso(info.modified_at),
        fields=fields,
        time_coverage=parquet.time_coverage(md),
        geo=GeoInfo.model_validate(geo_info) if geo_info else None,
        license=None,
        publisher=None,
    )


Bbox = list[float] | None


class HeavyDatasets:
    """The store's heavy datasets; `copies_dir` keeps local copies when the store has no local files."""

    def __init__(self, store: ObjectStore, copies_dir: Path) -> None:
        self.store = store
        self.copies_dir = copies_dir
        # (key, etag, size) → the geometries' bbox: computed once per version of the object (issue 16)
        self._bboxes: dict[tuple[str, str | None, int], Bbox] = {}

    async def _bbox(self, key: str, info: ObjectInfo, local: Path) -> Bbox:
        version = (key, info.etag, info.size)
        if version not in self._bboxes:
            self._bboxes[version] = await anyio.to_thread.run_sync(geo.file_bbox, local)
        return self._bboxes[version]

    async def list(self) -> list[ObjectInfo]:
        infos = await self.store.list(DATASETS_PREFIX)
        return [i for i in infos if i.key.endswith(".parquet") and "/" not in i.key[len(DATASETS_PREFIX) :]]

    @staticmethod
    def id_of(info: ObjectInfo) -> str:
        return info.key[len(DATASETS_PREFIX) : -len(".parquet")]

    def _copy_path(self, key: str, info: ObjectInfo) -> Path:
        tag = hashlib.sha1(f"{key}:{info.etag}:{info.size}".encode()).hexdigest()  # a file name
        return self.copies_dir / f"{tag}.parquet"

    def is_local(self, key: str, info: ObjectInfo) -> bool:
        """Whether reading the object costs no download."""
        return self.store.local_path(key) is not None or self._copy_path(key, info).exists()

    async def local_file(self, key: str, info: ObjectInfo) -> Path:
        """A local file with the object's bytes: the store's own file when it has one, else a kept copy."""
        if (path := self.store.local_path(key)) is not None:
            return path
        local = self._copy_path(key, info)
        if not local.exists():
            local.parent.mkdir(parents=True, exist_ok=True)
            await self.store.download_to(key, local)
        return local

    async def read(self, dataset_id: str) -> StoredDataset | None:
        """The heavy dataset `dataset_id`, or None when the store has none of that name."""
        key = dataset_key(dataset_id)
        info = await self.store.head(key)
        if info is None:
            return None
        local = await self.local_file(key, info)
        md = await anyio.to_thread.run_sync(parquet.verify_parquet, local)
        bbox = await self._bbox(key, info, local)
        detail = await anyio.to_thread.run_sync(_detail, dataset_id, key, info, md, bbox)
        return StoredDataset(detail=detail, local=local, info=info, metadata=md)
