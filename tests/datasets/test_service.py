"""DatasetService on the real local store and both databases, against the fake portal over real HTTP."""

from __future__ import annotations

import uuid
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from lgurban.datasets.models import LoadResult
from lgurban.datasets.parquet import CorruptDownload
from lgurban.datasets.service import DatasetService
from lgurban.db.models import DatasetCache, DatasetLoad, Thread, User
from lgurban.errors import DatasetNotFound, InvalidDatasetId, OpendataUnavailable, PayloadTooLarge
from lgurban.sandbox.workspace import LocalWorkspace
from lgurban.storage.base import dataset_key
from tests.fakes.opendatasoft import FakePortal


async def _thread(service: DatasetService) -> uuid.UUID:
    async with service.sessionmaker() as s:
        user = User(name=f"u-{uuid.uuid4().hex[:8]}")
        s.add(user)
        await s.flush()
        thread = Thread(owner_id=user.id, title="t")
        s.add(thread)
        await s.commit()
        return thread.id


async def _load(
    service: DatasetService, thread_id: uuid.UUID, dataset_id: str, ws: LocalWorkspace
) -> LoadResult:
    async with service.sessionmaker() as s:
        out = await service.load_into_thread(
            session=s, thread_id=thread_id, dataset_id=dataset_id, workspace=ws
        )
        await s.commit()
        return out


def _ws(service: DatasetService, thread_id: uuid.UUID) -> LocalWorkspace:
    return LocalWorkspace(service.settings.workspaces_dir / str(thread_id))


async def test_search_merges_store_and_portal(service: DatasetService) -> None:
    table = pa.table({"anno": [2020, 2021], "valore": [1.5, 2.5]})
    path = service.settings.data_dir / "heavy.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    await service.store.put_file(dataset_key("consumi-storici"), path)
    found = await service.search("", 20, 0)
    assert found.total == 5
    assert found.items[0].model_dump() == {
        "id": "consumi-storici",
        "title": "consumi-storici",
        "description": "Heavy dataset of this server (input/datasets/consumi-storici.parquet).",
        "source": "store",
        "records_count": 2,
        "is_geo": False,
        "modified_at": found.items[0].modified_at,
    }
    assert {i.source for i in found.items[1:]} == {"opendata"}
    page2 = await service.search("", 2, 2)  # crosses the store → portal boundary
    assert [i.id for i in page2.items] == [i.id for i in found.items[2:4]]
    only = await service.search("fermate", 10, 0)
    assert only.total == 1 and only.items[0].is_geo is True
    detail = await service.get("consumi-storici")
    assert detail.source == "store" and [f.name for f in detail.fields] == ["anno", "valore"]
    prev = await service.preview("consumi-storici", 1)
    assert prev.model_dump() == {"columns": ["anno", "valore"], "rows": [[2020, 1.5]]}


async def test_metadata_fields_time_and_geo(service: DatasetService, portal: FakePortal) -> None:
    inc = await service.get("incidenti-stradali-quartieri")
    assert inc.title == "Incidenti stradali per quartiere" and inc.records_count == 216
    assert inc.fields[0].model_dump() == {
        "name": "data",
        "label": "Data",
        "type": "date",
        "description": "Mese di riferimento",
    }
    assert inc.time_coverage is not None
    assert inc.time_coverage.model_dump() == {"field": "data", "start": "2021-01-01", "end": "2023-12-01"}
    assert inc.is_geo is False and inc.geo is None
    assert inc.license == "CC BY 4.0" and inc.publisher == "Comune di Bologna"
    fermate = await service.is_geo("fermate-autobus")
    assert fermate.is_geo is True and fermate.fields == ["geo_point_2d"]
    assert await service.time_info("popolazione-residente-quartieri") is None
    prev = await service.preview("fermate-autobus", 3)
    assert prev.columns[0] == "codice_fermata" and len(prev.rows) == 3
    # repeated look-ups within the TTL do not go back to the portal
    before = len(portal.requests)
    await service.get("incidenti-stradali-quartieri")
    await service.time_info("incidenti-stradali-quartieri")
    await service.search("", 20, 0)
    await service.search("", 20, 0)
    assert len(portal.requests) == before + 1  # only the first search of these
    with pytest.raises(DatasetNotFound):
        await service.get("non-esiste")
    with pytest.raises(InvalidDatasetId):
        await service.get("../etc")


