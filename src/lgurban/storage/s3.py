"""The S3 object store (boto3; any S3-compatible endpoint). Every SDK call runs in a worker thread.

Keys route to buckets by prefix: `input/` → S3_DATASETS_BUCKET, `output/` → S3_ARTIFACTS_BUCKET, each falling
back to S3_BUCKET, so one bucket serves both unless a deployment splits them."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import anyio
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from lgurban.errors import ConfigurationError, ObjectArchived, StorageUnavailable
from lgurban.settings import Settings
from lgurban.storage.base import DATASETS_PREFIX, ObjectInfo, ObjectNotFound, StoredBlob, artifact_key
from lgurban.storage.local import CHUNK, copy_hashing
from lgurban.storage.s3_client import bucket_region, client_region, credentials_cap, make_client
from lgurban.storage.signing import content_disposition

__all__ = ["S3Store", "make_client"]

T = TypeVar("T")
log = logging.getLogger(__name__)

PART_SIZE = 16 * 1024 * 1024
# presigned SigV4 URLs cannot live longer than 7 days
MAX_PRESIGN_S = 7 * 24 * 3600
ARCHIVED_CLASSES = {"GLACIER", "DEEP_ARCHIVE"}
# a deduplicated blob older than this is copied onto itself: its lifecycle clock restarts, so a blob still
# in use is not archived (90 days) or expired (365 days) under a fresh artifact
REFRESH_AFTER = timedelta(days=30)


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _status(exc: ClientError) -> int:
    return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


def _archived(key: str) -> ObjectArchived:
    return ObjectArchived(
        f"{key} is archived (Glacier): restore it before it can be read, e.g. `aws s3api restore-object "
        f"--bucket BUCKET --key {key} --restore-request Days=7` (takes hours), then try again",
        key=key,
    )


class S3Store:
    backend = "s3"

    def __init__(
        self,
        client: Any,
        *,
        bucket: str | None,
        datasets_bucket: str | None = None,
        artifacts_bucket: str | None = None,
        staging_dir: Path,
        transfer: TransferConfig | None = None,
        client_factory: Callable[[str], Any] | None = None,
    ) -> None:
        self.client = client
        # deploy (issue 12): builds a client for the bucket's real region when the configured one is wrong
        self.client_factory = client_factory
        self.bucket = bucket
        self.datasets_bucket = datasets_bucket or bucket
        self.artifacts_bucket = artifacts_bucket or bucket
        if not self.datasets_bucket or not self.artifacts_bucket:
            missing = "S3_DATASETS_BUCKET" if not self.datasets_bucket else "S3_ARTIFACTS_BUCKET"
            raise ConfigurationError(f"STORAGE_BACKEND=s3 needs S3_BUCKET (or {missing}) to be set")
        self.staging_dir = staging_dir
        self.transfer = transfer or TransferConfig(
            multipart_threshold=PART_SIZE, multipart_chunksize=PART_SIZE, max_concurrency=4
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> S3Store:
        return cls(
            make_client(settings),
            bucket=settings.s3_bucket,
            datasets_bucket=settings.s3_datasets_bucket,
            artifacts_bucket=settings.s3_artifacts_bucket,
            staging_dir=(settings.data_dir / "tmp" / "s3-staging").resolve(),
            client_factory=lambda region: make_client(settings, region),
        )

    @property
    def max_presign_s(self) -> int:
        """7 days (SigV4's limit), or less when the signing credentials are temporary (see s3_client.py)."""
        cap = credentials_cap(self.client)
        return MAX_PRESIGN_S if cap is None else min(cap, MAX_PRESIGN_S)

    def local_path(self, key: str) -> Path | None:
        """None: objects live in the bucket; readers download them (download_to)."""
        return None

    @property
    def buckets(self) -> list[str]:
        return sorted({b for b in (self.datasets_bucket, self.artifacts_bucket) if b})

    def bucket_for(self, key: str) -> str:
        bucket = self.datasets_bucket if key.startswith(DATASETS_PREFIX) else self.artifacts_bucket
        assert bucket is not None
        return bucket

    async def _call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """One blocking SDK call in a worker thread; transport failures become StorageUnavailable."""
        try:
            return await anyio.to_thread.run_sync(lambda: fn(*args, **kwargs))
        except NoCredentialsError as exc:
            raise StorageUnavailable(
                "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
            ) from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(f"object store unreachable ({type(exc).__name__})") from exc

    async def put_file(self, key: str, path: Path, *, content_type: str | None = None) -> ObjectInfo:
        await self._upload(key, path, content_type)
        info = await self.head(key)
        if info is None:
            raise StorageUnavailable(f"upload of {key} did not persist")
        return info

    async def _upload(self, key: str, path: Path, content_type: str | None) -> None:
        """upload_file: one PUT for small files, parallel multipart parts (read from disk) for big ones."""
        extra = {"ContentType": content_type} if content_type else {}
        await self._call(
            self.client.upload_file,
            str(path),
            self.bucket_for(key),
            key,
            ExtraArgs=extra,
            Config=self.transfer,
        )

    async def put_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> ObjectInfo:
        extra = {"ContentType": content_type} if content_type else {}
        await self._call(self.client.put_object, Bucket=self.bucket_for(key), Key=key, Body=data, **extra)
        return ObjectInfo(key, len(data), content_type, datetime.now(UTC))

    async def put_stream(
        self, key: str, chunks: AsyncIterator[bytes], *, content_type: str | None = None
    ) -> ObjectInfo:
        """Multipart upload fed from an async stream: memory holds one part at most."""
        bucket = self.bucket_for(key)
        extra = {"ContentType": content_type} if content_type else {}
        buffer = bytearray()
        upload_id: str | None = None
        parts: list[dict[str, Any]] = []
        size = 0
        try:
            async for chunk in chunks:
                buffer += chunk
                size += len(chunk)
                if len(buffer) >= PART_SIZE:
                    if upload_id is None:
                        created = await self._call(
                            self.client.create_multipart_upload, Bucket=bucket, Key=key, **extra
                        )
                        upload_id = created["UploadId"]
                    parts.append(
                        await self._upload_part(bucket, key, upload_id, len(parts) + 1, bytes(buffer))
                    )
                    buffer.clear()
            if upload_id is None:
                return await self.put_bytes(key, bytes(buffer), content_type=content_type)
            if buffer:
                parts.append(await self._upload_part(bucket, key, upload_id, len(parts) + 1, bytes(buffer)))
            await self._call(
                self.client.complete_multipart_upload,
                Bucket=bucket,
                Key=key,
                UploadId=upload_id,
                MultipartUpload={"Parts": parts},
            )
        except BaseException:
            if upload_id is not None:
                with anyio.CancelScope(shield=True):
                    try:
                        await self._call(
                            self.client.abort_multipart_upload, Bucket=bucket, Key=key, UploadId=upload_id
                        )
                    except (StorageUnavailable, ClientError):
                        pass  # the bucket's lifecycle rule aborts leftovers after 7 days
            raise
        return ObjectInfo(key, size, content_type, datetime.now(UTC))

    async def _upload_part(
        self, bucket: str, key: str, upload_id: str, number: int, data: bytes
    ) -> dict[str, Any]:
        out = await self._call(
            self.client.upload_part, Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=data
        )
        return {"PartNumber": number, "ETag": out["ETag"]}

    async def put_content_addressed(
        self, path: Path, *, content_type: str | None = None, max_bytes: int | None = None
    ) -> StoredBlob:
        """Snapshot the file into a private staging file while hashing it, then upload that snapshot."""
        staged = self.staging_dir / f"{uuid.uuid4().hex}.part"

        def stage() -> tuple[str, int]:
            self.staging_dir.mkdir(parents=True, exist_ok=True)
            with path.open("rb") as src, staged.open("wb") as dst:
                return copy_hashing(src, dst, max_bytes)

        try:
            sha, size = await anyio.to_thread.run_sync(stage)
            key = artifact_key(sha)
            existing = await self._head_raw(key)
            if existing is not None and existing.get("StorageClass") not in ARCHIVED_CLASSES:
                modified = existing.get("LastModified")
                if modified is not None and datetime.now(UTC) - modified > REFRESH_AFTER:
                    await self._refresh(key, existing)
                return StoredBlob(key, sha, size, created=False)
            # absent, or archived (a presigned GET would fail): upload a fresh, readable copy
            await self._upload(key, staged, content_type)
            return StoredBlob(key, sha, size, created=True)
        finally:
            await anyio.to_thread.run_sync(lambda: staged.unlink(missing_ok=True))

    async def _refresh(self, key: str, existing: dict[str, Any]) -> None:
        bucket = self.bucket_for(key)
        extra = {"ContentType": existing["ContentType"]} if existing.get("ContentType") else {}
        await self._call(
            self.client.copy,
            {"Bucket": bucket, "Key": key},
            bucket,
            key,
            ExtraArgs={"MetadataDirective": "REPLACE", **extra},
            Config=self.transfer,
        )

    async def get_stream(self, key: str, *, chunk_size: int = CHUNK) -> AsyncIterator[bytes]:
        try:
            obj = await self._call(self.client.get_object, Bucket=self.bucket_for(key), Key=key)
        except ClientError as exc:
            if _code(exc) in {"NoSuchKey", "404"}:
                raise ObjectNotFound(key) from None
            if _code(exc) == "InvalidObjectState":
                raise _archived(key) from None
            raise
        body = obj["Body"]
        try:
            while chunk := await self._call(body.read, chunk_size):
                yield chunk
        finally:
            body.close()

    async def download_to(self, key: str, path: Path) -> ObjectInfo:
        raw = await self._head_raw(key)
        if raw is None:
            raise ObjectNotFound(key)
        if raw.get("StorageClass") in ARCHIVED_CLASSES and 'ongoing-request="false"' not in raw.get(
            "Restore", ""
        ):
            raise _archived(key)
        info = self._info(key, raw)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            await self._call(
                self.client.download_file, self.bucket_for(key), key, str(tmp), Config=self.transfer
            )
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return info

    async def _head_raw(self, key: str) -> dict[str, Any] | None:
        try:
            out: dict[str, Any] = await self._call(
                self.client.head_object, Bucket=self.bucket_for(key), Key=key
            )
        except ClientError as exc:
            if _status(exc) == 404 or _code(exc) in {"404", "NoSuchKey", "NotFound"}:
                return None
            raise
        return out

    async def head(self, key: str) -> ObjectInfo | None:
        raw = await self._head_raw(key)
        return None if raw is None else self._info(key, raw)

    @staticmethod
    def _info(key: str, raw: dict[str, Any]) -> ObjectInfo:
        return ObjectInfo(
            key=key,
            size=int(raw["ContentLength"]),
            content_type=raw.get("ContentType"),
            modified_at=raw.get("LastModified"),
            etag=str(raw.get("ETag", "")).strip('"') or None,
        )

    async def exists(self, key: str) -> bool:
        return await self._head_raw(key) is not None

    async def list(self, prefix: str) -> list[ObjectInfo]:
        def walk() -> list[ObjectInfo]:
            out = []
            paginator = self.client.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=self.bucket_for(prefix), Prefix=prefix):
                for obj in page.get("Contents", []):
                    out.append(
                        ObjectInfo(
                            key=obj["Key"],
                            size=int(obj["Size"]),
                            content_type=None,
                            modified_at=obj.get("LastModified"),
                            etag=str(obj.get("ETag", "")).strip('"') or None,
                        )
                    )
            return out

        return await self._call(walk)

    async def delete(self, key: str) -> None:
        await self._call(self.client.delete_object, Bucket=self.bucket_for(key), Key=key)

    async def signed_url(
        self, key: str, *, expires_in: int, filename: str | None = None, content_type: str | None = None
    ) -> str:
        params: dict[str, Any] = {"Bucket": self.bucket_for(key), "Key": key}
        if content_type:
            params["ResponseContentType"] = content_type
        params["ResponseContentDisposition"] = content_disposition(filename)
        # signing itself is local, but the first call (or a credential refresh) may fetch credentials from
        # the instance/task metadata endpoint: keep it off the event loop too
        url: str = await self._call(
            self.client.generate_presigned_url,
            "get_object",
            Params=params,
            ExpiresIn=max(1, min(int(expires_in), self.max_presign_s)),
        )
        return url

    async def check(self) -> str:
        for bucket in self.buckets:
            reason = await self.check_bucket(bucket)
            if reason != "ok":
                return reason
        return "ok"

    async def check_bucket(self, bucket: str) -> str:
        setting = self._setting_for(bucket)
        try:
            answer = await self._call(self.client.head_bucket, Bucket=bucket)
        except ClientError as exc:
            status, code = _status(exc), _code(exc)
            if status == 301 and self._follow_region(bucket_region(exc.response)):
                return await self.check_bucket(bucket)
            if status == 404 or code in {"404", "NoSuchBucket", "NotFound"}:
                return (
                    f"bucket {bucket!r} does not exist ({setting}); "
                    "create it with `lgurban storage bootstrap`"
                )
            if status in {401, 403} or code in {
                "403",
                "AccessDenied",
                "InvalidAccessKeyId",
                "SignatureDoesNotMatch",
            }:
                return (
                    f"access to bucket {bucket!r} ({setting}) denied: check AWS_ACCESS_KEY_ID / "
                    "AWS_SECRET_ACCESS_KEY and the IAM policy (deploy/aws/)"
                )
            return f"bucket {bucket!r} ({setting}) check failed: {code or status}"
        except StorageUnavailable as exc:
            return f"{exc.message} (S3_ENDPOINT_URL / S3_REGION)"
        self._follow_region(bucket_region(answer))
        return "ok"

    def _follow_region(self, region: str | None) -> bool:
        """Sign for the bucket's real region from now on; True when the client changed."""
        current = client_region(self.client)
        if not region or region == current or self.client_factory is None:
            return False
        log.warning("bucket is in %s, not %s (S3_REGION): signing for %s", region, current, region)
        self.client = self.client_factory(region)
        return True

    def _setting_for(self, bucket: str) -> str:
        if bucket == self.bucket:
            return "S3_BUCKET"
        return "S3_DATASETS_BUCKET" if bucket == self.datasets_bucket else "S3_ARTIFACTS_BUCKET"

    async def close(self) -> None:
        await anyio.to_thread.run_sync(self.client.close)
