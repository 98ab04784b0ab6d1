"""Ingestion: hashed, stored once, recorded once per thread/execution; caps, MIME, failures, escapes."""

from __future__ import annotations

import hashlib
import os
import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from lgurban.artifacts.service import IngestResult
from lgurban.db.models import Artifact, Execution
from lgurban.sandbox.types import ArtifactFile
from lgurban.storage import artifact_key
from tests.artifacts.conftest import Running

PNG = b"\x89PNG\r\n\x1a\n" + os.urandom(2000)


def reported(path: str, data: bytes = b"") -> ArtifactFile:
    # the sandbox's own claims; the host must not trust them
    return ArtifactFile(path=path, size=1, sha256="0" * 64, mime="application/x-lie")


async def ingest(
    running: Running, thread_id: str, paths: list[str], execution_id: uuid.UUID | str | None = "new"
) -> tuple[IngestResult, uuid.UUID | None]:
    resources = running.resources
    async with resources.sessionmaker() as session:
        if execution_id == "new":
            row = Execution(thread_id=uuid.UUID(thread_id), code="x", source="user")
            session.add(row)
            await session.flush()
            execution_id = row.id
        assert not isinstance(execution_id, str)
        result = await resources.artifacts.ingest(
            session=session,
            thread_id=uuid.UUID(thread_id),
            execution_id=execution_id,
            tool_call_id="call_1",
            workspace=running.workspace(thread_id),
            files=[reported(p) for p in paths],
        )
        await session.commit()
    return result, execution_id


async def count_rows(running: Running, thread_id: str) -> int:
    async with running.resources.sessionmaker() as session:
        n = await session.scalar(
            select(func.count()).select_from(Artifact).where(Artifact.thread_id == uuid.UUID(thread_id))
        )
    return int(n or 0)


async def test_ingest_stores_records_and_links(start_app: Any) -> None:
    running = await start_app()
    alice = await running.make_user()
    tid = await alice.thread()
    ws = running.workspace(tid)
    (ws.root / "artifacts" / "plot.png").write_bytes(PNG)
    result, execution_id = await ingest(running, tid, ["artifacts/plot.png"])
    assert result.notes == []
    [art] = result.artifacts
    sha = hashlib.sha256(PNG).hexdigest()
    assert art.sha256 == sha and art.size == len(PNG) and art.mime == "image/png"
    assert art.filename == "plot.png" and art.thread_id == uuid.UUID(tid)
    assert art.execution_id == execution_id and art.tool_call_id == "call_1"  # what made it, in the record
    store = running.resources.store
    assert await store.exists(artifact_key(sha))
    async with running.resources.sessionmaker() as session:
        row = await session.get(Artifact, art.id)
        assert row is not None
        assert row.store_key == f"output/artifacts/{sha[:2]}/{sha[2:4]}/{sha}"
        assert row.execution_id == execution_id and row.tool_call_id == "call_1"
    # the signed url serves the bytes without any session
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=running.app), base_url="http://testserver"
    ) as anonymous:
        r = await anonymous.get(art.url)
    assert r.status_code == 200 and r.content == PNG


async def test_same_file_same_execution_is_one_row(start_app: Any) -> None:
    running = await start_app()
    alice = await running.make_user()
    tid = await alice.thread()
    (running.workspace(tid).root / "artifacts" / "t.csv").write_text("a,b\n1,2\n")
    first, execution_id = await ingest(running, tid, ["artifacts/t.csv", "artifacts/t.csv"])
    again, _ = await ingest(running, tid, ["artifacts/t.csv"], execution_id=execution_id)
    assert [a.id for a in first.artifacts] == [a.id for a in again.artifacts]
    assert await count_rows(running, tid) == 1
    # a new execution making the same file is a new row sharing the same blob
    other, _ = await ingest(running, tid, ["artifacts/t.csv"])
    assert other.artifacts[0].id != first.artifacts[0].id
    assert other.artifacts[0].sha256 == first.artifacts[0].sha256
    assert await count_rows(running, tid) == 2
    blobs = await running.resources.store.list("output/artifacts/")
    assert len(blobs) == 1


async def test_size_cap_skips_with_a_note(start_app: Any) -> None:
    running = await start_app(artifact_max_bytes=1000)
    alice = await running.make_user()
    tid = await alice.thread()
    root = running.workspace(tid).root
    (root / "artifacts" / "big.bin").write_bytes(b"x" * 1001)
    (root / "artifacts" / "ok.txt").write_text("fine")
    result, _ = await ingest(running, tid, ["artifacts/big.bin", "artifacts/ok.txt"])
    assert [a.filename for a in result.artifacts] == ["ok.txt"]
    [note] = result.notes
    assert "big.bin" in note and "skipped" in note and "ARTIFACT_MAX_BYTES" in note
    assert await count_rows(running, tid) == 1


async def test_mime_from_content_then_extension(start_app: Any) -> None:
    running = await start_app()
    alice = await running.make_user()
    tid = await alice.thread()
    root = running.workspace(tid).root / "artifacts"
    files = {
        "map.html": b"<!DOCTYPE html><html><script>1</script></html>",
        "fake.png": b"<html><body>not an image</body></html>",
        "data.parquet": b"PAR1" + b"\0" * 20 + b"PAR1",
        "table.csv": b"a,b\n1,2\n",
        "shape.geojson": b'{"type": "FeatureCollection", "features": []}',
        "chart.svg": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>',
        "noext": b"\x00\x01\x02binary",
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    result, _ = await ingest(running, tid, [f"artifacts/{n}" for n in files])
    mimes = {a.filename: a.mime for a in result.artifacts}
    assert mimes == {
        "map.html": "text/html",
        "fake.png": "text/html",
        "data.parquet": "application/vnd.apache.parquet",
        "table.csv": "text/csv",
        "shape.geojson": "application/geo+json",
        "chart.svg": "image/svg+xml",
        "noext": "application/octet-stream",
    }


async def test_symlink_out_and_missing_files_are_notes_not_rows(start_app: Any, tmp_path: Any) -> None:
    running = await start_app()
    alice = await running.make_user()
    tid = await alice.thread()
    secret = tmp_path / "secret.txt"
    secret.write_text("host secret")
    os.symlink(secret, running.workspace(tid).root / "artifacts" / "leak.txt")
    result, _ = await ingest(running, tid, ["artifacts/leak.txt", "artifacts/gone.png", "../etc/passwd"])
    assert result.artifacts == []
    assert len(result.notes) == 3 and all("was not saved" in n for n in result.notes)
    assert await count_rows(running, tid) == 0
    assert await running.resources.store.list("output/") == []


async def test_ingest_without_execution_does_not_duplicate(start_app: Any) -> None:
    running = await start_app()
    alice = await running.make_user()
    tid = await alice.thread()
    (running.workspace(tid).root / "artifacts" / "a.txt").write_text("a")
    first, _ = await ingest(running, tid, ["artifacts/a.txt"], execution_id=None)
    again, _ = await ingest(running, tid, ["artifacts/a.txt"], execution_id=None)
    assert first.artifacts[0].id == again.artifacts[0].id
    assert await count_rows(running, tid) == 1