async def test_load_then_cache_then_refresh_when_the_portal_changes(
    service: DatasetService, portal: FakePortal
) -> None:
    tid = await _thread(service)
    ws = _ws(service, tid)
    first = await _load(service, tid, "incidenti-stradali-quartieri", ws)
    assert first.path == "datasets/incidenti-stradali-quartieri.parquet"
    assert first.rows == 216 and first.columns[:2] == ["data", "quartiere"] and not first.cached
    df = pd.read_parquet(ws.root / first.path)
    assert len(df) == 216 and df["numero_incidenti"].sum() > 0
    second = await _load(service, tid, "incidenti-stradali-quartieri", ws)
    assert second.cached and second.rows == 216 and second.bytes == first.bytes
    assert portal.export_count["incidenti-stradali-quartieri"] == 1
    portal.touch("incidenti-stradali-quartieri")
    third = await _load(service, tid, "incidenti-stradali-quartieri", ws)
    assert not third.cached and portal.export_count["incidenti-stradali-quartieri"] == 2
    await service.wait_idle()  # the store-cache copy runs after the workspace has the file
    async with service.sessionmaker() as s:
        loads = (
            (
                await s.execute(
                    select(DatasetLoad).where(DatasetLoad.thread_id == tid).order_by(DatasetLoad.loaded_at)
                )
            )
            .scalars()
            .all()
        )
        cache = (
            await s.execute(
                select(DatasetCache).where(DatasetCache.dataset_id == "incidenti-stradali-quartieri")
            )
        ).scalar_one()
    assert len(loads) == 3
    assert {ld.source for ld in loads} == {"opendata"} and all(len(ld.sha256) == 64 for ld in loads)
    assert (
        loads[0].source_modified == "2024-03-01T08:00:00Z"
        and loads[2].source_modified != loads[0].source_modified
    )
    assert loads[0].rows == 216 and loads[0].bytes == first.bytes and loads[0].columns == first.columns
    assert cache.source_modified == loads[2].source_modified and cache.etag
    assert await service.store.head(cache.store_key) is not None
    # nothing left in the temp folder
    assert list(service.tmp_dir.iterdir()) == []


async def test_geographic_data_becomes_geoparquet(service: DatasetService) -> None:
    tid = await _thread(service)
    ws = _ws(service, tid)
    out = await _load(service, tid, "fermate-autobus", ws)
    assert out.rows == 250 and "geometry" in out.columns
    gdf = gpd.read_parquet(ws.root / out.path)
    assert len(gdf) == 250 and gdf.geometry.name == "geometry"
    assert set(gdf.geom_type) == {"Point"} and gdf.crs is not None and gdf.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = gdf.total_bounds
    assert 11.2 < minx < maxx < 11.5 and 44.4 < miny < maxy < 44.6
    row = gdf.iloc[0]
    assert row.geometry.x == pytest.approx(row["geo_point_2d"]["lon"])
    assert row.geometry.y == pytest.approx(row["geo_point_2d"]["lat"])


async def test_corrupt_download_is_detected_and_not_kept(service: DatasetService, portal: FakePortal) -> None:
    tid = await _thread(service)
    ws = _ws(service, tid)
    portal.corrupt_exports.add("popolazione-residente-quartieri")
    with pytest.raises(CorruptDownload):
        await _load(service, tid, "popolazione-residente-quartieri", ws)
    assert await ws.list_files() == []
    assert list(service.tmp_dir.iterdir()) == []
    assert await service.store.list("cache/datasets/") == []
    async with service.sessionmaker() as s:
        rows = (await s.execute(select(DatasetLoad).where(DatasetLoad.thread_id == tid))).scalars().all()
    assert rows == []


