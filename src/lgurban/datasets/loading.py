"""Loading a dataset into a thread's workspace as `datasets/<id>.parquet`.

A heavy dataset (`input/datasets/<id>.parquet`) comes from the store when it has one, else the portal's
Parquet export does. Exports are cached content-addressed in the store (`cache/datasets/ab/<sha256>.parquet`,
a `dataset_cache` row keyed by the portal's `modified` time and ETag) and downloaded again only when the
portal says the data changed; when the portal is down, the cached copy is loaded, marked stale. Geographic
data becomes GeoParquet. Each load is recorded in `dataset_loads` (provenance).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pyarrow.parquet as pq
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban.datasets import geo
from lgurban.datasets.cache_rows import CacheRows
from lgurban.datasets.catalog import Catalog
from lgurban.datasets.client import Download, check_dataset_id
from lgurban.datasets.heavy import HeavyDatasets
from lgurban.datasets.models import LoadResult
from lgurban.datasets.parquet import iso, sha256_file, verify_parquet
from lgurban.db.models import DatasetCache, DatasetLoad
from lgurban.errors import OpendataUnavailable
from lgurban.sandbox.workspace import Workspace
from lgurban.settings import Settings
from lgurban.storage.base import ObjectInfo, ObjectStore, dataset_key

log = logging.getLogger(__name__)

CACHE_PREFIX = "cache/datasets/"
T = TypeVar("T")


def cache_key(sha256: str) -> str:
    return f"{CACHE_PREFIX}{sha256[:2]}/{sha256}.parquet"


@dataclass
class _Entry:
    """Where a load's bytes are and what the provenance row records about them."""

    local: Path
    source: str
    modified: str | None
    sha256: str
    rows: int | None
    columns: list[str] | None  # None: read from the file's footer once it is in place
    bytes: int
    fetched_at: datetime
    cached: bool = False
    stale: bool = False
    etag: str | None = None
    license: str | None = None
    cleanup: bool = False  # `local` is a temp file of this load
    # copies a fresh download into the store cache; runs after the workspace has the file
    publish: Callable[[], Awaitable[None]] | None = None


