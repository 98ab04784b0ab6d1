"""The object-store interface. `local` (a folder) and `s3` implement it behind the same keys.

Key layout:
    input/datasets/<name>.parquet          heavy datasets (admin uploads)
    output/artifacts/ab/cd/<sha256>        artifacts, content-addressed
    output/exports/<timestamp>/<filename>  published exports
    cache/datasets/ab/<sha256>.parquet     portal exports kept by the dataset service, content-addressed
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

DATASETS_PREFIX = "input/datasets/"
ARTIFACTS_PREFIX = "output/artifacts/"
EXPORTS_PREFIX = "output/exports/"
CACHE_PREFIX = "cache/datasets/"  # the dataset service's cache (datasets/loading.py uses the same prefix)


def artifact_key(sha256: str) -> str:
    """`output/artifacts/ab/cd/<sha256>` for a content hash."""
    return f"{ARTIFACTS_PREFIX}{sha256[:2]}/{sha256[2:4]}/{sha256}"


def dataset_key(name: str) -> str:
    return f"{DATASETS_PREFIX}{name}.parquet"


class ObjectNotFound(KeyError):
    """The key is absent from the store."""


@dataclass(frozen=True)
class StoredBlob:
    """What `put_content_addressed` did: the blob's key, hash, size, and whether it was uploaded now."""

    key: str
    sha256: str
    size: int
    created: bool


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    content_type: str | None
    modified_at: datetime | None
    etag: str | None = None


class ObjectStore(Protocol):
    """Async operations; implementations never block the event loop."""

    backend: str

    @property
    def max_presign_s(self) -> int | None:
        """The longest lifetime a signed URL may have (S3's SigV4 caps it at 7 days, temporary credentials
        at what is left of them); None when unlimited."""
        ...

    def local_path(self, key: str) -> Path | None:
        """The file on this machine that holds the key's bytes, when the store keeps its objects as local
        files (the local store); None when it has no such file (S3). Makes no I/O."""
        ...

    async def put_file(self, key: str, path: Path, *, content_type: str | None = None) -> ObjectInfo:
        """Upload a local file (streamed, never read whole)."""
        ...

    async def put_stream(
        self, key: str, chunks: AsyncIterator[bytes], *, content_type: str | None = None
    ) -> ObjectInfo: ...

    async def put_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> ObjectInfo: ...

    def get_stream(self, key: str, *, chunk_size: int = 1024 * 1024) -> AsyncIterator[bytes]:
        """Stream an object's bytes; raises KeyError-like NotFound when absent."""
        ...

    async def download_to(self, key: str, path: Path) -> ObjectInfo:
        """Write an object to a local file (atomically: temp file then rename)."""
        ...

    async def head(self, key: str) -> ObjectInfo | None:
        """Metadata, or None when the key is absent."""
        ...

    async def exists(self, key: str) -> bool: ...

    async def put_content_addressed(
        self, path: Path, *, content_type: str | None = None, max_bytes: int | None = None
    ) -> StoredBlob:
        """Store a local file under `artifact_key(sha256)`, hashing the very bytes stored (a snapshot, so
        a file changed meanwhile cannot land under the wrong hash); upload only when the key is absent.
        Raises PayloadTooLarge past `max_bytes`."""
        ...

    async def list(self, prefix: str) -> list[ObjectInfo]: ...

    async def delete(self, key: str) -> None: ...

    async def signed_url(
        self, key: str, *, expires_in: int, filename: str | None = None, content_type: str | None = None
    ) -> str:
        """A download URL that works without a session until it expires."""
        ...

    async def check(self) -> str:
        """'ok', or a short reason naming the setting to fix."""
        ...

    async def close(self) -> None: ...