async def test_portal_down_during_load_leaves_nothing_half_written(
    service: DatasetService, portal: FakePortal
) -> None:
    tid = await _thread(service)
    ws = _ws(service, tid)
    await service.get("popolazione-residente-quartieri")  # metadata is fine, the export fails
    portal.fail_next(503, times=1)  # the fresh metadata look-up is retried and succeeds …
    portal.fail_next(503, times=1)
    await _load(service, tid, "popolazione-residente-quartieri", ws)
    portal.touch("popolazione-residente-quartieri")
    portal.fail_next(500, times=1)  # metadata ok after a retry, then the export never works
    portal.failing_exports.add("popolazione-residente-quartieri")
    before = (ws.root / "datasets/popolazione-residente-quartieri.parquet").read_bytes()
    with pytest.raises(OpendataUnavailable) as exc:
        await _load(service, tid, "popolazione-residente-quartieri", ws)
    assert exc.value.status == 503 and "export" in exc.value.message
    # the earlier copy is untouched, no temp files anywhere
    assert (ws.root / "datasets/popolazione-residente-quartieri.parquet").read_bytes() == before
    assert [p.name for p in (ws.root / "datasets").iterdir()] == ["popolazione-residente-quartieri.parquet"]
    assert list(service.tmp_dir.iterdir()) == []


async def test_export_over_the_limit_is_refused(service: DatasetService) -> None:
    service.settings.opendata_max_export_bytes = 500
    tid = await _thread(service)
    with pytest.raises(PayloadTooLarge):
        await _load(service, tid, "fermate-autobus", _ws(service, tid))
    assert list(service.tmp_dir.iterdir()) == []


async def test_heavy_dataset_comes_from_the_store(
    service: DatasetService, portal: FakePortal, tmp_path: Path
) -> None:
    path = tmp_path / "h.parquet"
    pq.write_table(
        pa.table(
            {
                "data": pa.array([pd.Timestamp("2020-01-01").date(), pd.Timestamp("2022-06-30").date()]),
                "v": [1, 2],
            }
        ),
        path,
    )
    await service.store.put_file(dataset_key("letture-pesanti"), path)
    tid = await _thread(service)
    ws = _ws(service, tid)
    out = await _load(service, tid, "letture-pesanti", ws)
    assert out.model_dump() == {
        "path": "datasets/letture-pesanti.parquet",
        "rows": 2,
        "columns": ["data", "v"],
        "bytes": path.stat().st_size,
        "source": "store",
        "cached": True,
    }
    assert (ws.root / out.path).read_bytes() == path.read_bytes()
    coverage = await service.time_info("letture-pesanti")
    assert coverage is not None and coverage.model_dump() == {
        "field": "data",
        "start": "2020-01-01",
        "end": "2022-06-30",
    }
    assert portal.requests == []
    listed = await service.list_for_thread(workspace=ws)
    assert {"id": "letture-pesanti", "source": "store", "bytes": path.stat().st_size}.items() <= (
        listed.available[0].model_dump().items()
    )
    assert [f.path for f in listed.files] == ["datasets/letture-pesanti.parquet"]


async def test_concurrent_loads_of_one_dataset_download_it_once(
    service: DatasetService, portal: FakePortal
) -> None:
    import asyncio

    t1, t2 = await _thread(service), await _thread(service)
    a, b = await asyncio.gather(
        _load(service, t1, "incidenti-stradali-quartieri", _ws(service, t1)),
        _load(service, t2, "incidenti-stradali-quartieri", _ws(service, t2)),
    )
    assert portal.export_count["incidenti-stradali-quartieri"] == 1
    assert sorted([a.cached, b.cached]) == [False, True]
    assert (_ws(service, t1).root / a.path).read_bytes() == (_ws(service, t2).root / b.path).read_bytes()


