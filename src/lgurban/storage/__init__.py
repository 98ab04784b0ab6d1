"""Object storage: a local folder or S3, behind the same keys (see base.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lgurban.storage.base import (
    ARTIFACTS_PREFIX,
    DATASETS_PREFIX,
    EXPORTS_PREFIX,
    ObjectInfo,
    ObjectNotFound,
    ObjectStore,
    StoredBlob,
    artifact_key,
    dataset_key,
)

if TYPE_CHECKING:
    from lgurban.settings import Settings

__all__ = [
    "ARTIFACTS_PREFIX",
    "DATASETS_PREFIX",
    "EXPORTS_PREFIX",
    "ObjectInfo",
    "ObjectNotFound",
    "ObjectStore",
    "StoredBlob",
    "artifact_key",
    "build_store",
    "dataset_key",
]


def build_store(settings: Settings) -> ObjectStore:
    """The store STORAGE_BACKEND names. Makes no network call: `await store.check()` validates it."""
    from lgurban.storage.signing import UrlSigner

    if settings.storage_backend == "s3":
        from lgurban.storage.s3 import S3Store

        return S3Store.from_settings(settings)
    from lgurban.storage.local import LocalStore

    signer = UrlSigner(settings.signing_key(), base_url=settings.public_base_url)
    return LocalStore(settings.resolved_storage_dir, signer)
