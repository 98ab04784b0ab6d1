"""Expired artifacts (issue 12): a row whose blob the store no longer has (a lifecycle rule deleted it)
answers 410 ARTIFACT_EXPIRED with a message, and is marked expired; other artifacts still download."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx

from lgurban.db.models import Artifact
from lgurban.storage.base import artifact_key
from tests.artifacts.conftest import Running, User
from tests.artifacts.test_ingest import PNG, ingest
from tests.artifacts.test_s3_pipeline import make_bucket
from tests.storage.conftest import Moto, s3_settings


async def two_artifacts(running: Running) -> tuple[User, str, str, str]:
    """A user's thread with two artifacts of different content: (user, kept id, doomed id, doomed sha)."""
    alice = await running.make_user()
    tid = await alice.thread()
    root = running.workspace(tid).root / "artifacts"
    (root / "plot.png").write_bytes(PNG)
    (root / "table.csv").write_text("a,b\n1,2\n")
    result, _ = await ingest(running, tid, ["artifacts/plot.png", "artifacts/table.csv"])
    by_name = {a.filename: a for a in result.artifacts}
    doomed = by_name["table.csv"]
    return alice, str(by_name["plot.png"].id), str(doomed.id), doomed.sha256


async def expired_at(running: Running, artifact_id: str) -> object:
    async with running.resources.sessionmaker() as session:
        row = await session.get(Artifact, uuid.UUID(artifact_id))
    assert row is not None
    return row.expired_at


async def assert_expired_flow(running: Running, alice: User, kept: str, doomed: str) -> None:
    assert await expired_at(running, doomed) is None
    for _ in range(2):  # the second answer comes from the row, the same
        r = await alice.client.get(f"/api/artifacts/{doomed}/download")
        assert r.status_code == 410, r.text
        error = r.json()["error"]
        assert error["code"] == "ARTIFACT_EXPIRED"
        assert "table.csv" in error["message"] and "no longer stored" in error["message"]
    assert await expired_at(running, doomed) is not None
    assert (await alice.client.get(f"/api/artifacts/{kept}/download")).status_code == 307
    assert await expired_at(running, kept) is None
    assert (await alice.client.get(f"/api/artifacts/{doomed}")).status_code == 200  # the record stays


async def test_local_store_blob_gone_is_410(start_app: Any) -> None:
    running = await start_app()
    alice, kept, doomed, sha = await two_artifacts(running)
    await running.resources.store.delete(artifact_key(sha))
    await assert_expired_flow(running, alice, kept, doomed)


async def test_s3_object_expired_is_410(start_app: Any, moto: Moto, bucket: str, tmp_path: Path) -> None:
    await make_bucket(tmp_path, moto, bucket)
    running = await start_app(**s3_settings(moto, s3_bucket=bucket))
    alice, kept, doomed, sha = await two_artifacts(running)
    moto.client().delete_object(Bucket=bucket, Key=artifact_key(sha))  # what the lifecycle rule does
    await assert_expired_flow(running, alice, kept, doomed)
    r = await alice.client.get(f"/api/artifacts/{kept}/download")
    async with httpx.AsyncClient() as http:
        assert (await http.get(r.headers["location"])).content == PNG
