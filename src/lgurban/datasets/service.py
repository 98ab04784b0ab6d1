"""The dataset service: the portal catalog and the heavy datasets of the object store, behind one interface.

- `search`, `get`, `preview`, `time_info`, `is_geo` answer the API and the agent's tools. Portal answers are
  kept `OPENDATA_CACHE_TTL_S` seconds so an agent's repeated look-ups don't hammer the portal.
- `load_into_thread` puts a dataset into a thread's workspace as `datasets/<id>.parquet`: a heavy dataset
  (`input/datasets/<id>.parquet`) when the store has one, else the portal's Parquet export. Exports are
  cached content-addressed in the store (`cache/datasets/ab/<sha256>.parquet`, a `dataset_cache` row keyed
  by the portal's `modified` time and ETag) and downloaded again only when the portal says the data changed.
  Geographic data becomes GeoParquet. Each load is recorded in `dataset_loads` (provenance).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lgurban.datasets import geo
from lgurban.datasets.client import MAX_PAGE, OpendataClient, check_dataset_id
from lgurban.db.models import DatasetCache, DatasetLoad
from lgurban.errors import OpendataUnavailable
from lgurban.settings import Settings
from lgurban.storage.base import DATASETS_PREFIX, ObjectInfo, ObjectStore, dataset_key

log = logging.getLogger(__name__)

T = TypeVar("T")
CACHE_PREFIX = "cache/datasets/"
DATE_TYPES = ("date", "datetime")


def cache_key(sha256: str) -> str:
    return f"{CACHE_PREFIX}{sha256[:2]}/{sha256}.parquet"


class CorruptDownload(OpendataUnavailable):
    """The export is not a readable Parquet file (cut short, or something else than Parquet)."""


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def verify_parquet(path: Path) -> pq.FileMetaData:
    """The file's Parquet metadata, or CorruptDownload when the magic bytes or the footer are wrong."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(4)
            f.seek(max(0, size - 4))
            tail = f.read(4)
        if size < 12 or head != b"PAR1" or tail != b"PAR1":
            raise CorruptDownload(f"the download is not a complete Parquet file ({size} bytes)")
        return pq.read_metadata(path)
    except CorruptDownload:
        raise
    except (OSError, pa.ArrowException) as exc:
        raise CorruptDownload(f"the download is not a readable Parquet file: {exc}") from exc


def _arrow_type_name(t: pa.DataType) -> str:
    if pa.types.is_integer(t):
        return "int"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "double"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_timestamp(t):
        return "datetime"
    if pa.types.is_dictionary(t):
        return _arrow_type_name(t.value_type)
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return "binary"
    return "text"


class _TTLCache:
    def __init__(self, ttl_s: float, max_items: int = 512) -> None:
        self.ttl_s = ttl_s
        self.max_items = max_items
        self._items: dict[Any, tuple[float, Any]] = {}
        self._inflight: dict[Any, asyncio.Future[Any]] = {}

    def put(self, key: Any, value: Any) -> None:
        if self.ttl_s <= 0:
            return
        if len(self._items) >= self.max_items:
            now = time.monotonic()
            self._items = {k: v for k, v in self._items.items() if v[0] > now}
            while len(self._items) >= self.max_items:
                self._items.pop(next(iter(self._items)))
        self._items[key] = (time.monotonic() + self.ttl_s, value)

    async def get(self, key: Any, fetch: Callable[[], Awaitable[T]]) -> T:
        hit = self._items.get(key)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]  # type: ignore[no-any-return,unused-ignore]
        if (pending := self._inflight.get(key)) is not None:  # one fetch for concurrent identical look-ups
            return await asyncio.shield(pending)  # type: ignore[no-any-return,unused-ignore]
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._inflight[key] = fut
        try:
            value = await fetch()
        except Exception as exc:
            fut.set_exception(exc)
            fut.exception()  # mark retrieved
            raise
        except BaseException:  # cancelled: the callers waiting on this fetch are cancelled too
            fut.cancel()
            raise
        else:
            fut.set_result(value)
            self.put(key, value)
            return value
        finally:
            self._inflight.pop(key, None)