class DatasetLoader:
    def __init__(
        self,
        *,
        settings: Settings,
        store: ObjectStore,
        catalog: Catalog,
        heavy: HeavyDatasets,
        cache_rows: CacheRows,
        tmp_dir: Path,
    ) -> None:
        self.settings = settings
        self.store = store
        self.catalog = catalog
        self.heavy = heavy
        self.rows = cache_rows
        self.tmp_dir = tmp_dir
        self._locks: dict[str, asyncio.Lock] = {}
        # dataset id → the task copying a fresh download into the store cache (after the workspace has it)
        self._publishing: dict[str, asyncio.Task[None]] = {}

    async def wait_idle(self) -> None:
        """Wait for the store-cache copies still running (they never raise)."""
        while self._publishing:
            await asyncio.gather(*list(self._publishing.values()))

    def _lock(self, dataset_id: str) -> asyncio.Lock:
        return self._locks.setdefault(dataset_id, asyncio.Lock())

    async def load_into_thread(
        self, *, session: AsyncSession, thread_id: uuid.UUID, dataset_id: str, workspace: Workspace
    ) -> LoadResult:
        """Put the dataset at `datasets/<id>.parquet` in the workspace and record the load in `session`."""
        check_dataset_id(dataset_id)
        rel = f"datasets/{dataset_id}.parquet"
        async with self._lock(dataset_id):
            if (pending := self._publishing.get(dataset_id)) is not None:
                await pending  # the previous download is being cached: use it
            info = await self.store.head(dataset_key(dataset_id))
            if info is not None:
                entry = await self._from_store(dataset_id, info)
            else:
                entry = await self._from_portal(dataset_id)
            await self._put_in_workspace(dataset_id, entry, workspace, rel)
        assert entry.columns is not None
        session.add(
            DatasetLoad(
                thread_id=thread_id,
                dataset_id=dataset_id,
                source=entry.source,
                source_modified=entry.modified,
                path=rel,
                rows=entry.rows,
                columns=entry.columns,
                bytes=entry.bytes,
                sha256=entry.sha256,
                etag=entry.etag,
                license=entry.license,
                fetched_at=entry.fetched_at,
            )
        )
        await session.flush()
        return LoadResult(
            path=rel,
            rows=entry.rows,
            columns=entry.columns,
            bytes=entry.bytes,
            source=entry.source,
            cached=entry.cached,
            stale=entry.stale,
        )

    async def portal_bbox(self, dataset_id: str) -> list[float] | None:
        """The bbox of a portal dataset's geometries, from its cached GeoParquet export (downloaded into the
        cache first when there is none: a later load reuses it)."""
        return await self.read_portal_export(dataset_id, geo.file_bbox)

    async def read_portal_export(self, dataset_id: str, read: Callable[[Path], T]) -> T:
        """`read(local file)` in a worker thread on a portal dataset's cached (GeoParquet) export, downloaded
        into the cache first when there is none."""
        async with self._lock(dataset_id):
            if (pending := self._publishing.get(dataset_id)) is not None:
                await pending
            entry = await self._from_portal(dataset_id)
            try:
                return await anyio.to_thread.run_sync(read, entry.local)
            finally:
                if entry.publish is not None:  # the task deletes the temp file once it is cached
                    self._publishing[dataset_id] = asyncio.create_task(
                        self._publish_in_background(dataset_id, entry.publish, entry.local)
                    )
                elif entry.cleanup:
                    await anyio.Path(entry.local).unlink(missing_ok=True)

    async def _put_in_workspace(self, dataset_id: str, entry: _Entry, workspace: Workspace, rel: str) -> None:
        cleanup = entry.cleanup
        try:
            await workspace.put_file(rel, entry.local)
            if entry.publish is not None:
                # the user has the data now; the copy into the store cache (and its fsync) runs after,
                # and the temp file becomes that task's to delete
                self._publishing[dataset_id] = asyncio.create_task(
                    self._publish_in_background(dataset_id, entry.publish, entry.local)
                )
                cleanup = False
            if entry.columns is None:
                md = await anyio.to_thread.run_sync(pq.read_metadata, entry.local)
                entry.columns = md.schema.to_arrow_schema().names
                entry.rows = md.num_rows
        finally:
            if cleanup:
                await anyio.Path(entry.local).unlink(missing_ok=True)

    async def _publish_in_background(
        self, dataset_id: str, publish: Callable[[], Awaitable[None]], src: Path
    ) -> None:
        try:
            await publish()
        except Exception:
            log.warning(
                "caching the download of %s in the store failed; it will be fetched again",
                dataset_id,
                exc_info=True,
            )
        finally:
            await anyio.Path(src).unlink(missing_ok=True)
            self._publishing.pop(dataset_id, None)

    async def _from_store(self, dataset_id: str, info: ObjectInfo) -> _Entry:
        """A heavy dataset; its hash is computed once per version (ETag or modification time, and size)."""
        key = dataset_key(dataset_id)
        modified = info.etag or iso(info.modified_at)
        local = await self.heavy.local_file(key, info)
        row = await self.rows.get(dataset_id, "store")
        if row is not None and row.source_modified == modified and row.bytes == info.size:
            sha, rows, fetched = row.sha256, row.rows, row.fetched_at
        else:
            md = await anyio.to_thread.run_sync(verify_parquet, local)
            sha = await anyio.to_thread.run_sync(sha256_file, local)
            rows, fetched = md.num_rows, datetime.now(UTC)
            await self.rows.save(
                dataset_id,
                "store",
                source="store",
                source_modified=modified,
                etag=info.etag,
                store_key=key,
                sha256=sha,
                bytes=info.size,
                rows=rows,
                fetched_at=fetched,
            )
        return _Entry(
            local=local,
            source="store",
            modified=modified,
            sha256=sha,
            rows=rows,
            columns=None,
            bytes=info.size,
            fetched_at=fetched,
            cached=True,
            etag=info.etag,
        )

    async def _from_portal(self, dataset_id: str) -> _Entry:
        row = await self.rows.get(dataset_id, "parquet")
        try:
            meta = await self.catalog.portal_meta(dataset_id, fresh=True)  # always ask: has the data changed?
        except OpendataUnavailable:
            # the portal is down or slow: a copy we already have is better than nothing (marked stale)
            if row is not None and (stale := await self._cached_entry(row, row.source_modified)) is not None:
                log.warning("open-data portal unavailable; loading the cached copy of %s", dataset_id)
                stale.stale = True
                return stale
            raise
        default = (meta.get("metas") or {}).get("default") or {}
        modified = default.get("data_processed") or default.get("modified")
        entry = None
        if row is not None and modified is not None and row.source_modified == modified:
            entry = await self._cached_entry(row, modified)
        if entry is None:
            etag = None
            if row is not None and row.etag:  # the ETag may still say "unchanged" (a metadata-only edit)
                info = await self.store.head(row.store_key)
                etag = row.etag if info is not None and info.size == row.bytes else None
            entry = await self._download(dataset_id, meta, modified, if_none_match=etag, row=row)
        entry.license = str(default["license"])[:500] if default.get("license") else None
        return entry

    async def _cached_entry(self, row: DatasetCache, modified: str | None) -> _Entry | None:
        """The store's cached copy of an export, or None when it is gone (or not what the row says)."""
        info = await self.store.head(row.store_key)
        if info is None or info.size != row.bytes:
            return None
        local, cleanup = await self._cached_local(row.store_key)
        return _Entry(
            local=local,
            cleanup=cleanup,
            source="opendata",
            modified=modified,
            sha256=row.sha256,
            rows=row.rows,
            columns=None,
            bytes=row.bytes,
            fetched_at=row.fetched_at,
            cached=True,
            etag=row.etag,
        )

    async def _cached_local(self, key: str) -> tuple[Path, bool]:
        """A local file with the object's bytes, and whether it is a temp copy to delete after use."""
        if (path := self.store.local_path(key)) is not None:
            return path, False
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.tmp_dir / f"{uuid.uuid4().hex}.parquet"
        await self.store.download_to(key, tmp)
        return tmp, True

    async def _download(
        self,
        dataset_id: str,
        meta: dict[str, Any],
        modified: str | None,
        *,
        if_none_match: str | None = None,
        row: DatasetCache | None = None,
    ) -> _Entry:
        """The portal's export (unless it answers "not modified" to the ETag); GeoParquet when geographic."""
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        raw = self.tmp_dir / f"{uuid.uuid4().hex}.export.parquet"
        final = raw
        try:
            dl = await self._export(dataset_id, raw, if_none_match)
            if dl.not_modified and row is not None:
                await self.rows.save(dataset_id, "parquet", source_modified=modified)
                row.source_modified = modified
                if (entry := await self._cached_entry(row, modified)) is not None:
                    return entry
                dl = await self._export(dataset_id, raw, None)  # the cached object vanished meanwhile
            final, md, sha = await self._with_geometry(dataset_id, meta, raw, dl.sha256)
            return self._fresh_entry(dataset_id, final, md, sha, modified, dl.etag)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                final.unlink()
            raise
        finally:
            if final != raw:
                with contextlib.suppress(FileNotFoundError):
                    raw.unlink()

    async def _export(self, dataset_id: str, dest: Path, if_none_match: str | None) -> Download:
        return await self.catalog.client.export_to(
            dataset_id,
            "parquet",
            dest,
            max_bytes=self.settings.opendata_max_export_bytes,
            if_none_match=if_none_match,
        )

    async def _with_geometry(
        self, dataset_id: str, meta: dict[str, Any], raw: Path, sha: str
    ) -> tuple[Path, pq.FileMetaData, str]:
        """GeoParquet (a new file next to `raw`) for geographic data, else `raw` itself; with its footer
        and hash."""
        md = await anyio.to_thread.run_sync(verify_parquet, raw)
        geo_fields = [str(f.get("name")) for f in meta.get("fields") or [] if f.get("type") in geo.GEO_TYPES]
        column = geo.source_column(md.schema.to_arrow_schema(), geo_fields)
        if column is None:
            return raw, md, sha
        out = raw.with_name(raw.name.replace(".export.", ".geo."))
        try:
            try:
                await anyio.to_thread.run_sync(geo.to_geoparquet, raw, out, column)
            except Exception:  # an unexpected geo encoding: keep the portal's file as it is
                log.warning("could not build geometry for %s from %s", dataset_id, column, exc_info=True)
                await anyio.Path(out).unlink(missing_ok=True)
                return raw, md, sha
            md = await anyio.to_thread.run_sync(verify_parquet, out)
            sha = await anyio.to_thread.run_sync(sha256_file, out)
            return out, md, sha
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                out.unlink()
            raise

    def _fresh_entry(
        self,
        dataset_id: str,
        src: Path,
        md: pq.FileMetaData,
        sha: str,
        modified: str | None,
        etag: str | None,
    ) -> _Entry:
        """A new download, with the task that caches it in the store (and records its `dataset_cache` row)."""
        size = src.stat().st_size
        key = cache_key(sha)
        fetched = datetime.now(UTC)
        rows = md.num_rows

        async def publish() -> None:
            # runs alongside the copy into the workspace (two independent copies of one local file)
            if await self.store.head(key) is None:
                await self.store.put_file(key, src, content_type="application/vnd.apache.parquet")
            await self.rows.save(
                dataset_id,
                "parquet",
                source="opendata",
                source_modified=modified,
                etag=etag,
                store_key=key,
                sha256=sha,
                bytes=size,
                rows=rows,
                fetched_at=fetched,
            )

        return _Entry(
            local=src,
            cleanup=True,
            source="opendata",
            modified=modified,
            sha256=sha,
            rows=rows,
            columns=md.schema.to_arrow_schema().names,
            bytes=size,
            fetched_at=fetched,
            publish=publish,
            etag=etag,
        )
