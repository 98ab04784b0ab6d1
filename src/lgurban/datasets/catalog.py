"""The catalog: the portal's datasets and the store's heavy datasets behind one search, description, preview.

Portal answers are kept `OPENDATA_CACHE_TTL_S` seconds so an agent's repeated look-ups don't hammer the
portal.
"""

from __future__ import annotations

import contextlib
from typing import Any

import anyio

from lgurban.datasets import geo, parquet
from lgurban.datasets.client import MAX_PAGE, OpendataClient, check_dataset_id
from lgurban.datasets.heavy import HeavyDatasets
from lgurban.datasets.models import (
    CatalogItem,
    CatalogPage,
    DatasetDetail,
    DatasetField,
    GeoCheck,
    GeoInfo,
    Preview,
    TimeCoverage,
)
from lgurban.datasets.ttl_cache import TTLCache
from lgurban.storage.base import ObjectInfo

DATE_TYPES = ("date", "datetime")


def _default(meta: dict[str, Any]) -> dict[str, Any]:
    """The portal metadata's `metas.default` block (title, description, modified, license…)."""
    return (meta.get("metas") or {}).get("default") or {}


def portal_item(meta: dict[str, Any]) -> CatalogItem:
    """A search result from the portal's dataset metadata."""
    default = _default(meta)
    dataset_id = str(meta.get("dataset_id") or "")
    fields = meta.get("fields") or []
    geo_fields = [f.get("name") for f in fields if f.get("type") in geo.GEO_TYPES]
    return CatalogItem(
        id=dataset_id,
        title=default.get("title") or dataset_id,
        description=default.get("description") or "",
        source="opendata",
        records_count=default.get("records_count"),
        is_geo=bool(geo_fields) or "geo" in (meta.get("features") or []),
        modified_at=default.get("modified") or default.get("data_processed"),
    )


def _store_item(info: ObjectInfo) -> CatalogItem:
    """A search result for a heavy dataset, from its listing alone (no read)."""
    dataset_id = HeavyDatasets.id_of(info)
    return CatalogItem(
        id=dataset_id,
        title=dataset_id,
        description=f"Heavy dataset of this server ({info.key}).",
        source="store",
        records_count=None,
        is_geo=False,
        modified_at=parquet.iso(info.modified_at),
    )


class Catalog:
    def __init__(self, *, client: OpendataClient, heavy: HeavyDatasets, cache: TTLCache) -> None:
        self.client = client
        self.heavy = heavy
        self.cache = cache

    async def portal_meta(self, dataset_id: str, *, fresh: bool = False) -> dict[str, Any]:
        """The portal's metadata of a dataset; `fresh` asks the portal even when a cached copy is kept."""
        if fresh:
            meta = await self.client.dataset(dataset_id)
            self.cache.put(("meta", dataset_id), meta)
            return meta
        return await self.cache.get(("meta", dataset_id), lambda: self.client.dataset(dataset_id))

    async def search(self, q: str = "", limit: int = 20, offset: int = 0) -> CatalogPage:
        """The store's heavy datasets whose id has every term first, then the portal's results."""
        q = (q or "").strip()[:200]
        limit = max(1, min(int(limit), MAX_PAGE))
        offset = max(0, min(int(offset), 9_000))
        terms = [t.lower() for t in q.split()]
        store_items = [
            i for i in await self.heavy.list() if all(t in self.heavy.id_of(i).lower() for t in terms)
        ]
        store_page = store_items[offset : offset + limit]
        portal_offset = max(0, offset - len(store_items))
        portal_limit = limit - len(store_page)
        portal = await self.cache.get(
            ("search", q, portal_limit, portal_offset),
            lambda: self.client.search(q, limit=portal_limit, offset=portal_offset),
        )
        items = await self._store_page_items(store_page)
        items.extend(portal_item(m) for m in portal.get("results") or [] if isinstance(m, dict))
        total = len(store_items) + int(portal.get("total_count") or 0)
        return CatalogPage(total=total, items=items)

    async def _store_page_items(self, page: list[ObjectInfo]) -> list[CatalogItem]:
        items = [_store_item(info) for info in page]
        with contextlib.suppress(Exception):  # records count and geo flag of the few store items shown,
            for item, info in zip(items, page, strict=True):  # when reading them costs no download
                if not self.heavy.is_local(info.key, info):
                    continue
                stored = await self.heavy.read(item.id)
                if stored is not None:
                    item.records_count, item.is_geo = stored.detail.records_count, stored.detail.is_geo
        return items

    async def get(self, dataset_id: str) -> DatasetDetail:
        """A dataset with its fields, time coverage and geographic information."""
        check_dataset_id(dataset_id)
        stored = await self.heavy.read(dataset_id)
        if stored is not None:
            return stored.detail
        meta = await self.portal_meta(dataset_id)
        item = portal_item(meta)
        default = _default(meta)
        fields = [
            DatasetField(
                name=f.get("name"),
                label=f.get("label") or f.get("name"),
                type=f.get("type"),
                description=f.get("description"),
            )
            for f in meta.get("fields") or []
        ]
        geo_fields = [f.name for f in fields if f.type in geo.GEO_TYPES]
        return DatasetDetail(
            **item.model_dump(),
            fields=fields,
            time_coverage=await self._portal_time(dataset_id, meta),
            geo=GeoInfo(fields=geo_fields, bbox=None) if item.is_geo else None,
            license=default.get("license"),
            publisher=default.get("publisher"),
        )

    async def is_geo(self, dataset_id: str) -> GeoCheck:
        detail = await self.get(dataset_id)
        body = detail.geo or GeoInfo(fields=[])
        return GeoCheck(dataset_id=dataset_id, is_geo=detail.is_geo, fields=body.fields, bbox=body.bbox)

    async def time_info(self, dataset_id: str) -> TimeCoverage | None:
        check_dataset_id(dataset_id)
        stored = await self.heavy.read(dataset_id)
        if stored is not None:
            return stored.detail.time_coverage
        return await self._portal_time(dataset_id, await self.portal_meta(dataset_id))

    async def _portal_time(self, dataset_id: str, meta: dict[str, Any]) -> TimeCoverage | None:
        date_fields = [f.get("name") for f in meta.get("fields") or [] if f.get("type") in DATE_TYPES]
        if not date_fields:
            return None
        name = str(date_fields[0])

        async def fetch() -> TimeCoverage | None:
            row = await self.client.aggregate(dataset_id, f"min({name}),max({name})")
            start, end = row.get(f"min({name})"), row.get(f"max({name})")
            if start is None and end is None:
                return None
            return TimeCoverage(field=name, start=start, end=end)

        return await self.cache.get(("time", dataset_id, name), fetch)

    async def preview(self, dataset_id: str, limit: int = 10) -> Preview:
        """The first rows of a dataset, without loading it."""
        check_dataset_id(dataset_id)
        limit = max(1, min(int(limit), MAX_PAGE))
        stored = await self.heavy.read(dataset_id)
        if stored is not None:
            return await anyio.to_thread.run_sync(parquet.preview, stored.local, limit)
        meta = await self.portal_meta(dataset_id)
        columns = [str(f.get("name")) for f in meta.get("fields") or []]
        body = await self.cache.get(
            ("preview", dataset_id, limit), lambda: self.client.records(dataset_id, limit=limit)
        )
        rows = [r for r in body.get("results") or [] if isinstance(r, dict)]
        for r in rows:
            for k in r:
                if k not in columns:
                    columns.append(k)
        return Preview(columns=columns, rows=[[r.get(c) for c in columns] for r in rows])
