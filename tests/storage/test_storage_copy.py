"""`lgurban storage copy --to s3://…` (issue 12, plan §3.2): an embedded install's objects into a bucket,
resumable (a second run copies nothing), with a final check of every key."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import boto3
from typer.testing import CliRunner

from lgurban.cli import app as cli_app
from lgurban.storage import build_store
from lgurban.storage.local import LocalStore
from tests.storage.conftest import Moto, plain_settings, s3_settings

KEYS = {
    "output/t1/e1/plot.png": b"\x89PNG" + b"p" * 1000,
    "cache/datasets/fermate/parquet/abc": b"PAR1" + b"d" * 6 * 1024 * 1024,  # over one multipart part
    "output/exports/t1/report.csv": "città,n\nBologna,1\n".encode(),
}


def test_copy_is_complete_resumable_and_checked(
    tmp_path: Path, moto: Moto, bucket: str, monkeypatch: Any
) -> None:
    data = tmp_path / "data"
    local = build_store(plain_settings(data_dir=data))
    assert isinstance(local, LocalStore)

    async def put_all() -> None:
        for key, body in KEYS.items():
            await local.put_bytes(key, body)

    asyncio.run(put_all())
    s3 = {k: v for k, v in s3_settings(moto).items() if k != "storage_backend"}
    boto3.client(
        "s3",
        endpoint_url=moto.url,
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    for k, v in {**s3, "data_dir": data}.items():
        monkeypatch.setenv(k.upper(), str(v))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    first = runner.invoke(cli_app, ["storage", "copy", "--to", f"s3://{bucket}"])
    assert first.exit_code == 0, first.output
    assert (
        "3 objects: 3 copied" in first.output and f"check: all 3 objects are in s3://{bucket}" in first.output
    )
    target = build_store(plain_settings(**s3_settings(moto, s3_bucket=bucket), data_dir=tmp_path / "other"))

    async def read_all() -> dict[str, bytes]:
        got = {}
        try:
            for key in KEYS:
                await target.download_to(key, tmp_path / "got")
                got[key] = (tmp_path / "got").read_bytes()
        finally:
            await target.close()
        return got

    assert asyncio.run(read_all()) == KEYS

    again = runner.invoke(cli_app, ["storage", "copy", "--to", f"s3://{bucket}"])
    assert again.exit_code == 0 and "0 copied (0.0 MB), 3 already there" in again.output

    bad = runner.invoke(cli_app, ["storage", "copy", "--to", f"s3://{bucket}/prefix"])
    assert bad.exit_code == 2 and "s3://BUCKET" in bad.output
