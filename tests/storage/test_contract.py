"""The ObjectStore contract, run against every implementation: the local folder store and S3 on moto's
server over real HTTP. What only one store does is tested in test_local.py and test_s3.py."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from fastapi import FastAPI

from lgurban.errors import PayloadTooLarge
from lgurban.storage import ObjectNotFound, ObjectStore, artifact_key, dataset_key

Fetch = Callable[[str], Awaitable[httpx.Response]]


@dataclass
class Case:
    store: ObjectStore
    fetch: Fetch  # GET a signed URL the way a browser would
    local_files: bool  # whether local_path gives the object's file
    max_presign_s: int | None


@pytest.fixture(params=["local", "s3"])
def store_under_test(request: pytest.FixtureRequest) -> tuple[str, ObjectStore]:
    return request.param, request.getfixturevalue(f"{request.param}_store")


@pytest.fixture
async def case(store_under_test: tuple[str, ObjectStore]) -> AsyncIterator[Case]:
    kind, store = store_under_test
    if kind == "local":
        from lgurban.api.artifacts import router

        app = FastAPI()  # the app's /blobs route serves the local store's signed links
        app.include_router(router)
        app.state.resources = SimpleNamespace(store=store)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://app") as http:
            yield Case(store, http.get, local_files=True, max_presign_s=None)
        return
    async with httpx.AsyncClient() as http:
        yield Case(store, http.get, local_files=False, max_presign_s=7 * 24 * 3600)


async def read(store: ObjectStore, key: str, chunk_size: int = 1024 * 1024) -> bytes:
    return b"".join([c async for c in store.get_stream(key, chunk_size=chunk_size)])


async def test_check_is_ok(case: Case) -> None:
    assert await case.store.check() == "ok"


async def test_put_bytes_head_stream_exists_delete(case: Case) -> None:
    store = case.store
    key = "output/exports/t1/a.txt"
    info = await store.put_bytes(key, b"hello", content_type="text/plain")
    assert info.key == key and info.size == 5
    head = await store.head(key)
    assert head is not None and head.key == key and head.size == 5 and head.content_type == "text/plain"
    assert head.modified_at is not None
    assert await store.exists(key)
    assert await read(store, key, chunk_size=2) == b"hello"
    await store.delete(key)
    assert not await store.exists(key) and await store.head(key) is None
    await store.delete(key)  # deleting an absent key is not an error


async def test_put_file_and_download_to(case: Case, tmp_path: Path) -> None:
    src = tmp_path / "a.parquet"
    src.write_bytes(b"PAR1xxxxPAR1")
    key = dataset_key("a")
    info = await case.store.put_file(key, src)
    assert info.key == "input/datasets/a.parquet" and info.size == 12
    dst = tmp_path / "dl" / "nested" / "a.parquet"
    got = await case.store.download_to(key, dst)
    assert got.size == 12 and dst.read_bytes() == b"PAR1xxxxPAR1"
    await case.store.put_bytes(key, b"PAR1yyPAR1")  # an overwrite replaces the object
    assert await read(case.store, key) == b"PAR1yyPAR1"


async def test_absent_key(case: Case, tmp_path: Path) -> None:
    key = "output/exports/none/x.bin"
    assert await case.store.head(key) is None and not await case.store.exists(key)
    with pytest.raises(ObjectNotFound):
        await read(case.store, key)
    target = tmp_path / "downloads"
    target.mkdir()
    with pytest.raises(ObjectNotFound):
        await case.store.download_to(key, target / "x.bin")
    assert list(target.iterdir()) == []  # neither the file nor a temp file


async def test_list_by_prefix(case: Case) -> None:
    keys = ["output/exports/t1/a.txt", "output/exports/t1/sub/b.txt", "output/exports/z.txt"]
    for k in keys:
        await case.store.put_bytes(k, k.encode())
    await case.store.put_bytes(dataset_key("d"), b"PAR1")
    listed = await case.store.list("output/")
    assert sorted(o.key for o in listed) == sorted(keys)  # the order is the store's own
    assert {o.key: o.size for o in listed} == {k: len(k) for k in keys}
    assert [o.key for o in await case.store.list("output/exports/t1/")] == keys[:2]
    assert [o.key for o in await case.store.list("input/datasets/")] == ["input/datasets/d.parquet"]
    assert await case.store.list("nothing/") == []


async def test_put_stream(case: Case) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for i in range(5):
            yield bytes([i]) * 1000

    info = await case.store.put_stream("output/exports/s/x.bin", chunks())
    assert info.size == 5000
    assert await read(case.store, "output/exports/s/x.bin") == b"".join(bytes([i]) * 1000 for i in range(5))


async def test_a_failed_stream_writes_nothing(case: Case) -> None:
    async def failing() -> AsyncIterator[bytes]:
        yield b"partial"
        raise ConnectionError("source went away")

    with pytest.raises(ConnectionError):
        await case.store.put_stream("output/exports/s/y.bin", failing())
    assert not await case.store.exists("output/exports/s/y.bin")
    # a failed overwrite keeps the old object whole
    await case.store.put_bytes("output/exports/s/x.bin", b"x" * 5000)
    with pytest.raises(ConnectionError):
        await case.store.put_stream("output/exports/s/x.bin", failing())
    assert await read(case.store, "output/exports/s/x.bin") == b"x" * 5000


async def test_content_addressed_put_dedups(case: Case, tmp_path: Path) -> None:
    src = tmp_path / "a.bin"
    data = os.urandom(1024 * 1024 + 7)
    src.write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    first = await case.store.put_content_addressed(src, content_type="application/octet-stream")
    assert (
        first.created and first.sha256 == sha and first.key == artifact_key(sha) and first.size == len(data)
    )
    again = await case.store.put_content_addressed(src, max_bytes=10 * 1024 * 1024)
    assert not again.created and again.key == first.key and again.size == len(data)
    assert [o.key for o in await case.store.list("output/artifacts/")] == [first.key]
    assert await read(case.store, first.key) == data
    with pytest.raises(PayloadTooLarge):
        await case.store.put_content_addressed(src, max_bytes=1024)


async def test_signed_url_serves_the_bytes(case: Case, tmp_path: Path) -> None:
    src = tmp_path / "map.html"
    data = b"<!DOCTYPE html><html>" + os.urandom(1000).hex().encode() + b"</html>"
    src.write_bytes(data)
    blob = await case.store.put_content_addressed(src, content_type="text/html")
    url = await case.store.signed_url(
        blob.key, expires_in=900, filename="carte été.html", content_type="text/html"
    )
    r = await case.fetch(url)
    assert r.status_code == 200 and r.content == data
    assert r.headers["content-type"].split(";")[0] == "text/html"
    assert r.headers["content-disposition"].startswith("inline;")
    assert "filename*=UTF-8''carte%20%C3%A9t%C3%A9.html" in r.headers["content-disposition"]


async def test_max_presign_s_and_long_links(case: Case) -> None:
    assert case.store.max_presign_s == case.max_presign_s
    await case.store.put_bytes("output/exports/l/a.txt", b"long")
    # a lifetime over the store's limit is capped, not an error: the link works
    r = await case.fetch(await case.store.signed_url("output/exports/l/a.txt", expires_in=30 * 86400))
    assert r.status_code == 200 and r.content == b"long"


async def test_local_path(case: Case) -> None:
    key = "output/exports/p/a.txt"
    await case.store.put_bytes(key, b"here")
    path = case.store.local_path(key)
    if case.local_files:
        assert path is not None and path.read_bytes() == b"here"
    else:
        assert path is None
