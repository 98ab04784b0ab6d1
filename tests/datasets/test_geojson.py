"""The map preview of a geo dataset (issue 16): GET /api/datasets/{id}/geojson over the real app (both DBs),
against the fake portal; and the base map the web app learns from /api/config/defaults."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely

from lgurban.datasets.geojson import file_features
from lgurban.storage.base import dataset_key
from tests.datasets.test_api import _start
from tests.fakes.fixtures.opendatasoft_data import _CENTRI, _fermate
from tests.fakes.opendatasoft import FakePortal


async def test_polygons_and_points_come_as_geojson_with_their_fields(
    start_app: Any, portal: FakePortal
) -> None:
    running = await _start(start_app, portal)
    alice = await running.make_user()
    r = await alice.client.get("/api/datasets/quartieri/geojson")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["type"] == "FeatureCollection" and body["total"] == 6 and body["truncated"] is False
    assert [f["geometry"]["type"] for f in body["features"]] == ["Polygon"] * 6
    first = body["features"][0]
    lat, lon = _CENTRI[first["properties"]["quartiere"]]
    ring = first["geometry"]["coordinates"][0]
    d = 0.02
    corners = [
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d],
    ]
    assert [pytest.approx(c) for c in corners] == ring
    # the record's fields, without the geo columns the geometry was made of
    assert set(first["properties"]) == {"quartiere", "codice_quartiere", "area_kmq"}

    stops = (await alice.client.get("/api/datasets/fermate-autobus/geojson")).json()
    expected = _fermate().to_pylist()
    assert stops["total"] == 250 and len(stops["features"]) == 250
    assert stops["features"][3]["geometry"] == {
        "type": "Point",
        "coordinates": [expected[3]["geo_point_2d"]["lon"], expected[3]["geo_point_2d"]["lat"]],
    }
    assert stops["features"][3]["properties"]["denominazione"] == expected[3]["denominazione"]
    few = (await alice.client.get("/api/datasets/fermate-autobus/geojson", params={"limit": 10})).json()
    assert len(few["features"]) == 10 and few["truncated"] is True
    # the detail (its bbox) and the map share one download of the export, cached in the store
    await alice.client.get("/api/datasets/fermate-autobus")
    await running.resources.datasets.wait_idle()
    assert portal.export_count["fermate-autobus"] == 1


async def test_clear_errors(start_app: Any, portal: FakePortal) -> None:
    running = await _start(start_app, portal, dataset_bbox_max_records=100)
    alice = await running.make_user()
    plain = await alice.client.get("/api/datasets/incidenti-stradali-quartieri/geojson")
    assert plain.status_code == 409 and plain.json()["error"]["code"] == "DATASET_NOT_GEO"
    big = await alice.client.get("/api/datasets/fermate-autobus/geojson")  # 250 records > 100
    assert big.status_code == 413 and big.json()["error"]["code"] == "DATASET_TOO_LARGE_FOR_MAP"
    assert "250" in big.json()["error"]["message"] and portal.export_count["fermate-autobus"] == 0
    missing = await alice.client.get("/api/datasets/non-esiste/geojson")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "DATASET_NOT_FOUND"
    for limit in (0, 20_001, "x"):
        bad = await alice.client.get("/api/datasets/quartieri/geojson", params={"limit": limit})
        assert bad.status_code == 422
    assert (await alice.client.get("/api/datasets/a%20b/geojson")).status_code == 400


async def test_heavy_geoparquet_datasets_are_read_from_the_store(
    start_app: Any, portal: FakePortal, tmp_path: Path
) -> None:
    running = await _start(start_app, portal)
    shapes = [shapely.Point(11.30, 44.48), None, shapely.LineString([(11.35, 44.47), (11.40, 44.52)])]
    table = pa.table(
        {
            "nome": ["a", "b", "c"],
            "giorno": [date(2024, 1, 2), None, date(2024, 3, 4)],
            "valore": [1.5, float("nan"), 3.0],
            "geometry": pa.array(shapely.to_wkb(shapes), pa.binary()),
        }
    )
    path = tmp_path / "linee.parquet"
    pq.write_table(table, path)
    await running.resources.store.put_file(dataset_key("linee-pesanti"), path)
    alice = await running.make_user()
    body = (await alice.client.get("/api/datasets/linee-pesanti/geojson")).json()
    assert [f["geometry"]["type"] for f in body["features"]] == ["Point", "LineString"]  # no null geometry
    assert body["features"][0]["properties"] == {"nome": "a", "giorno": "2024-01-02", "valore": 1.5}
    assert body["features"][1]["properties"]["valore"] == 3.0
    assert body["total"] == 3 and body["truncated"] is False


def test_a_file_without_geometry_has_no_features(tmp_path: Path) -> None:
    path = tmp_path / "plain.parquet"
    pq.write_table(pa.table({"x": [1, 2]}), path)
    assert file_features(path, 10) is None
    nan = tmp_path / "nan.parquet"
    pq.write_table(pa.table({"x": [float("nan")]}), nan)
    assert file_features(nan, 10) is None  # no geometry column either


async def test_the_web_app_learns_the_base_map_from_the_config(start_app: Any, portal: FakePortal) -> None:
    running = await _start(
        start_app,
        portal,
        map_tiles_url="https://tiles.example.org/{z}/{x}/{y}.png",
        map_tiles_attribution="© X",
    )
    alice = await running.make_user()
    body = (await alice.client.get("/api/config/defaults")).json()
    assert body["map_tiles"] == {"url": "https://tiles.example.org/{z}/{x}/{y}.png", "attribution": "© X"}


def test_a_preview_stops_at_its_size_in_bytes(tmp_path: Path) -> None:
    import json

    path = tmp_path / "punti.parquet"
    points = [shapely.Point(11.3 + i / 1000, 44.5) for i in range(100)]
    pq.write_table(pa.table({"n": list(range(100)), "geometry": pa.array(shapely.to_wkb(points))}), path)
    whole = json.loads(file_features(path, 1000) or b"")
    assert len(whole["features"]) == 100 and whole["truncated"] is False
    one = len(json.dumps(whole["features"][0], separators=(",", ":")))
    capped = json.loads(file_features(path, 1000, max_bytes=10 * (one + 1)) or b"")
    assert 8 <= len(capped["features"]) <= 10 and capped["truncated"] is True
    assert [f["properties"]["n"] for f in capped["features"]] == list(range(len(capped["features"])))
