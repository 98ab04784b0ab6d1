"""What only the S3 store does (its shared behaviour is in test_contract.py) and the bucket set-up, against
moto's S3 server over real HTTP."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner

from lgurban.cli import app as cli_app
from lgurban.errors import StorageUnavailable
from lgurban.settings import Settings
from lgurban.storage import build_store, dataset_key
from lgurban.storage.bootstrap import bootstrap
from lgurban.storage.s3 import PART_SIZE, S3Store
from tests.storage.conftest import Moto, plain_settings, s3_settings


def make_settings(tmp_path: Path, moto: Moto, **extra: Any) -> Settings:
    return plain_settings(data_dir=tmp_path / "data", **s3_settings(moto, **extra))


@pytest.fixture
def store(s3_store: S3Store) -> S3Store:
    return s3_store


async def test_the_given_content_type_is_stored(store: S3Store, tmp_path: Path) -> None:
    src = tmp_path / "a.parquet"
    src.write_bytes(b"PAR1xxxxPAR1")
    info = await store.put_file(dataset_key("a"), src, content_type="application/vnd.apache.parquet")
    assert info.size == 12 and info.content_type == "application/vnd.apache.parquet"
    head = await store.head(dataset_key("a"))
    assert head is not None and head.content_type == "application/vnd.apache.parquet"


async def test_stream_upload_is_multipart(store: S3Store) -> None:
    parts = [os.urandom(PART_SIZE // 2) for _ in range(5)]

    async def chunks() -> AsyncIterator[bytes]:
        for p in parts:
            yield p

    info = await store.put_stream(
        "output/exports/t/big.bin", chunks(), content_type="application/octet-stream"
    )
    assert info.size == sum(map(len, parts))
    head = await store.head("output/exports/t/big.bin")
    assert head is not None and head.size == info.size
    assert head.etag is not None and head.etag.endswith("-3")  # three parts: streamed, not buffered whole
    data = b"".join([c async for c in store.get_stream("output/exports/t/big.bin")])
    assert hashlib.sha256(data).digest() == hashlib.sha256(b"".join(parts)).digest()


async def test_presigned_url_is_sigv4_and_capped_at_7_days(store: S3Store, tmp_path: Path) -> None:
    src = tmp_path / "map.html"
    src.write_bytes(b"<html></html>")
    blob = await store.put_content_addressed(src, content_type="text/html")
    url = await store.signed_url(blob.key, expires_in=900, filename="carte.html", content_type="text/html")
    assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["900"]
    assert urlsplit(url).path.endswith(f"/{blob.key}")
    # SigV4 cannot sign for more than 7 days: a longer TTL is capped, not an error
    assert store.max_presign_s == 604800
    long = await store.signed_url(blob.key, expires_in=30 * 86400)
    assert parse_qs(urlsplit(long).query)["X-Amz-Expires"] == ["604800"]


async def test_archived_blob_is_uploaded_again(store: S3Store, tmp_path: Path) -> None:
    """Regression: a deduplicated blob already moved to Glacier would give links that cannot be read."""
    src = tmp_path / "t.csv"
    src.write_text("a,b\n1,2\n")
    first = await store.put_content_addressed(src)
    store.client.copy_object(
        Bucket=store.artifacts_bucket,
        Key=first.key,
        CopySource={"Bucket": store.artifacts_bucket, "Key": first.key},
        StorageClass="GLACIER",
    )
    assert store.client.head_object(Bucket=store.artifacts_bucket, Key=first.key)["StorageClass"] == "GLACIER"
    again = await store.put_content_addressed(src)
    assert again.created
    assert store.client.head_object(Bucket=store.artifacts_bucket, Key=first.key).get("StorageClass") in (
        None,
        "STANDARD",
    )


async def test_bootstrap_applies_and_reads_back(tmp_path: Path, moto: Moto, bucket: str) -> None:
    settings = make_settings(tmp_path, moto, s3_bucket=bucket, cors_origins="https://app.example.org")
    changes = await bootstrap(settings)
    joined = "\n".join(changes)
    for what in (
        "created bucket",
        "public access",
        "versioning",
        "encryption",
        "lgurban-artifacts-archive",
        "CORS",
    ):
        assert what in joined, what
    s3 = moto.client()
    assert s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] == "eu-west-1"
    pab = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert pab == {
        k: True for k in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
    }
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    enc = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert enc[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    rules = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]}
    archive = rules["lgurban-artifacts-archive"]
    assert archive["Status"] == "Enabled" and archive["Filter"]["Prefix"] == "output/artifacts/"
    assert archive["Transitions"] == [{"Days": 90, "StorageClass": "GLACIER"}]
    assert archive["Expiration"]["Days"] == 365
    # nothing expires under input/
    for rule in rules.values():
        prefix = rule.get("Filter", {}).get("Prefix", "")
        assert not (rule.get("Expiration") and "input/".startswith(prefix))
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"][0]["AllowedOrigins"] == ["https://app.example.org"]
    # idempotent: a second run changes nothing
    assert await bootstrap(settings) == []
    # drift is repaired, and only the drift is reported
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
    s3.delete_bucket_lifecycle(Bucket=bucket)
    again = await bootstrap(settings)
    assert len(again) == 4 and "versioning" in again[0]  # versioning + 3 lifecycle rules (issue 12: cache)
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"


async def test_split_buckets_route_by_prefix(tmp_path: Path, moto: Moto, bucket: str) -> None:
    settings = make_settings(
        tmp_path, moto, s3_datasets_bucket=bucket + "-in", s3_artifacts_bucket=bucket + "-out"
    )
    await bootstrap(settings)
    store = build_store(settings)
    try:
        await store.put_bytes(dataset_key("d"), b"PAR1")
        await store.put_bytes("output/exports/x/y.txt", b"y")
        s3 = moto.client()
        assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket + "-in")["Contents"]] == [
            "input/datasets/d.parquet"
        ]
        assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket + "-out")["Contents"]] == [
            "output/exports/x/y.txt"
        ]
        # only the artifacts bucket gets the archive rule
        rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket + "-in")["Rules"]
        assert [r["ID"] for r in rules] == ["lgurban-abort-incomplete-uploads"]
    finally:
        await store.close()


async def test_check_names_the_setting(tmp_path: Path, moto: Moto, bucket: str) -> None:
    missing = build_store(make_settings(tmp_path, moto, s3_bucket=bucket))
    reason = await missing.check()
    assert "does not exist" in reason and "S3_BUCKET" in reason and "bootstrap" in reason
    await missing.close()
    nowhere = build_store(
        make_settings(tmp_path, moto, s3_bucket=bucket, s3_endpoint_url="http://127.0.0.1:9")
    )
    reason = await nowhere.check()
    assert "S3_ENDPOINT_URL" in reason
    await nowhere.close()
    with pytest.raises(Exception, match="S3_BUCKET"):
        build_store(make_settings(tmp_path, moto))


async def test_app_refuses_to_start_without_its_bucket(
    settings_factory: Any, moto: Moto, bucket: str
) -> None:
    from lgurban.app import create_app
    from lgurban.errors import ConfigurationError

    application = create_app(settings_factory(**s3_settings(moto, s3_bucket=bucket)))
    with pytest.raises(ConfigurationError, match="S3_BUCKET"):
        async with application.router.lifespan_context(application):
            pass


async def test_upload_fails_cleanly_when_s3_goes_away(store: S3Store, tmp_path: Path, moto: Moto) -> None:
    src = tmp_path / "x.bin"
    src.write_bytes(os.urandom(1000))
    moto.stop()
    with pytest.raises(StorageUnavailable, match="unreachable"):
        await store.put_content_addressed(src)
    assert list((tmp_path / "data" / "tmp" / "s3-staging").iterdir()) == []


def test_cli_bootstrap_and_dataset_upload(tmp_path: Path, moto: Moto, bucket: str, monkeypatch: Any) -> None:
    env = {k.upper(): str(v) for k, v in s3_settings(moto, s3_bucket=bucket).items()}
    env["DATA_DIR"] = str(tmp_path / "data")
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.chdir(tmp_path)  # no stray .env
    runner = CliRunner()
    first = runner.invoke(cli_app, ["storage", "bootstrap"])
    assert first.exit_code == 0, first.output
    assert f"changed: {bucket}: created bucket" in first.output
    second = runner.invoke(cli_app, ["storage", "bootstrap"])
    assert second.exit_code == 0 and "nothing changed" in second.output
    assert "testing" not in first.output + second.output  # never prints credentials
    csv = tmp_path / "trees.csv"
    csv.write_text("id,height\n1,10.5\n2,7\n")
    up = runner.invoke(cli_app, ["datasets", "upload", str(csv), "--name", "alberi"])
    assert up.exit_code == 0, up.output
    assert "input/datasets/alberi.parquet" in up.output
    import io

    import pyarrow.parquet as pq

    body = moto.client().get_object(Bucket=bucket, Key="input/datasets/alberi.parquet")["Body"].read()
    table = pq.read_table(io.BytesIO(body))
    assert table.column_names == ["id", "height"] and table.num_rows == 2
    bad = runner.invoke(cli_app, ["datasets", "upload", str(csv), "--name", "../evil"])
    assert bad.exit_code == 2 and "invalid dataset name" in bad.output


async def test_bad_credentials_are_named(
    tmp_path: Path, strict_moto: Moto, bucket: str, settings_factory: Any
) -> None:
    from lgurban.app import create_app
    from lgurban.errors import ConfigurationError

    wrong = s3_settings(
        strict_moto, s3_bucket=bucket, aws_access_key_id="AKIAWRONG", aws_secret_access_key="nope"
    )
    store = build_store(plain_settings(data_dir=tmp_path / "data", **wrong))
    reason = await store.check()
    await store.close()
    assert "denied" in reason and "AWS_ACCESS_KEY_ID" in reason and "S3_BUCKET" in reason
    assert "nope" not in reason and "AKIAWRONG" not in reason
    application = create_app(settings_factory(**wrong))
    with pytest.raises(ConfigurationError, match="AWS_ACCESS_KEY_ID"):
        async with application.router.lifespan_context(application):
            pass
