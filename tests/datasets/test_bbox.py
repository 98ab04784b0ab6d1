"""Dataset bbox (issue 16 item 4): a geo dataset's detail and is_geo carry [min_lon, min_lat, max_lon,
max_lat] of its geometries (portal datasets through their cached export, heavy ones from the file); null
otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely

from lgurban.datasets import geo
from lgurban.datasets.service import DatasetService
from lgurban.storage.base import dataset_key
from tests.datasets.test_service import _load, _thread, _ws
from tests.fakes.fixtures.opendatasoft_data import _CENTRI, _fermate
from tests.fakes.opendatasoft import FakePortal


def _points_bbox() -> list[float]:
    points = _fermate().column("geo_point_2d").to_pylist()
    lons, lats = [p["lon"] for p in points], [p["lat"] for p in points]
    return [min(lons), min(lats), max(lons), max(lats)]


async def test_portal_geo_datasets_have_the_bbox_of_their_geometries(
    service: DatasetService, portal: FakePortal, tmp_path: Path
) -> None:
    detail = await service.get("fermate-autobus")
    assert detail.geo is not None and detail.geo.bbox == pytest.approx(_points_bbox())
    check = await service.is_geo("fermate-autobus")
    assert check.bbox == detail.geo.bbox
    # polygons: the outer corners of the six quartieri (each ±0.02° around its centre)
    lats, lons = zip(*_CENTRI.values(), strict=True)
    quartieri = await service.get("quartieri")
    assert quartieri.geo is not None
    assert quartieri.geo.bbox == pytest.approx(
        [min(lons) - 0.02, min(lats) - 0.02, max(lons) + 0.02, max(lats) + 0.02]
    )
    assert (await service.get("incidenti-stradali-quartieri")).geo is None
    # one export each, kept in the store's cache: asking again and loading the dataset download nothing more
    await service.get("fermate-autobus")
    await service.wait_idle()
    thread_id = await _thread(service)
    loaded = await _load(service, thread_id, "fermate-autobus", _ws(service, thread_id))
    assert loaded.cached and portal.export_count["fermate-autobus"] == 1


async def test_large_or_failing_exports_leave_the_bbox_null(
    settings_factory: Any, portal: FakePortal, ds_settings: Any
) -> None:
    from lgurban.db.session import make_engine, make_sessionmaker
    from lgurban.storage import build_store

    settings = settings_factory(**{**ds_settings.model_dump(), "dataset_bbox_max_records": 100})
    store = build_store(settings)
    engine = make_engine(settings)
    svc = DatasetService(settings=settings, store=store, sessionmaker=make_sessionmaker(engine))
    try:
        big = await svc.get("fermate-autobus")  # 250 records > 100: not downloaded for its bbox
        assert big.geo is not None and big.geo.bbox is None
        assert portal.export_count["fermate-autobus"] == 0
        portal.failing_exports.add("quartieri")
        failed = await svc.get("quartieri")
        assert failed.geo is not None and failed.geo.bbox is None  # the detail still answers
    finally:
        await svc.close()
        await store.close()
        await engine.dispose()


async def test_heavy_datasets_without_bbox_metadata_get_it_computed(
    service: DatasetService, tmp_path: Path
) -> None:
    shapes = [shapely.Point(11.30, 44.48), shapely.LineString([(11.35, 44.47), (11.40, 44.52)]), None]
    table = pa.table({"name": ["a", "b", "c"], "geometry": pa.array(shapely.to_wkb(shapes), pa.binary())})
    path = tmp_path / "linee.parquet"
    pq.write_table(table, path)  # a `geometry` column, no GeoParquet metadata
    assert geo.file_bbox(path) == pytest.approx([11.30, 44.47, 11.40, 44.52])
    await service.store.put_file(dataset_key("linee-pesanti"), path)
    detail = await service.get("linee-pesanti")
    assert detail.source == "store" and detail.geo is not None
    assert detail.geo.bbox == pytest.approx([11.30, 44.47, 11.40, 44.52])
    plain = tmp_path / "plain.parquet"
    pq.write_table(pa.table({"x": [1, 2]}), plain)
    assert geo.file_bbox(plain) is None
