"""What a real AWS deployment of the S3 store needs (issue 12), against moto's S3 server over HTTP:
the IAM policies in deploy/aws/ allow every request the app and the admin commands make, the lifecycle covers
every prefix the app writes, presigned links are regional virtual-hosted and signed for the bucket's real
region, the bucket's CORS allows the app's own origin, links signed with temporary credentials are capped,
and archived objects answer 409 with a restore hint."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner

from lgurban.artifacts.service import ArtifactService
from lgurban.cli import app as cli_app
from lgurban.datasets.loading import cache_key
from lgurban.errors import ObjectArchived
from lgurban.storage import artifact_key, build_store, dataset_key
from lgurban.storage.bootstrap import bootstrap
from lgurban.storage.s3 import PART_SIZE, S3Store
from tests.storage.conftest import Moto, plain_settings, s3_settings
from tests.storage.iam import Recorder, Request, load_policy


def make_settings(tmp_path: Path, moto: Moto, **extra: Any) -> Any:
    return plain_settings(data_dir=tmp_path / "data", **s3_settings(moto, **extra))


async def test_every_request_the_app_makes_is_allowed_by_the_app_policy(
    s3_store: S3Store, tmp_path: Path, bucket: str
) -> None:
    recorder = Recorder()
    recorder.attach(s3_store.client)
    # an administrator's heavy dataset, uploaded out of band
    s3_store.client.put_object(Bucket=bucket, Key=dataset_key("alberi"), Body=b"PAR1xxxxPAR1")
    recorder.requests.clear()
    assert await s3_store.check() == "ok"
    src = tmp_path / "plot.png"
    src.write_bytes(os.urandom(2000))
    blob = await s3_store.put_content_addressed(src, content_type="image/png")
    await s3_store.put_content_addressed(src, content_type="image/png")  # deduplicated: a HEAD
    await s3_store.put_file("output/exports/20261202T000000.000000Z/plot.png", src, content_type="image/png")
    # the dataset service's cache of a portal export (the very key function it uses)
    await s3_store.put_file(cache_key("ab" * 32), src, content_type="application/vnd.apache.parquet")
    await s3_store.head(cache_key("ab" * 32))

    async def big() -> AsyncIterator[bytes]:
        yield os.urandom(PART_SIZE)
        yield b"tail"

    await s3_store.put_stream("output/exports/20261202T000001.000000Z/big.bin", big())
    await s3_store.download_to(dataset_key("alberi"), tmp_path / "alberi.parquet")
    assert b"".join([c async for c in s3_store.get_stream(blob.key)])
    await s3_store.signed_url(blob.key, expires_in=60)
    # the browser's GET of the presigned link is signed with the app's credentials: GetObject on the key
    recorder.requests.append(Request("GetObject", bucket, blob.key))
    assert {r.operation for r in recorder.requests} >= {"HeadBucket", "PutObject", "UploadPart", "HeadObject"}
    written = {r.key for r in recorder.requests if r.operation in {"PutObject", "CreateMultipartUpload"}}
    assert any(k and k.startswith("cache/datasets/") for k in written)
    assert recorder.denied(load_policy("iam-policy-app.json", bucket)) == []
    # and every prefix the app writes expires or archives by a lifecycle rule (exports are kept on purpose)
    rules = s3_store.client.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    lapsing = [r["Filter"]["Prefix"] for r in rules if "Expiration" in r and r["Filter"]["Prefix"]]
    for key in written:
        assert key is not None
        if not key.startswith("output/exports/"):
            assert any(key.startswith(p) for p in lapsing), f"no lifecycle rule covers {key}"


def test_dataset_upload_is_allowed_by_the_admin_policy(
    tmp_path: Path, moto: Moto, bucket: str, monkeypatch: Any
) -> None:
    """Regression: `datasets upload` HEADs what it uploaded; without s3:GetObject it reported a failure."""
    env = {k.upper(): str(v) for k, v in s3_settings(moto, s3_bucket=bucket).items()}
    env["DATA_DIR"] = str(tmp_path / "data")
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.chdir(tmp_path)
    recorder = Recorder()
    import lgurban.storage.s3 as s3_module

    real = s3_module.make_client

    def recording(*args: Any, **kwargs: Any) -> Any:
        client = real(*args, **kwargs)
        recorder.attach(client)
        return client

    monkeypatch.setattr(s3_module, "make_client", recording)
    runner = CliRunner()
    assert runner.invoke(cli_app, ["storage", "bootstrap"]).exit_code == 0
    recorder.requests.clear()
    src = tmp_path / "t.csv"
    src.write_text("a,b\n1,2\n")
    up = runner.invoke(cli_app, ["datasets", "upload", str(src), "--name", "t"])
    assert up.exit_code == 0, up.output
    assert recorder.requests and recorder.denied(load_policy("iam-policy-admin.json", bucket)) == []


@pytest.mark.parametrize("region", ["eu-south-1", "us-east-1"])
async def test_presigned_links_use_the_regional_virtual_hosted_endpoint(tmp_path: Path, region: str) -> None:
    settings = plain_settings(
        data_dir=tmp_path,
        storage_backend="s3",
        s3_bucket="lgurban-prod",
        s3_region=region,
        aws_access_key_id="AKIAEXAMPLE",
        aws_secret_access_key="secret",
    )
    store = build_store(settings)
    try:
        url = urlsplit(await store.signed_url(artifact_key("ab" * 32), expires_in=60, filename="a.csv"))
    finally:
        await store.close()
    assert url.scheme == "https"
    assert url.netloc == f"lgurban-prod.s3.{region}.amazonaws.com"
    assert url.path == "/" + artifact_key("ab" * 32)


def test_the_region_defaults_from_aws_region_then_aws_default_region(monkeypatch: Any) -> None:
    monkeypatch.delenv("S3_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-north-1")
    assert plain_settings().resolved_s3_region == "eu-north-1"
    monkeypatch.setenv("AWS_REGION", "eu-central-1")
    assert plain_settings().resolved_s3_region == "eu-central-1"
    monkeypatch.setenv("S3_REGION", "eu-south-1")
    assert plain_settings().resolved_s3_region == "eu-south-1"


async def test_a_wrong_region_is_corrected_from_the_bucket(tmp_path: Path, moto: Moto, bucket: str) -> None:
    assert await bootstrap(make_settings(tmp_path, moto, s3_bucket=bucket, s3_region="eu-south-1"))
    store = build_store(make_settings(tmp_path, moto, s3_bucket=bucket, s3_region="eu-west-1"))
    assert isinstance(store, S3Store)
    try:
        assert await store.check() == "ok"
        url = await store.signed_url(artifact_key("cd" * 32), expires_in=60)
    finally:
        await store.close()
    credential = parse_qs(urlsplit(url).query)["X-Amz-Credential"][0]
    assert "/eu-south-1/s3/aws4_request" in credential


async def test_bucket_cors_allows_the_apps_own_origin_by_default(
    tmp_path: Path, moto: Moto, bucket: str
) -> None:
    """Regression: CORS was set only with CORS_ORIGINS, yet the web app fetches presigned links (CSVs)."""
    settings = make_settings(tmp_path, moto, s3_bucket=bucket, public_base_url="https://lgurban.example.org/")
    changes = await bootstrap(settings)
    assert any("https://lgurban.example.org" in c and "CORS" in c for c in changes), changes
    rules = moto.client().get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert rules[0]["AllowedOrigins"] == ["https://lgurban.example.org"]
    assert set(rules[0]["AllowedMethods"]) >= {"GET", "HEAD"}


async def test_links_signed_with_temporary_credentials_are_capped(tmp_path: Path, monkeypatch: Any) -> None:
    """A presigned link dies with the session token that signed it: its lifetime is capped to 1 h."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ASIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "session-token")
    settings = plain_settings(data_dir=tmp_path, storage_backend="s3", s3_bucket="b", s3_region="eu-south-1")
    store = build_store(settings)
    try:
        assert store.max_presign_s == 3600
        assert ArtifactService(store=store, settings=settings).ttl == 3600
        query = parse_qs(urlsplit(await store.signed_url("output/exports/x", expires_in=86400)).query)
    finally:
        await store.close()
    assert query["X-Amz-Expires"] == ["3600"]
    assert query["X-Amz-Security-Token"] == ["session-token"]


async def test_an_archived_object_answers_409_with_a_restore_hint(s3_store: S3Store, tmp_path: Path) -> None:
    key = dataset_key("old")
    s3_store.client.put_object(Bucket=s3_store.bucket, Key=key, Body=b"x", StorageClass="GLACIER")
    with pytest.raises(ObjectArchived) as caught:
        await s3_store.download_to(key, tmp_path / "old.parquet")
    assert caught.value.status == 409 and "restore-object" in caught.value.message
    with pytest.raises(ObjectArchived):
        [c async for c in s3_store.get_stream(key)]
    assert not (tmp_path / "old.parquet").exists()
