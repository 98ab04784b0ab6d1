"""The dataset routes over the real app (token auth, both DBs), against the fake portal."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests.fakes.opendatasoft import FakePortal


async def _start(start_app: Any, portal: FakePortal, **overrides: Any) -> Any:
    running = await start_app(
        opendata_base_url=portal.url,
        opendata_retries=1,
        opendata_timeout_s=2.0,
        sandbox_exec_timeout_s=60,
        sandbox_memory_mb=1024,
        **overrides,
    )
    running.resources.datasets.client.backoff_s = 0.01
    return running


async def test_search_detail_preview(start_app: Any, portal: FakePortal) -> None:
    running = await _start(start_app, portal)
    alice = await running.make_user()
    r = await alice.client.get("/api/datasets", params={"q": "incidenti"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 1
    assert body["items"][0] == {
        "id": "incidenti-stradali-quartieri",
        "title": "Incidenti stradali per quartiere",
        "description": "Numero mensile di incidenti stradali, feriti e morti nei quartieri di Bologna.",
        "source": "opendata",
        "records_count": 216,
        "is_geo": False,
        "modified_at": "2024-03-01T08:00:00Z",
    }
    detail = (await alice.client.get("/api/datasets/fermate-autobus")).json()
    assert detail["is_geo"] is True and detail["geo"]["fields"] == ["geo_point_2d"]
    min_lon, min_lat, max_lon, max_lat = detail["geo"]["bbox"]  # issue 16: its stops' bounds
    assert 11.2 < min_lon < max_lon < 11.5 and 44.4 < min_lat < max_lat < 44.6
    assert detail["time_coverage"] is None and len(detail["fields"]) == 6
    inc = (await alice.client.get("/api/datasets/incidenti-stradali-quartieri")).json()
    assert inc["time_coverage"] == {"field": "data", "start": "2021-01-01", "end": "2023-12-01"}
    prev = (
        await alice.client.get("/api/datasets/incidenti-stradali-quartieri/preview", params={"limit": 5})
    ).json()
    assert prev["columns"] == ["data", "quartiere", "numero_incidenti", "feriti", "morti"]
    assert len(prev["rows"]) == 5 and prev["rows"][0][0] == "2021-01-01"
    bad = await alice.client.get("/api/datasets/fermate-autobus/preview", params={"limit": 1000})
    assert bad.status_code == 422


@pytest.mark.parametrize("bad", ["a b", "it's", 'x"y', "x" * 300, "..x", "a;b"])
async def test_bad_ids_are_400_before_any_request(start_app: Any, portal: FakePortal, bad: str) -> None:
    running = await _start(start_app, portal)
    alice = await running.make_user()
    tid = await alice.thread()
    for r in (
        await alice.client.get(f"/api/datasets/{quote(bad, safe='%')}"),
        await alice.client.get(f"/api/datasets/{quote(bad, safe='%')}/preview"),
        await alice.client.post(f"/api/threads/{tid}/datasets", json={"dataset_id": bad}),
        await alice.client.post(f"/api/threads/{tid}/datasets", json={"dataset_id": "../x"}),
    ):
        assert r.status_code == 400, (bad, r.text)
        assert r.json()["error"]["code"] == "INVALID_DATASET_ID"
    assert portal.requests == []


def test_the_schema_gives_the_dataset_id_format(app: Any) -> None:
    """/openapi.json says what a dataset id looks like, exactly as the server checks it: every id the schema
    allows passes (no valid-by-schema request is refused), every id the check refuses is outside it."""
    import re

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from lgurban.datasets.client import check_dataset_id
    from lgurban.errors import InvalidDatasetId

    doc = app.openapi()
    params = doc["paths"]["/api/datasets/{dataset_id}"]["get"]["parameters"]
    schema = next(p["schema"] for p in params if p["name"] == "dataset_id")
    body = doc["components"]["schemas"]["LoadIn"]["properties"]["dataset_id"]
    assert body["pattern"] == schema["pattern"] and body["maxLength"] == schema["maxLength"] == 200
    pattern = re.compile(schema["pattern"])

    # the same 300 examples; generating them is slow on a loaded machine, which is no failure of the schema
    slow_ok = [HealthCheck.too_slow]

    @settings(max_examples=300, derandomize=True, database=None, suppress_health_check=slow_ok, deadline=None)
    @given(st.from_regex(pattern, fullmatch=True).filter(lambda s: len(s) <= 200))
    def allowed(value: str) -> None:
        assert check_dataset_id(value) == value

    allowed()
    for bad in ["a b", "it's", "..x", "a..b", "a;b", ".x", "x" * 201, "a\x00", "é"]:
        assert not (pattern.fullmatch(bad) and len(bad) <= 200), bad
        with pytest.raises(InvalidDatasetId):
            check_dataset_id(bad)
    for good in ["incidenti-stradali-quartieri", "a.b", "a.", "A_1-b.c.d", "x" * 200]:
        assert pattern.fullmatch(good) and check_dataset_id(good) == good


async def test_unknown_down_and_too_large(start_app: Any, portal: FakePortal) -> None:
    running = await _start(start_app, portal, opendata_max_export_bytes=2000)
    alice = await running.make_user()
    tid = await alice.thread()
    r = await alice.client.get("/api/datasets/non-esiste")
    assert r.status_code == 404 and r.json()["error"]["code"] == "DATASET_NOT_FOUND"
    r = await alice.client.post(f"/api/threads/{tid}/datasets", json={"dataset_id": "non-esiste"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "DATASET_NOT_FOUND"
    r = await alice.client.post(f"/api/threads/{tid}/datasets", json={"dataset_id": "fermate-autobus"})
    assert r.status_code == 413, r.text
    assert r.json()["error"]["code"] == "PAYLOAD_TOO_LARGE" and "2000" in r.json()["error"]["message"]
    portal.fail_next(503, times=5)
    r = await alice.client.get("/api/datasets", params={"q": "parcheggi"})
    assert r.status_code == 503 and r.json()["error"]["code"] == "OPENDATA_UNAVAILABLE"
    portal.clear_failures()
    portal.delay_s = 3.0
    r = await alice.client.get("/api/datasets/popolazione-residente-quartieri")
    assert r.status_code == 504 and r.json()["error"]["code"] == "OPENDATA_UNAVAILABLE"
    portal.delay_s = 0
    files = (await alice.client.get(f"/api/threads/{tid}/datasets")).json()
    assert files == {"available": [], "files": []}


async def test_load_into_a_thread_and_read_it_in_the_sandbox(start_app: Any, portal: FakePortal) -> None:
    running = await _start(start_app, portal)
    alice, bob = await running.make_user(), await running.make_user()
    tid = await alice.thread()
    r = await alice.client.post(f"/api/threads/{tid}/datasets", json={"dataset_id": "fermate-autobus"})
    assert r.status_code == 200, r.text
    loaded = r.json()
    assert loaded["path"] == "datasets/fermate-autobus.parquet" and loaded["rows"] == 250
    assert "geometry" in loaded["columns"] and loaded["bytes"] > 0
    r = await alice.client.post(
        f"/api/threads/{tid}/datasets", json={"dataset_id": "incidenti-stradali-quartieri"}
    )
    assert r.status_code == 200, r.text
    code = (
        "import pandas as pd, geopandas as gpd\n"
        "g = gpd.read_parquet('datasets/fermate-autobus.parquet')\n"
        "d = pd.read_parquet('datasets/incidenti-stradali-quartieri.parquet')\n"
        "print(len(g), g.geom_type.unique().tolist(), g.crs.to_epsg(), len(d),"
        " int(d['numero_incidenti'].sum() > 0))\n"
    )
    r = await alice.client.post(f"/api/threads/{tid}/execute", json={"code": code})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"], body
    assert body["stdout"].strip() == "250 ['Point'] 4326 216 1"
    listed = (await alice.client.get(f"/api/threads/{tid}/datasets")).json()
    assert sorted(f["path"] for f in listed["files"]) == [
        "datasets/fermate-autobus.parquet",
        "datasets/incidenti-stradali-quartieri.parquet",
    ]
    # another user's thread is a 404, and nothing is loaded there
    r = await bob.client.post(f"/api/threads/{tid}/datasets", json={"dataset_id": "fermate-autobus"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "THREAD_NOT_FOUND"
    assert (await bob.client.get(f"/api/threads/{tid}/datasets")).status_code == 404