async def test_portal_down_loads_the_cached_copy_marked_stale(
    service: DatasetService, portal: FakePortal
) -> None:
    tid = await _thread(service)
    ws = _ws(service, tid)
    await _load(service, tid, "incidenti-stradali-quartieri", ws)
    portal.fail_next(503, times=10)
    out = await _load(service, tid, "incidenti-stradali-quartieri", ws)
    assert out.cached and out.stale and out.rows == 216
    portal.clear_failures()
    fresh = await _load(service, tid, "incidenti-stradali-quartieri", ws)
    assert not fresh.stale and "stale" not in fresh.model_dump()  # shown only when true
    # without a cached copy, a portal that is down is still an error
    portal.fail_next(503, times=10)
    with pytest.raises(OpendataUnavailable):
        await _load(service, tid, "fermate-autobus", ws)


async def test_shapes_become_polygons(service: DatasetService) -> None:
    info = await service.is_geo("quartieri")
    assert info.is_geo and info.fields == ["geo_point_2d", "geo_shape"]
    tid = await _thread(service)
    ws = _ws(service, tid)
    out = await _load(service, tid, "quartieri", ws)
    gdf = gpd.read_parquet(ws.root / out.path)
    assert len(gdf) == 6 and set(gdf.geom_type) == {"Polygon"}  # built from geo_shape, not the point
    assert gdf.crs.to_epsg() == 4326
    navile = gdf[gdf["quartiere"] == "Navile"].iloc[0]
    assert navile.geometry.contains(gpd.points_from_xy([11.345], [44.525])[0])
    meta = pq.read_schema(ws.root / out.path).metadata[b"geo"]
    assert b'"bbox"' in meta and b'"Polygon"' in meta


async def test_unexpected_geo_encoding_still_loads_the_data(
    service: DatasetService, portal: FakePortal
) -> None:
    from tests.fakes.fixtures.opendatasoft_data import FixtureDataset

    portal.add_dataset(
        FixtureDataset(
            dataset_id="aree-verdi",
            title="Aree verdi",
            description="Parchi e giardini.",
            fields=[
                {"name": "nome", "label": "Nome", "type": "text"},
                {"name": "geo_shape", "label": "Geo Shape", "type": "geo_shape"},
            ],
            build=lambda: pa.table({"nome": ["Giardini Margherita"], "geo_shape": ["non è GeoJSON"]}),
            geo_fields=["geo_shape"],
        )
    )
    tid = await _thread(service)
    ws = _ws(service, tid)
    out = await _load(service, tid, "aree-verdi", ws)
    assert out.rows == 1 and out.columns == ["nome", "geo_shape"]
    assert pd.read_parquet(ws.root / out.path)["nome"].tolist() == ["Giardini Margherita"]
    await service.wait_idle()
    assert list(service.tmp_dir.iterdir()) == []


async def test_metadata_only_change_is_answered_by_the_etag(
    service: DatasetService, portal: FakePortal
) -> None:
    tid = await _thread(service)
    ws = _ws(service, tid)
    await _load(service, tid, "popolazione-residente-quartieri", ws)
    await service.wait_idle()
    portal.touch_metadata("popolazione-residente-quartieri")
    out = await _load(service, tid, "popolazione-residente-quartieri", ws)
    assert out.cached and out.rows == 72
    assert portal.export_count["popolazione-residente-quartieri"] == 1
    assert portal.not_modified_count["popolazione-residente-quartieri"] == 1
    again = await _load(service, tid, "popolazione-residente-quartieri", ws)  # the new `modified` is recorded
    assert again.cached and portal.not_modified_count["popolazione-residente-quartieri"] == 1
    async with service.sessionmaker() as s:
        loads = (
            (
                await s.execute(
                    select(DatasetLoad).where(DatasetLoad.thread_id == tid).order_by(DatasetLoad.loaded_at)
                )
            )
            .scalars()
            .all()
        )
    assert loads[0].source_modified != loads[1].source_modified == loads[2].source_modified
    assert loads[0].sha256 == loads[1].sha256
