"""The Opendatasoft client against the fake portal over real HTTP: queries, limits, errors, retries."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from lgurban.datasets.client import USER_AGENT, OpendataClient, check_dataset_id
from lgurban.errors import (
    BadRequest,
    DatasetNotFound,
    InvalidDatasetId,
    OpendataTimeout,
    OpendataUnavailable,
    PayloadTooLarge,
)
from tests.fakes.opendatasoft import FakePortal


@pytest.fixture
async def client(portal: FakePortal) -> AsyncIterator[OpendataClient]:
    c = OpendataClient(portal.url, timeout_s=1.0, retries=2, backoff_s=0.01)
    yield c
    await c.close()


async def test_search_sends_where_search_and_names_the_project(
    client: OpendataClient, portal: FakePortal
) -> None:
    body = await client.search("fermate autobus", limit=5)
    assert body["total_count"] == 1
    assert body["results"][0]["dataset_id"] == "fermate-autobus"
    req = portal.requests[-1]
    assert req["query"]["where"] == 'search("fermate autobus")'
    assert req["user_agent"] == USER_AGENT and "LG-Urban" in USER_AGENT
    everything = await client.search("", limit=100, order_by="title")
    assert everything["total_count"] == 4
    titles = [d["metas"]["default"]["title"] for d in everything["results"]]
    assert titles == sorted(titles)
    quoted = await client.search('say "hi"')  # quotes are escaped, not an injection
    assert quoted["total_count"] == 0


async def test_records_caps_the_page_and_the_window(client: OpendataClient, portal: FakePortal) -> None:
    body = await client.records("fermate-autobus", limit=500, offset=20_000)
    q = portal.requests[-1]["query"]
    assert int(q["limit"]) == 100 and int(q["offset"]) + int(q["limit"]) <= 10_000
    assert body["total_count"] == 250 and body["results"] == []
    page = await client.records("fermate-autobus", limit=100, offset=200)
    assert len(page["results"]) == 50
    savena = await client.get_json(
        "/catalog/datasets/incidenti-stradali-quartieri/records",
        {
            "refine": "quartiere:Savena",
            "order_by": "numero_incidenti desc",
            "select": "data,numero_incidenti",
        },
    )
    assert savena["total_count"] == 36 and set(savena["results"][0]) == {"data", "numero_incidenti"}
    counts = [r["numero_incidenti"] for r in savena["results"]]
    assert counts == sorted(counts, reverse=True)


async def test_portal_error_body_becomes_the_message(client: OpendataClient) -> None:
    with pytest.raises(BadRequest) as exc:
        await client.get_json("/catalog/datasets/fermate-autobus/records", {"limit": 200})
    assert "InvalidRESTParameterError" in exc.value.message and "limit" in exc.value.message
    with pytest.raises(BadRequest) as exc:
        await client.get_json("/catalog/datasets/fermate-autobus/records", {"limit": 100, "offset": 9950})
    assert "offset" in exc.value.message
    with pytest.raises(DatasetNotFound):
        await client.dataset("non-esiste")


async def test_aggregates_give_the_time_range(client: OpendataClient) -> None:
    row = await client.aggregate("incidenti-stradali-quartieri", "min(data),max(data)")
    assert row == {"min(data)": "2021-01-01", "max(data)": "2023-12-01"}


@pytest.mark.parametrize("bad", ["../x", "a b", 'a"b', "it's", "x" * 300, "", "a/b", "..", "-x"])
async def test_invalid_ids_are_refused_before_any_request(
    client: OpendataClient, portal: FakePortal, bad: str
) -> None:
    with pytest.raises(InvalidDatasetId):
        check_dataset_id(bad)
    with pytest.raises(InvalidDatasetId):
        await client.dataset(bad)
    with pytest.raises(InvalidDatasetId):
        await client.export_to(bad, "parquet", Path("/nonexistent/x"), max_bytes=10)
    assert portal.requests == []


async def test_transient_errors_are_retried_honouring_retry_after(
    client: OpendataClient, portal: FakePortal
) -> None:
    portal.fail_next(429, times=1, retry_after=0.3)
    portal.fail_next(503, times=1)
    started = time.monotonic()
    body = await client.dataset("fermate-autobus")
    assert body["dataset_id"] == "fermate-autobus"
    assert time.monotonic() - started >= 0.3
    assert len(portal.requests) == 3


async def test_a_portal_that_stays_down_is_unavailable_after_bounded_retries(
    client: OpendataClient, portal: FakePortal
) -> None:
    portal.fail_next(502, times=10)
    with pytest.raises(OpendataUnavailable) as exc:
        await client.search("x")
    assert exc.value.status == 503 and exc.value.code == "OPENDATA_UNAVAILABLE"
    assert len(portal.requests) == 3  # 1 + 2 retries


async def test_a_slow_portal_is_a_504(portal: FakePortal) -> None:
    c = OpendataClient(portal.url, timeout_s=0.2, retries=1, backoff_s=0.01)
    portal.delay_s = 1.0
    try:
        with pytest.raises(OpendataTimeout) as exc:
            await c.dataset("fermate-autobus")
        assert exc.value.status == 504 and exc.value.code == "OPENDATA_UNAVAILABLE"
    finally:
        await c.close()


async def test_unreachable_portal_is_unavailable() -> None:
    from tests.conftest import free_port

    c = OpendataClient(
        f"http://127.0.0.1:{free_port()}/api/explore/v2.1", timeout_s=1, retries=1, backoff_s=0.01
    )
    try:
        with pytest.raises(OpendataUnavailable):
            await c.search("x")
    finally:
        await c.close()


async def test_export_streams_to_disk_with_hash_and_validators(
    client: OpendataClient, portal: FakePortal, tmp_path: Path
) -> None:
    dest = tmp_path / "fermate.parquet"
    dl = await client.export_to("fermate-autobus", "parquet", dest, max_bytes=10**9)
    assert dl.bytes == dest.stat().st_size and dl.etag and dl.last_modified
    assert pq.read_table(dest).num_rows == 250
    import hashlib

    assert dl.sha256 == hashlib.sha256(dest.read_bytes()).hexdigest()
    for fmt in ("geojson", "csv"):
        out = await client.export_to("fermate-autobus", fmt, tmp_path / f"f.{fmt}", max_bytes=10**9)
        assert out.bytes > 1000
    assert sorted(os.listdir(tmp_path)) == ["f.csv", "f.geojson", "fermate.parquet"]


async def test_export_over_the_limit_is_413_and_leaves_nothing(
    client: OpendataClient, tmp_path: Path
) -> None:
    with pytest.raises(PayloadTooLarge) as exc:
        await client.export_to("fermate-autobus", "parquet", tmp_path / "x.parquet", max_bytes=1000)
    assert exc.value.status == 413 and exc.value.details["size"] > 1000
    assert str(exc.value.details["size"]) in exc.value.message
    assert os.listdir(tmp_path) == []


async def test_export_failing_midway_leaves_no_partial_file(
    client: OpendataClient, portal: FakePortal, tmp_path: Path
) -> None:
    portal.fail_next(500, times=5)
    with pytest.raises(OpendataUnavailable):
        await client.export_to("fermate-autobus", "parquet", tmp_path / "x.parquet", max_bytes=10**9)
    assert os.listdir(tmp_path) == []


async def test_an_unreachable_portal_fails_fast_after_one_retry() -> None:
    """Issue 19: nothing listening is retried once, not with the whole backoff (the Datasets panel said
    "Searching…" for ~10 s)."""
    from tests.conftest import free_port

    c = OpendataClient(f"http://127.0.0.1:{free_port()}/api/explore/v2.1", retries=3, backoff_s=0.5)
    try:
        t0 = time.monotonic()
        with pytest.raises(OpendataUnavailable) as exc:
            await c.search("x")
        assert time.monotonic() - t0 < 2.0
        assert "ConnectError" in str(exc.value) and "after 2 attempts" in str(exc.value)
    finally:
        await c.close()
