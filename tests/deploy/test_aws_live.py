"""deploy/README.md §1–3 against a real AWS account: the steps the offline tests check on moto and a local TLS
cluster, run for real. Opt-in: each test runs only when its credentials are set.

- S3 (§1–2): `LGURBAN_LIVE_S3_BUCKET` (a bucket the test may create and write to; it is left in place, with
  only keys under `output/exports/live-test/`) and the usual AWS credentials (`AWS_ACCESS_KEY_ID`/
  `AWS_SECRET_ACCESS_KEY` or a profile) with the admin policy, plus `AWS_REGION`.
- RDS (§3): `LGURBAN_LIVE_DATABASE_URL`, a PostgreSQL URL with `sslmode=verify-full&sslrootcert=…`, to an
  empty database the test may migrate.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from lgurban.settings import Settings
from lgurban.storage import build_store
from lgurban.storage.bootstrap import bootstrap
from lgurban.storage.s3 import S3Store
from tests.ops.test_db_check import _prepare
from tests.test_cli import lgurban

BUCKET = os.environ.get("LGURBAN_LIVE_S3_BUCKET")
DB_URL = os.environ.get("LGURBAN_LIVE_DATABASE_URL")
ORIGIN = "https://lgurban-live-test.example.org"

s3_live = pytest.mark.skipif(not BUCKET, reason="LGURBAN_LIVE_S3_BUCKET is not set: no real S3 bucket to use")
rds_live = pytest.mark.skipif(not DB_URL, reason="LGURBAN_LIVE_DATABASE_URL is not set: no real RDS to use")
pytestmark = pytest.mark.live


def _s3_settings(tmp_path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        environment="test",
        data_dir=tmp_path / "data",
        storage_backend="s3",
        s3_bucket=BUCKET,
        public_base_url=ORIGIN,
        _env_file=None,
    )


@s3_live
async def test_bootstrap_is_idempotent_and_links_are_regional(tmp_path: Path) -> None:
    settings = _s3_settings(tmp_path)
    await bootstrap(settings)
    assert await bootstrap(settings) == [], "a second bootstrap must find nothing to change"
    store = build_store(settings)
    assert isinstance(store, S3Store)
    try:
        assert await store.check() == "ok"
        key = f"output/exports/live-test/{uuid.uuid4().hex}.txt"
        await store.put_bytes(key, b"hello from the live test", content_type="text/plain")
        url = await store.signed_url(key, expires_in=120)
        host = urlsplit(url).hostname or ""
        assert host == f"{BUCKET}.s3.{settings.resolved_s3_region}.amazonaws.com", url
        async with httpx.AsyncClient(timeout=30) as client:
            got = await client.get(url, headers={"Origin": ORIGIN})
            assert got.status_code == 200 and got.content == b"hello from the live test"
            assert got.headers.get("access-control-allow-origin") == ORIGIN  # CORS set by bootstrap
            preflight = await client.options(
                url, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"}
            )
            assert preflight.status_code == 200
    finally:
        await store.close()


@rds_live
def test_db_upgrade_and_check_over_verified_tls(tmp_path: Path) -> None:
    assert DB_URL and "sslmode=verify-full" in DB_URL, "the live RDS URL must ask for verify-full TLS"
    up = lgurban("db", "upgrade", cwd=tmp_path, data_dir=tmp_path, database_url=DB_URL, timeout=300)
    assert up.returncode == 0, up.stderr
    _prepare(DB_URL, tmp_path)  # the checkpointer's tables, as the server makes them at its first start
    check = lgurban("db", "check", cwd=tmp_path, data_dir=tmp_path, database_url=DB_URL, timeout=300)
    assert check.returncode == 0, check.stderr
    assert "certificate and host name verified" in check.stdout and "tables present" in check.stdout
    password = urlsplit(DB_URL).password
    if password:
        assert password not in check.stdout + check.stderr  # the URL's password is never printed
