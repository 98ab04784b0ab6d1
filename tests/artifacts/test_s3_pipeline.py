"""The artifact pipeline on S3 (moto's server over HTTP): presigned downloads, dedup, failure mid-upload."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from lgurban.storage.bootstrap import bootstrap
from tests.artifacts.test_ingest import PNG, count_rows, ingest
from tests.storage.conftest import CuttingProxy, Moto, plain_settings, s3_settings


async def make_bucket(tmp_path: Path, moto: Moto, bucket: str) -> None:
    settings = plain_settings(data_dir=tmp_path / "boot", **s3_settings(moto, s3_bucket=bucket))
    await bootstrap(settings)


async def test_download_redirects_to_a_presigned_s3_url(
    start_app: Any, moto: Moto, bucket: str, tmp_path: Path
) -> None:
    await make_bucket(tmp_path, moto, bucket)
    running = await start_app(**s3_settings(moto, s3_bucket=bucket), artifact_url_ttl_seconds=600)
    alice = await running.make_user()
    tid = await alice.thread()
    (running.workspace(tid).root / "artifacts" / "plot.png").write_bytes(PNG)
    result, _ = await ingest(running, tid, ["artifacts/plot.png"])
    [art] = result.artifacts
    r = await alice.client.get(f"/api/artifacts/{art.id}/download")
    assert r.status_code == 307
    location = r.headers["location"]
    sha = art.sha256
    assert urlsplit(location).path == f"/{bucket}/output/artifacts/{sha[:2]}/{sha[2:4]}/{sha}"
    assert parse_qs(urlsplit(location).query)["X-Amz-Expires"] == ["600"]
    async with httpx.AsyncClient() as http:
        got = await http.get(location)
    assert got.status_code == 200 and got.content == PNG
    assert got.headers["content-type"] == "image/png"
    assert 'filename="plot.png"' in got.headers["content-disposition"]
    # the same file in another thread: one blob, two rows
    tid2 = await alice.thread()
    (running.workspace(tid2).root / "artifacts" / "copy.png").write_bytes(PNG)
    await ingest(running, tid2, ["artifacts/copy.png"])
    assert len(moto.client().list_objects_v2(Bucket=bucket, Prefix="output/artifacts/")["Contents"]) == 1
    # the local store's /blobs route does not serve anything on S3
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=running.app), base_url="http://t") as anon:
        assert (await anon.get("/blobs/output/artifacts/x?exp=9999999999&sig=x")).status_code == 404
    # exports land in the bucket too
    (running.workspace(tid).root / "datasets" / "d.csv").write_text("a\n1\n")
    r = await alice.client.post(f"/api/threads/{tid}/exports", json={"path": "datasets/d.csv"})
    assert r.status_code == 200
    async with httpx.AsyncClient() as http:
        assert (await http.get(r.json()["url"])).text == "a\n1\n"


async def test_s3_gone_mid_upload_leaves_no_row(
    start_app: Any, moto: Moto, bucket: str, tmp_path: Path
) -> None:
    await make_bucket(tmp_path, moto, bucket)
    proxy = await CuttingProxy(int(moto.url.rsplit(":", 1)[1]), cut_after=20 * 1024 * 1024).start()
    try:
        settings = s3_settings(moto, s3_bucket=bucket, s3_endpoint_url=proxy.url)
        running = await start_app(**settings)
        alice = await running.make_user()
        tid = await alice.thread()
        root = running.workspace(tid).root / "artifacts"
        (root / "big.bin").write_bytes(os.urandom(40 * 1024 * 1024))
        result, _ = await ingest(running, tid, ["artifacts/big.bin"])
    finally:
        await proxy.close()
    assert proxy.cut
    assert result.artifacts == []
    [note] = result.notes
    assert "big.bin was not saved" in note and "unreachable" in note
    assert await count_rows(running, tid) == 0
    listing = moto.client().list_objects_v2(Bucket=bucket, Prefix="output/")
    assert listing.get("KeyCount", 0) == 0
    staging = running.resources.settings.data_dir / "tmp" / "s3-staging"
    assert list(staging.iterdir()) == []
