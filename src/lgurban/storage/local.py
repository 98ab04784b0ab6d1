"""The local object store: a folder under DATA_DIR, the same keys as S3, atomic writes; its signed links
are served by the app (GET /blobs/...)."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import anyio

from lgurban.errors import InvalidPath, PayloadTooLarge
from lgurban.storage.base import ObjectInfo, ObjectNotFound, StoredBlob, artifact_key
from lgurban.storage.signing import UrlSigner

CHUNK = 1024 * 1024
TMP_DIR = ".tmp"


def check_key(key: str) -> str:
    """A key is a relative POSIX path without empty, '.' or '..' parts (and never the temp folder)."""
    parts = key.split("/")
    if (
        not key
        or "\x00" in key
        or "\\" in key
        or key.startswith("/")
        or any(p in ("", ".", "..") for p in parts)
        or parts[0] == TMP_DIR
        or len(key) > 1024
    ):
        raise InvalidPath(f"invalid object key {key!r}")
    return key


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_hashing(src: BinaryIO, dst: BinaryIO, max_bytes: int | None) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := src.read(CHUNK):
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise PayloadTooLarge(f"larger than the limit of {max_bytes:,} bytes (ARTIFACT_MAX_BYTES)")
        digest.update(chunk)
        dst.write(chunk)
    return digest.hexdigest(), size


class LocalStore:
    """Objects are files at <root>/<key>; every write goes to <root>/.tmp, is fsynced, then renamed."""

    backend = "local"
    max_presign_s: int | None = None  # the app checks its own links: any lifetime works

    def __init__(self, root: Path, signer: UrlSigner) -> None:
        self.root = root
        self.signer = signer
        self.tmp = root / TMP_DIR

    def path_for(self, key: str) -> Path:
        return self.root / check_key(key)

    def local_path(self, key: str) -> Path | None:
        """The object's own file: readers use it in place instead of copying it."""
        return self.path_for(key)

    def _tmp_file(self) -> Path:
        self.tmp.mkdir(parents=True, exist_ok=True)
        return self.tmp / f"{uuid.uuid4().hex}.part"

    def _publish(self, tmp: Path, key: str) -> ObjectInfo:
        """fsync'd temp file → final place, in one rename (readers never see a partial object)."""
        target = self.path_for(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
        return self._info(key, target)

    def _info(self, key: str, path: Path) -> ObjectInfo:
        st = path.stat()
        return ObjectInfo(
            key=key,
            size=st.st_size,
            content_type=mimetypes.guess_type(key)[0],
            modified_at=datetime.fromtimestamp(st.st_mtime, UTC),
        )

    def _write_from(self, key: str, src: BinaryIO) -> ObjectInfo:
        self.path_for(key)
        tmp = self._tmp_file()
        try:
            with tmp.open("wb") as dst:
                shutil.copyfileobj(src, dst, CHUNK)
                dst.flush()
                os.fsync(dst.fileno())
            return self._publish(tmp, key)
        finally:
            tmp.unlink(missing_ok=True)

    async def put_file(self, key: str, path: Path, *, content_type: str | None = None) -> ObjectInfo:
        def put() -> ObjectInfo:
            with path.open("rb") as src:
                return self._write_from(key, src)

        return await anyio.to_thread.run_sync(put)

    async def put_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> ObjectInfo:
        import io

        return await anyio.to_thread.run_sync(lambda: self._write_from(key, io.BytesIO(data)))

    async def put_stream(
        self, key: str, chunks: AsyncIterator[bytes], *, content_type: str | None = None
    ) -> ObjectInfo:
        self.path_for(key)
        tmp = await anyio.to_thread.run_sync(self._tmp_file)
        try:
            async with await anyio.open_file(tmp, "wb") as dst:
                async for chunk in chunks:
                    await dst.write(chunk)
                await dst.flush()
                await anyio.to_thread.run_sync(os.fsync, dst.wrapped.fileno())
            return await anyio.to_thread.run_sync(self._publish, tmp, key)
        finally:
            tmp.unlink(missing_ok=True)

    async def put_content_addressed(
        self, path: Path, *, content_type: str | None = None, max_bytes: int | None = None
    ) -> StoredBlob:
        def put() -> StoredBlob:
            tmp = self._tmp_file()
            try:
                with path.open("rb") as src, tmp.open("wb") as dst:
                    sha, size = copy_hashing(src, dst, max_bytes)
                    key = artifact_key(sha)
                    if self.path_for(key).exists():
                        return StoredBlob(key, sha, size, created=False)
                    dst.flush()
                    os.fsync(dst.fileno())
                self._publish(tmp, key)
                return StoredBlob(key, sha, size, created=True)
            finally:
                tmp.unlink(missing_ok=True)

        return await anyio.to_thread.run_sync(put)

    async def get_stream(self, key: str, *, chunk_size: int = CHUNK) -> AsyncIterator[bytes]:
        path = self.path_for(key)
        try:
            f = await anyio.open_file(path, "rb")
        except FileNotFoundError:
            raise ObjectNotFound(key) from None
        async with f:
            while chunk := await f.read(chunk_size):
                yield chunk

    async def download_to(self, key: str, path: Path) -> ObjectInfo:
        source = self.path_for(key)

        def copy() -> ObjectInfo:
            if not source.is_file():
                raise ObjectNotFound(key)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
            try:
                shutil.copyfile(source, tmp)
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
            return self._info(key, source)

        return await anyio.to_thread.run_sync(copy)

    async def head(self, key: str) -> ObjectInfo | None:
        path = self.path_for(key)

        def stat() -> ObjectInfo | None:
            return self._info(key, path) if path.is_file() else None

        return await anyio.to_thread.run_sync(stat)

    async def exists(self, key: str) -> bool:
        return await self.head(key) is not None

    async def list(self, prefix: str) -> list[ObjectInfo]:
        def walk() -> list[ObjectInfo]:
            out: list[ObjectInfo] = []
            if not self.root.is_dir():
                return out
            for dirpath, dirnames, filenames in os.walk(self.root):
                rel_dir = Path(dirpath).relative_to(self.root).as_posix()
                if rel_dir == TMP_DIR or rel_dir.startswith(TMP_DIR + "/"):
                    dirnames[:] = []
                    continue
                dirnames.sort()
                for name in sorted(filenames):
                    key = name if rel_dir == "." else f"{rel_dir}/{name}"
                    if key.startswith(prefix):
                        out.append(self._info(key, Path(dirpath) / name))
            return out

        return await anyio.to_thread.run_sync(walk)

    async def delete(self, key: str) -> None:
        path = self.path_for(key)
        await anyio.to_thread.run_sync(lambda: path.unlink(missing_ok=True))

    async def signed_url(
        self, key: str, *, expires_in: int, filename: str | None = None, content_type: str | None = None
    ) -> str:
        check_key(key)
        return self.signer.url(
            key, expires_in=expires_in, filename=filename or "", content_type=content_type or ""
        )

    async def check(self) -> str:
        def probe() -> str:
            try:
                tmp = self._tmp_file()
                tmp.write_bytes(b"ok")
                tmp.unlink()
            except OSError as exc:
                return f"cannot write to {self.root} (STORAGE_DIR/DATA_DIR): {exc.strerror}"
            return "ok"

        return await anyio.to_thread.run_sync(probe)

    async def close(self) -> None:
        return None
