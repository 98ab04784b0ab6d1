"""The local folder store on a real folder, and the HMAC link signer."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from lgurban.errors import InvalidPath, InvalidSignature, PayloadTooLarge
from lgurban.storage import ObjectNotFound, artifact_key, build_store, dataset_key
from lgurban.storage.local import LocalStore
from lgurban.storage.signing import UrlSigner
from tests.storage.conftest import plain_settings


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    s = build_store(plain_settings(data_dir=tmp_path / "data"))
    assert isinstance(s, LocalStore)
    return s


async def read(store: LocalStore, key: str) -> bytes:
    return b"".join([c async for c in store.get_stream(key)])


async def test_store_lives_under_data_dir(store: LocalStore, tmp_path: Path) -> None:
    assert store.root == (tmp_path / "data" / "store").resolve()
    assert await store.check() == "ok"


async def test_put_get_head_list_delete(store: LocalStore, tmp_path: Path) -> None:
    src = tmp_path / "d.parquet"
    src.write_bytes(b"PAR1data")
    key = dataset_key("trees")
    info = await store.put_file(key, src)
    assert info.key == "input/datasets/trees.parquet" and info.size == 8
    assert (store.root / key).read_bytes() == b"PAR1data"
    await store.put_bytes("output/exports/t1/a.txt", b"hello")
    head = await store.head("output/exports/t1/a.txt")
    assert head is not None and head.size == 5 and head.content_type == "text/plain"
    assert await read(store, key) == b"PAR1data"
    assert [o.key for o in await store.list("output/")] == ["output/exports/t1/a.txt"]
    assert [o.key for o in await store.list("input/datasets/")] == [key]
    await store.delete(key)
    assert not await store.exists(key) and await store.head(key) is None
    await store.delete(key)  # deleting an absent key is not an error
    with pytest.raises(ObjectNotFound):
        await read(store, key)
    dst = tmp_path / "out" / "copy.txt"
    await store.download_to("output/exports/t1/a.txt", dst)
    assert dst.read_bytes() == b"hello"


async def test_put_stream_is_streamed_and_atomic(store: LocalStore) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for i in range(5):
            yield bytes([i]) * 1000

    info = await store.put_stream("output/exports/s/x.bin", chunks())
    assert info.size == 5000

    async def failing() -> AsyncIterator[bytes]:
        yield b"partial"
        raise ConnectionError("source went away")

    with pytest.raises(ConnectionError):
        await store.put_stream("output/exports/s/y.bin", failing())
    # nothing half-written: neither the object nor a temp file is left
    assert not await store.exists("output/exports/s/y.bin")
    assert list((store.root / ".tmp").iterdir()) == []
    # a failed overwrite keeps the old object whole
    with pytest.raises(ConnectionError):
        await store.put_stream("output/exports/s/x.bin", failing())
    assert (store.root / "output/exports/s/x.bin").stat().st_size == 5000


async def test_content_addressed_put_dedups(store: LocalStore, tmp_path: Path) -> None:
    src = tmp_path / "a.bin"
    data = os.urandom(3 * 1024 * 1024 + 7)
    src.write_bytes(data)
    first = await store.put_content_addressed(src, max_bytes=10 * 1024 * 1024)
    sha = hashlib.sha256(data).hexdigest()
    assert (
        first.created and first.sha256 == sha and first.key == artifact_key(sha) and first.size == len(data)
    )
    mtime = (store.root / first.key).stat().st_mtime_ns
    again = await store.put_content_addressed(src)
    assert not again.created and again.key == first.key
    assert (store.root / first.key).stat().st_mtime_ns == mtime
    with pytest.raises(PayloadTooLarge):
        await store.put_content_addressed(src, max_bytes=1024)
    assert list((store.root / ".tmp").iterdir()) == []


@pytest.mark.parametrize(
    "key", ["", "/etc/passwd", "../x", "output/../../x", "a//b", "./a", ".tmp/x", "a\\b", "a\x00b"]
)
async def test_bad_keys_are_refused(store: LocalStore, key: str) -> None:
    with pytest.raises(InvalidPath):
        await store.put_bytes(key, b"x")
    with pytest.raises(InvalidPath):
        await store.signed_url(key, expires_in=10)


def test_signer_round_trip_tamper_and_expiry() -> None:
    signer = UrlSigner(b"k" * 32, base_url="https://files.example.org/")
    url = signer.url(
        "output/artifacts/ab/cd/abcd", expires_in=60, filename="a b.png", content_type="image/png"
    )
    assert url.startswith("https://files.example.org/blobs/output/artifacts/ab/cd/abcd?")
    from urllib.parse import parse_qs, urlsplit

    q = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    ok = signer.verify(
        "output/artifacts/ab/cd/abcd", exp=q["exp"], filename=q["fn"], content_type=q["ct"], sig=q["sig"]
    )
    assert ok.filename == "a b.png" and ok.content_type == "image/png"
    with pytest.raises(InvalidSignature):
        signer.verify(
            "output/artifacts/ab/cd/abce",
            exp=q["exp"],
            filename="a b.png",
            content_type="image/png",
            sig=q["sig"],
        )
    with pytest.raises(InvalidSignature):
        UrlSigner(b"other" * 8).verify(
            "output/artifacts/ab/cd/abcd", exp=q["exp"], filename=q["fn"], content_type=q["ct"], sig=q["sig"]
        )
    with pytest.raises(InvalidSignature, match="expired"):
        signer.verify(
            "output/artifacts/ab/cd/abcd",
            exp=q["exp"],
            filename=q["fn"],
            content_type=q["ct"],
            sig=q["sig"],
            now=int(q["exp"]),
        )


def test_signing_key_is_the_secret_key_when_set(tmp_path: Path) -> None:
    a = plain_settings(data_dir=tmp_path / "a", secret_key="s" * 40)
    b = plain_settings(data_dir=tmp_path / "b", secret_key="s" * 40)
    url = UrlSigner(a.signing_key()).url("k/x", expires_in=60)
    q = dict(p.split("=", 1) for p in url.split("?", 1)[1].split("&"))
    UrlSigner(b.signing_key()).verify("k/x", exp=q["exp"], filename="", content_type="", sig=q["sig"])
