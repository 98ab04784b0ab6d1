"""What only the local folder store does (its shared behaviour is in test_contract.py), and the HMAC link
signer."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from lgurban.errors import InvalidPath, InvalidSignature, PayloadTooLarge
from lgurban.storage import dataset_key
from lgurban.storage.local import LocalStore
from lgurban.storage.signing import UrlSigner
from tests.storage.conftest import plain_settings


@pytest.fixture
def store(local_store: LocalStore) -> LocalStore:
    return local_store


async def test_store_lives_under_data_dir(store: LocalStore, tmp_path: Path) -> None:
    assert store.root == (tmp_path / "data" / "store").resolve()
    await store.put_bytes(dataset_key("trees"), b"PAR1data")
    # objects are plain files at <root>/<key>, and local_path names that very file
    assert (store.root / "input/datasets/trees.parquet").read_bytes() == b"PAR1data"
    assert store.local_path(dataset_key("trees")) == store.root / "input/datasets/trees.parquet"


async def test_failed_writes_leave_no_temp_file(store: LocalStore, tmp_path: Path) -> None:
    async def failing() -> AsyncIterator[bytes]:
        yield b"partial"
        raise ConnectionError("source went away")

    with pytest.raises(ConnectionError):
        await store.put_stream("output/exports/s/y.bin", failing())
    assert list((store.root / ".tmp").iterdir()) == []
    src = tmp_path / "a.bin"
    src.write_bytes(os.urandom(3 * 1024 * 1024 + 7))
    with pytest.raises(PayloadTooLarge):
        await store.put_content_addressed(src, max_bytes=1024)
    assert list((store.root / ".tmp").iterdir()) == []


async def test_a_deduplicated_blob_is_not_rewritten(store: LocalStore, tmp_path: Path) -> None:
    src = tmp_path / "a.bin"
    src.write_bytes(os.urandom(3 * 1024 * 1024 + 7))
    first = await store.put_content_addressed(src)
    mtime = (store.root / first.key).stat().st_mtime_ns
    again = await store.put_content_addressed(src)
    assert not again.created and (store.root / first.key).stat().st_mtime_ns == mtime
    assert list((store.root / ".tmp").iterdir()) == []


async def test_links_are_not_capped(store: LocalStore) -> None:
    """The app checks its own links: a 30-day lifetime stays 30 days (max_presign_s is None)."""
    import time
    from urllib.parse import parse_qs, urlsplit

    assert store.max_presign_s is None
    url = await store.signed_url("output/exports/x/a.txt", expires_in=30 * 86400)
    exp = int(parse_qs(urlsplit(url).query)["exp"][0])
    assert abs(exp - (time.time() + 30 * 86400)) < 60


@pytest.mark.parametrize(
    "key", ["", "/etc/passwd", "../x", "output/../../x", "a//b", "./a", ".tmp/x", "a\\b", "a\x00b"]
)
async def test_bad_keys_are_refused(store: LocalStore, key: str) -> None:
    with pytest.raises(InvalidPath):
        await store.put_bytes(key, b"x")
    with pytest.raises(InvalidPath):
        await store.signed_url(key, expires_in=10)
    with pytest.raises(InvalidPath):
        store.local_path(key)


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
