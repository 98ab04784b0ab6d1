"""The dataset service: the portal catalog and the heavy datasets of the object store, behind one interface.

`search`, `get`, `preview`, `time_info`, `is_geo` answer the API and the agent's tools (datasets/catalog.py);
`load_into_thread` puts a dataset into a thread's workspace (datasets/loading.py). Results are the records of
datasets/models.py.
"""

from __future__ import annotations

import logging
import uuid
from functools import partial

import anyio
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lgurban.datasets import geojson
from lgurban.datasets.cache_rows import CacheRows
from lgurban.datasets.catalog import Catalog
from lgurban.datasets.client import OpendataClient
from lgurban.datasets.heavy import HeavyDatasets
from lgurban.datasets.loading import DatasetLoader
from lgurban.datasets.models import (
    AvailableDataset,
    CatalogPage,
    DatasetDetail,
    GeoCheck,
    GeoInfo,
    LoadResult,
    Preview,
    ThreadDatasets,
    ThreadFile,
    TimeCoverage,
)
from lgurban.datasets.parquet import CorruptDownload, iso
from lgurban.datasets.ttl_cache import TTLCache
from lgurban.errors import DatasetNotGeo, DatasetTooLargeForMap
from lgurban.observability import metrics
from lgurban.sandbox.workspace import Workspace
from lgurban.settings import Settings
from lgurban.storage.base import ObjectStore

__all__ = ["CorruptDownload", "DatasetService"]

log = logging.getLogger(__name__)


class DatasetService:
    """The catalog and the loader over one portal client, one store and one TTL cache."""

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
        self.tmp_dir = (settings.data_dir / "tmp" / "datasets").resolve()
        self.heavy = HeavyDatasets(store, (settings.data_dir / "cache" / "store-datasets").resolve())
        self.catalog = Catalog(
            client=self.client, heavy=self.heavy, cache=TTLCache(settings.opendata_cache_ttl_s)
        )
        self.loader = DatasetLoader(
            settings=settings,
            store=store,
            catalog=self.catalog,
            heavy=self.heavy,
            cache_rows=CacheRows(sessionmaker),
            tmp_dir=self.tmp_dir,
        )
        # (dataset id, modified) → the bbox of a portal dataset's geometries (issue 16)
        self._bboxes = TTLCache(settings.opendata_cache_ttl_s)
        # (dataset id, modified, limit) → a portal dataset's map preview (GeoJSON text, a few MB at most)
        self._geojson = TTLCache(settings.opendata_cache_ttl_s, max_items=8)

    async def wait_idle(self) -> None:
        """Wait for the store-cache copies still running (they never raise)."""
        await self.loader.wait_idle()

    async def close(self) -> None:
        await self.wait_idle()
        await self.client.close()

    async def search(self, q: str = "", limit: int = 20, offset: int = 0) -> CatalogPage:
        """Search the server's heavy datasets and the portal by keywords."""
        return await self.catalog.search(q, limit, offset)

    async def get(self, dataset_id: str) -> DatasetDetail:
        """A dataset with its fields, time coverage and geographic information (with the bbox of its
        geometries: [min_lon, min_lat, max_lon, max_lat])."""
        return await self._with_bbox(await self.catalog.get(dataset_id))

    async def is_geo(self, dataset_id: str) -> GeoCheck:
        detail = await self.get(dataset_id)
        body = detail.geo or GeoInfo(fields=[])
        return GeoCheck(dataset_id=dataset_id, is_geo=detail.is_geo, fields=body.fields, bbox=body.bbox)

    async def _with_bbox(self, detail: DatasetDetail) -> DatasetDetail:
        """A portal geo dataset's bbox comes from its export (cached in the store, so a later load reuses it);
        one over DATASET_BBOX_MAX_RECORDS is not downloaded for it, and a failed export leaves it null."""
        geo_info = detail.geo
        if geo_info is None or geo_info.bbox is not None or detail.source != "opendata":
            return detail
        if (detail.records_count or 0) > self.settings.dataset_bbox_max_records:
            return detail
        try:
            bbox = await self._bboxes.get(
                (detail.id, detail.modified_at), lambda: self.loader.portal_bbox(detail.id)
            )
        except Exception:
            log.warning("no bbox for %s: its export could not be read", detail.id, exc_info=True)
            return detail
        return detail.model_copy(update={"geo": geo_info.model_copy(update={"bbox": bbox})})

    async def geojson(self, dataset_id: str, limit: int) -> bytes:
        """A geographic dataset's first `limit` features as GeoJSON text (models.GeoPreview), each with its
        record's fields as properties; the portal's export is downloaded into the cache as for a load, and the
        text is kept OPENDATA_CACHE_TTL_S for this version of the data."""
        detail = await self.catalog.get(dataset_id)
        if not detail.is_geo:
            raise DatasetNotGeo(f"{dataset_id} has no geometry to draw on a map", dataset_id=dataset_id)
        read = partial(geojson.file_features, limit=limit)
        stored = await self.heavy.read(dataset_id)
        if stored is not None:
            body = await anyio.to_thread.run_sync(read, stored.local)
        else:
            if (detail.records_count or 0) > self.settings.dataset_bbox_max_records:
                raise DatasetTooLargeForMap(
                    f"{dataset_id} has {detail.records_count:,} records, more than the map preview reads "
                    f"({self.settings.dataset_bbox_max_records:,}): load it into a thread and map it there",
                    dataset_id=dataset_id,
                )
            body = await self._geojson.get(
                (dataset_id, detail.modified_at, limit),
                lambda: self.loader.read_portal_export(dataset_id, read),
            )
        if body is None:
            raise DatasetNotGeo(f"{dataset_id} has no geometry column in its data", dataset_id=dataset_id)
        return body

    async def time_info(self, dataset_id: str) -> TimeCoverage | None:
        return await self.catalog.time_info(dataset_id)

    async def preview(self, dataset_id: str, limit: int = 10) -> Preview:
        """The first rows of a dataset, without loading it."""
        return await self.catalog.preview(dataset_id, limit)

    async def load_into_thread(
        self, *, session: AsyncSession, thread_id: uuid.UUID, dataset_id: str, workspace: Workspace
    ) -> LoadResult:
        """Put the dataset at `datasets/<id>.parquet` in the workspace (recorded in `dataset_loads`)."""
        try:
            result = await self.loader.load_into_thread(
                session=session, thread_id=thread_id, dataset_id=dataset_id, workspace=workspace
            )
        except Exception:
            metrics.DATASET_LOADS.labels("unknown", "false", "error").inc()
            raise
        metrics.DATASET_LOADS.labels(result.source, str(result.cached).lower(), "ok").inc()
        return result

    async def list_for_thread(self, *, workspace: Workspace) -> ThreadDatasets:
        """Heavy datasets available on this server and the files in the thread's workspace."""
        available = [
            AvailableDataset(
                id=self.heavy.id_of(i), source="store", bytes=i.size, modified_at=iso(i.modified_at)
            )
            for i in await self.heavy.list()
        ]
        files = [
            ThreadFile(path=f.path, size=f.size, modified_at=iso(f.modified_at))
            for f in await workspace.list_files()
        ]
        return ThreadDatasets(available=available, files=files)