class DatasetService:
    def __init__(
        self,
        *,
        settings: Settings,
        store: ObjectStore,
        sessionmaker: async_sessionmaker[AsyncSession],
        client: OpendataClient | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.sessionmaker = sessionmaker
        self.client = client or OpendataClient(
            settings.opendata_base_url,
            timeout_s=settings.opendata_timeout_s,
            retries=settings.opendata_retries,
        )
        self._cache = _TTLCache(settings.opendata_cache_ttl_s)
        self._locks: dict[str, asyncio.Lock] = {}
        # dataset id → the task copying a fresh download into the store cache (after the workspace has it)
        self._publishing: dict[str, asyncio.Task[None]] = {}
        self.tmp_dir = (settings.data_dir / "tmp" / "datasets").resolve()
        self.store_copies = (settings.data_dir / "cache" / "store-datasets").resolve()

    async def wait_idle(self) -> None:
        """Wait for the store-cache copies still running (they never raise)."""
        while self._publishing:
            await asyncio.gather(*list(self._publishing.values()))

    async def close(self) -> None:
        await self.wait_idle()
        await self.client.close()

    async def _publish_in_background(self, dataset_id: str, publish: Any, src: Path) -> None:
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

    # --- the store's heavy datasets ------------------------------------------------------------------

    async def _store_items(self) -> list[ObjectInfo]:
        infos = await self.store.list(DATASETS_PREFIX)
        return [i for i in infos if i.key.endswith(".parquet") and "/" not in i.key[len(DATASETS_PREFIX) :]]

    @staticmethod
    def _store_id(info: ObjectInfo) -> str:
        return info.key[len(DATASETS_PREFIX) : -len(".parquet")]

    def _copy_path(self, key: str, info: ObjectInfo) -> Path:
        tag = hashlib.sha1(f"{key}:{info.etag}:{info.size}".encode()).hexdigest()  # a file name
        return self.store_copies / f"{tag}.parquet"

    def _local_copy_exists(self, key: str, info: ObjectInfo) -> bool:
        if self.store.backend == "local" and hasattr(self.store, "path_for"):
            return True
        return self._copy_path(key, info).exists()

    async def _store_local(self, key: str, info: ObjectInfo) -> Path:
        """A local file with the object's bytes: the file itself for the local store, else a kept copy."""
        path_for = getattr(self.store, "path_for", None)
        if self.store.backend == "local" and path_for is not None:
            return Path(path_for(key))
        local = self._copy_path(key, info)
        if not local.exists():
            local.parent.mkdir(parents=True, exist_ok=True)
            await self.store.download_to(key, local)
        return local

    async def _store_meta(self, dataset_id: str) -> dict[str, Any] | None:
        key = dataset_key(dataset_id)
        info = await self.store.head(key)
        if info is None:
            return None
        local = await self._store_local(key, info)
        md = await anyio.to_thread.run_sync(verify_parquet, local)
        schema = md.schema.to_arrow_schema()
        geo_info = geo.parquet_geo_info(schema)
        fields = [
            {
                "name": f.name,
                "label": f.name,
                "type": "geo" if geo_info and f.name in geo_info["fields"] else _arrow_type_name(f.type),
                "description": None,
            }
            for f in schema
        ]
        return {
            "id": dataset_id,
            "title": dataset_id.replace("-", " ").replace("_", " ").capitalize(),
            "description": f"Heavy dataset of this server ({key}).",
            "source": "store",
            "records_count": md.num_rows,
            "is_geo": geo_info is not None,
            "modified_at": _iso(info.modified_at),
            "fields": fields,
            "geo": geo_info,
            "license": None,
            "publisher": None,
            "_local": local,
            "_info": info,
            "_md": md,
        }

    # --- search --------------------------------------------------------------------------------------

    @staticmethod
    def _portal_item(meta: dict[str, Any]) -> dict[str, Any]:
        default = (meta.get("metas") or {}).get("default") or {}
        fields = meta.get("fields") or []
        geo_fields = [f.get("name") for f in fields if f.get("type") in geo.GEO_TYPES]
        return {
            "id": meta.get("dataset_id"),
            "title": default.get("title") or meta.get("dataset_id"),
            "description": default.get("description") or "",
            "source": "opendata",
            "records_count": default.get("records_count"),
            "is_geo": bool(geo_fields) or "geo" in (meta.get("features") or []),
            "modified_at": default.get("modified") or default.get("data_processed"),
        }

    async def search(self, q: str = "", limit: int = 20, offset: int = 0) -> dict[str, Any]:
        q = (q or "").strip()[:200]
        limit = max(1, min(int(limit), MAX_PAGE))
        offset = max(0, min(int(offset), 9_000))
        terms = [t.lower() for t in q.split()]
        store_items = [
            i for i in await self._store_items() if all(t in self._store_id(i).lower() for t in terms)
        ]
        store_page = store_items[offset : offset + limit]
        portal_offset = max(0, offset - len(store_items))
        portal_limit = limit - len(store_page)
        portal = await self._cache.get(
            ("search", q, portal_limit, portal_offset),
            lambda: self.client.search(q, limit=portal_limit, offset=portal_offset),
        )
        items: list[dict[str, Any]] = []
        for info in store_page:
            items.append(
                {
                    "id": self._store_id(info),
                    "title": self._store_id(info),
                    "description": f"Heavy dataset of this server ({info.key}).",
                    "source": "store",
                    "records_count": None,
                    "is_geo": False,
                    "modified_at": _iso(info.modified_at),
                }
            )
        with contextlib.suppress(Exception):  # records count and geo flag of the few store items shown,
            for item, info in zip(items, store_page, strict=True):  # when reading them costs no download
                if not self._local_copy_exists(info.key, info):
                    continue
                meta = await self._store_meta(item["id"])
                if meta:
                    item["records_count"], item["is_geo"] = meta["records_count"], meta["is_geo"]
        items.extend(self._portal_item(m) for m in portal.get("results") or [] if isinstance(m, dict))
        total = len(store_items) + int(portal.get("total_count") or 0)
        return {"total": total, "items": items}

    # --- one dataset ---------------------------------------------------------------------------------

    async def _portal_meta(self, dataset_id: str, *, fresh: bool = False) -> dict[str, Any]:
        if fresh:
            meta = await self.client.dataset(dataset_id)
            self._cache.put(("meta", dataset_id), meta)
            return meta
        return await self._cache.get(("meta", dataset_id), lambda: self.client.dataset(dataset_id))

    async def get(self, dataset_id: str) -> dict[str, Any]:
        check_dataset_id(dataset_id)
        stored = await self._store_meta(dataset_id)
        if stored is not None:
            out = {k: v for k, v in stored.items() if not k.startswith("_")}
            out["time_coverage"] = await self._store_time(stored)
            return out
        meta = await self._portal_meta(dataset_id)
        item = self._portal_item(meta)
        default = (meta.get("metas") or {}).get("default") or {}
        fields = [
            {
                "name": f.get("name"),
                "label": f.get("label") or f.get("name"),
                "type": f.get("type"),
                "description": f.get("description"),
            }
            for f in meta.get("fields") or []
        ]
        geo_fields = [f["name"] for f in fields if f["type"] in geo.GEO_TYPES]
        item.update(
            fields=fields,
            time_coverage=await self._portal_time(dataset_id, meta),
            geo={"fields": geo_fields, "bbox": None} if item["is_geo"] else None,
            license=default.get("license"),
            publisher=default.get("publisher"),
        )
        return item

    async def is_geo(self, dataset_id: str) -> dict[str, Any]:
        info = await self.get(dataset_id)
        body = info.get("geo") or {}
        return {
            "dataset_id": dataset_id,
            "is_geo": bool(info.get("is_geo")),
            "fields": body.get("fields", []),
            "bbox": body.get("bbox"),
        }

    async def time_info(self, dataset_id: str) -> dict[str, Any] | None:
        check_dataset_id(dataset_id)
        stored = await self._store_meta(dataset_id)
        if stored is not None:
            return await self._store_time(stored)
        return await self._portal_time(dataset_id, await self._portal_meta(dataset_id))

    async def _portal_time(self, dataset_id: str, meta: dict[str, Any]) -> dict[str, Any] | None:
        date_fields = [f.get("name") for f in meta.get("fields") or [] if f.get("type") in DATE_TYPES]
        if not date_fields:
            return None
        name = str(date_fields[0])

        async def fetch() -> dict[str, Any] | None:
            row = await self.client.aggregate(dataset_id, f"min({name}),max({name})")
            start, end = row.get(f"min({name})"), row.get(f"max({name})")
            if start is None and end is None:
                return None
            return {"field": name, "start": start, "end": end}

        return await self._cache.get(("time", dataset_id, name), fetch)

    async def _store_time(self, stored: dict[str, Any]) -> dict[str, Any] | None:
        md: pq.FileMetaData = stored["_md"]
        schema = md.schema.to_arrow_schema()
        names = [f.name for f in schema if pa.types.is_date(f.type) or pa.types.is_timestamp(f.type)]
        if not names:
            return None
        name = names[0]
        idx = schema.get_field_index(name)
        lo: Any = None
        hi: Any = None
        for rg in range(md.num_row_groups):
            stats = md.row_group(rg).column(idx).statistics
            if stats is None or not stats.has_min_max:
                return {"field": name, "start": None, "end": None}
            lo = stats.min if lo is None else min(lo, stats.min)
            hi = stats.max if hi is None else max(hi, stats.max)
        return {"field": name, "start": _iso(lo), "end": _iso(hi)}

    async def preview(self, dataset_id: str, limit: int = 10) -> dict[str, Any]:
        check_dataset_id(dataset_id)
        limit = max(1, min(int(limit), MAX_PAGE))
        stored = await self._store_meta(dataset_id)
        if stored is not None:
            return await anyio.to_thread.run_sync(_parquet_preview, stored["_local"], limit)
        meta = await self._portal_meta(dataset_id)
        columns = [str(f.get("name")) for f in meta.get("fields") or []]
        body = await self._cache.get(
            ("preview", dataset_id, limit), lambda: self.client.records(dataset_id, limit=limit)
        )
        rows = [r for r in body.get("results") or [] if isinstance(r, dict)]
        for r in rows:
            for k in r:
                if k not in columns:
                    columns.append(k)
        return {"columns": columns, "rows": [[r.get(c) for c in columns] for r in rows]}

    # --- loading into a thread -----------------------------------------------------------------------

    def _lock(self, dataset_id: str) -> asyncio.Lock:
        return self._locks.setdefault(dataset_id, asyncio.Lock())

    async def load_into_thread(
        self, *, session: AsyncSession, thread_id: uuid.UUID, dataset_id: str, workspace: Any
    ) -> dict[str, Any]:
        """Put the dataset at `datasets/<id>.parquet` in the workspace.

        Returns {path, rows, columns, bytes} (plus `source` and whether it came from a cache)."""
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
            src: Path = entry["local"]
            cleanup = entry.get("cleanup", False)
            try:
                await workspace.put_file(rel, src)
                if (publish := entry.get("publish")) is not None:
                    # the user has the data now; the copy into the store cache (and its fsync) runs after,
                    # and the temp file becomes that task's to delete
                    self._publishing[dataset_id] = asyncio.create_task(
                        self._publish_in_background(dataset_id, publish, src)
                    )
                    cleanup = False
                if entry.get("columns") is None:
                    md = await anyio.to_thread.run_sync(pq.read_metadata, src)
                    entry["columns"] = md.schema.to_arrow_schema().names
                    entry["rows"] = md.num_rows
            finally:
                if cleanup:
                    await anyio.Path(src).unlink(missing_ok=True)
        session.add(
            DatasetLoad(
                thread_id=thread_id,
                dataset_id=dataset_id,
                source=entry["source"],
                source_modified=entry["modified"],
                path=rel,
                rows=entry["rows"],
                columns=entry["columns"],
                bytes=entry["bytes"],
                sha256=entry["sha256"],
                fetched_at=entry["fetched_at"],
            )
        )
        await session.flush()
        return {
            "path": rel,
            "rows": entry["rows"],
            "columns": entry["columns"],
            "bytes": entry["bytes"],
            "source": entry["source"],
            "cached": entry.get("cached", False),
            **({"stale": True} if entry.get("stale") else {}),
        }

    async def _cache_row(self, dataset_id: str, fmt: str) -> DatasetCache | None:
        async with self.sessionmaker() as s:
            return (
                await s.execute(
                    select(DatasetCache).where(
                        DatasetCache.dataset_id == dataset_id, DatasetCache.format == fmt
                    )
                )
            ).scalar_one_or_none()

    async def _save_cache_row(self, dataset_id: str, fmt: str, values: dict[str, Any]) -> None:
        for _ in range(2):
            async with self.sessionmaker() as s:
                row = (
                    await s.execute(
                        select(DatasetCache).where(
                            DatasetCache.dataset_id == dataset_id, DatasetCache.format == fmt
                        )
                    )
                ).scalar_one_or_none()
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

    async def _from_store(self, dataset_id: str, info: ObjectInfo) -> dict[str, Any]:
        key = dataset_key(dataset_id)
        modified = info.etag or _iso(info.modified_at)
        local = await self._store_local(key, info)
        row = await self._cache_row(dataset_id, "store")
        if row is not None and row.source_modified == modified and row.bytes == info.size:
            sha, rows, fetched = row.sha256, row.rows, row.fetched_at
        else:
            md = await anyio.to_thread.run_sync(verify_parquet, local)
            sha = await anyio.to_thread.run_sync(_sha256_file, local)
            rows, fetched = md.num_rows, datetime.now(UTC)
            await self._save_cache_row(
                dataset_id,
                "store",
                {
                    "source": "store",
                    "source_modified": modified,
                    "etag": info.etag,
                    "store_key": key,
                    "sha256": sha,
                    "bytes": info.size,
                    "rows": rows,
                    "fetched_at": fetched,
                },
            )
        return {
            "local": local,
            "source": "store",
            "modified": modified,
            "sha256": sha,
            "rows": rows,
            "columns": None,
            "bytes": info.size,
            "fetched_at": fetched,
            "cached": True,
        }

    async def _from_portal(self, dataset_id: str) -> dict[str, Any]:
        row = await self._cache_row(dataset_id, "parquet")
        try:
            meta = await self._portal_meta(dataset_id, fresh=True)  # always ask: has the data changed?
        except OpendataUnavailable:
            # the portal is down or slow: a copy we already have is better than nothing (marked stale)
            if row is not None and (stale := await self._cached_entry(row, row.source_modified)) is not None:
                log.warning("open-data portal unavailable; loading the cached copy of %s", dataset_id)
                stale["stale"] = True
                return stale
            raise
        default = (meta.get("metas") or {}).get("default") or {}
        modified = default.get("data_processed") or default.get("modified")
        if row is not None and modified is not None and row.source_modified == modified:
            if (entry := await self._cached_entry(row, modified)) is not None:
                return entry
        etag = None
        if row is not None and row.etag:  # the portal's ETag may still say "unchanged" (a metadata-only edit)
            info = await self.store.head(row.store_key)
            etag = row.etag if info is not None and info.size == row.bytes else None
        return await self._download(dataset_id, meta, modified, if_none_match=etag, row=row)

    async def _cached_entry(self, row: DatasetCache, modified: str | None) -> dict[str, Any] | None:
        info = await self.store.head(row.store_key)
        if info is None or info.size != row.bytes:
            return None
        local, cleanup = await self._cached_local(row.store_key, info)
        return {
            "local": local,
            "cleanup": cleanup,
            "source": "opendata",
            "modified": modified,
            "sha256": row.sha256,
            "rows": row.rows,
            "columns": None,
            "bytes": row.bytes,
            "fetched_at": row.fetched_at,
            "cached": True,
        }

    async def _cached_local(self, key: str, info: ObjectInfo) -> tuple[Path, bool]:
        path_for = getattr(self.store, "path_for", None)
        if self.store.backend == "local" and path_for is not None:
            return Path(path_for(key)), False
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
    ) -> dict[str, Any]:
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        raw = self.tmp_dir / f"{uuid.uuid4().hex}.export.parquet"
        final = raw
        try:
            dl = await self.client.export_to(
                dataset_id,
                "parquet",
                raw,
                max_bytes=self.settings.opendata_max_export_bytes,
                if_none_match=if_none_match,
            )
            if dl.not_modified and row is not None:
                await self._save_cache_row(dataset_id, "parquet", {"source_modified": modified})
                row.source_modified = modified
                if (entry := await self._cached_entry(row, modified)) is not None:
                    return entry
                dl = await self.client.export_to(  # the cached object vanished meanwhile: fetch it
                    dataset_id, "parquet", raw, max_bytes=self.settings.opendata_max_export_bytes
                )
            md = await anyio.to_thread.run_sync(verify_parquet, raw)
            sha = dl.sha256
            geo_fields = [f.get("name") for f in meta.get("fields") or [] if f.get("type") in geo.GEO_TYPES]
            column = geo.source_column(md.schema.to_arrow_schema(), [str(g) for g in geo_fields])
            if column is not None:
                final = raw.with_name(raw.name.replace(".export.", ".geo."))
                try:
                    await anyio.to_thread.run_sync(geo.to_geoparquet, raw, final, column)
                except Exception:  # an unexpected geo encoding: keep the portal's file as it is
                    log.warning("could not build geometry for %s from %s", dataset_id, column, exc_info=True)
                    await anyio.Path(final).unlink(missing_ok=True)
                    final = raw
                else:
                    md = await anyio.to_thread.run_sync(verify_parquet, final)
                    sha = await anyio.to_thread.run_sync(_sha256_file, final)
            size = final.stat().st_size
            key = cache_key(sha)
            fetched = datetime.now(UTC)
            rows = md.num_rows
            columns = md.schema.to_arrow_schema().names
            src = final

            async def publish() -> None:
                # runs alongside the copy into the workspace (two independent copies of one local file)
                if await self.store.head(key) is None:
                    await self.store.put_file(key, src, content_type="application/vnd.apache.parquet")
                await self._save_cache_row(
                    dataset_id,
                    "parquet",
                    {
                        "source": "opendata",
                        "source_modified": modified,
                        "etag": dl.etag,
                        "store_key": key,
                        "sha256": sha,
                        "bytes": size,
                        "rows": rows,
                        "fetched_at": fetched,
                    },
                )

            return {
                "local": final,
                "cleanup": True,
                "source": "opendata",
                "modified": modified,
                "sha256": sha,
                "rows": rows,
                "columns": columns,
                "bytes": size,
                "fetched_at": fetched,
                "publish": publish,
            }
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                final.unlink()
            raise
        finally:
            if final != raw:
                with contextlib.suppress(FileNotFoundError):
                    raw.unlink()

    # --- what a thread has ---------------------------------------------------------------------------

    async def list_for_thread(self, *, workspace: Any) -> dict[str, Any]:
        """Heavy datasets available on this server and the files in the thread's workspace."""
        available = [
            {"id": self._store_id(i), "source": "store", "bytes": i.size, "modified_at": _iso(i.modified_at)}
            for i in await self._store_items()
        ]
        files = [
            {"path": f.path, "size": f.size, "modified_at": _iso(f.modified_at)}
            for f in await workspace.list_files()
        ]
        return {"available": available, "files": files}


def _parquet_preview(path: Path, limit: int) -> dict[str, Any]:
    pf = pq.ParquetFile(path)
    columns = pf.schema_arrow.names
    try:
        batch = next(pf.iter_batches(batch_size=limit))
    except StopIteration:
        return {"columns": columns, "rows": []}
    rows: list[list[Any]] = []
    for r in batch.to_pylist():
        row = []
        for c in columns:
            v = r.get(c)
            if isinstance(v, bytes):
                v = _wkt_or_size(v)
            elif isinstance(v, datetime | date):
                v = v.isoformat()
            row.append(v)
        rows.append(row)
    return {"columns": columns, "rows": rows}


def _wkt_or_size(value: bytes) -> str:
    try:
        import shapely

        return str(shapely.from_wkb(value).wkt)[:500]
    except Exception:
        return f"<{len(value)} bytes>"


def workspace_for(resources: Any, thread_id: uuid.UUID) -> Any:
    """The thread's workspace: the sandbox manager's when there is one, else the local folder."""
    if resources.sandboxes is not None:
        return resources.sandboxes.workspace(thread_id)
    from lgurban.sandbox.workspace import LocalWorkspace

    return LocalWorkspace(resources.settings.workspaces_dir / str(thread_id))
