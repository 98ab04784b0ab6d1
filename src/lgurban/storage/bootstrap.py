"""`lgurban storage bootstrap`: create or bring the bucket(s) to the required set-up, saying what changed.

Idempotent: a second run changes nothing and says so. Applied per bucket: public access blocked, versioning
on, default encryption (SSE-S3 unless KMS is already configured), and lifecycle rules — artifacts to Glacier
after 90 days and deleted after 365 (old versions after 30 more), incomplete multipart uploads aborted after
7 days; `input/` has no expiry; the dataset cache (`cache/datasets/`) expires after 30 days. Browsers on the
app's own origin (PUBLIC_BASE_URL) and on CORS_ORIGINS may GET objects (the web app fetches CSV previews)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import anyio
from botocore.exceptions import ClientError

from lgurban.errors import ConfigurationError
from lgurban.settings import Settings
from lgurban.storage.base import ARTIFACTS_PREFIX, CACHE_PREFIX
from lgurban.storage.s3 import S3Store, _code, _status

ARCHIVE_RULE: dict[str, Any] = {
    "ID": "lgurban-artifacts-archive",
    "Filter": {"Prefix": ARTIFACTS_PREFIX},
    "Status": "Enabled",
    "Transitions": [{"Days": 90, "StorageClass": "GLACIER"}],
    "Expiration": {"Days": 365},
    "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
}
# deploy (issue 12): portal exports cached by the dataset service (cache/datasets/…): a cache, refetched when
# absent, so it expires after 30 days without use (old versions after 1 day)
CACHE_RULE: dict[str, Any] = {
    "ID": "lgurban-dataset-cache-expiry",
    "Filter": {"Prefix": CACHE_PREFIX},
    "Status": "Enabled",
    "Expiration": {"Days": 30},
    "NoncurrentVersionExpiration": {"NoncurrentDays": 1},
}
ABORT_RULE: dict[str, Any] = {
    "ID": "lgurban-abort-incomplete-uploads",
    "Filter": {"Prefix": ""},
    "Status": "Enabled",
    "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
}
PUBLIC_ACCESS_BLOCK = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def _projection(rule: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two rules the same, whatever defaults the server fills in."""
    prefix = (rule.get("Filter") or {}).get("Prefix", rule.get("Prefix", "")) or ""
    transitions = tuple(
        sorted((int(t.get("Days", 0)), t.get("StorageClass")) for t in rule.get("Transitions") or [])
    )
    return (
        rule.get("Status"),
        prefix,
        transitions,
        (rule.get("Expiration") or {}).get("Days"),
        (rule.get("NoncurrentVersionExpiration") or {}).get("NoncurrentDays"),
        (rule.get("AbortIncompleteMultipartUpload") or {}).get("DaysAfterInitiation"),
    )


class Bootstrapper:
    def __init__(self, store: S3Store, *, region: str, cors_origins: list[str] | None = None) -> None:
        self.store = store
        self.s3 = store.client
        self.region = region
        self.cors_origins = cors_origins or []

    async def run(self) -> list[str]:
        """Apply the set-up to every configured bucket; the changes made, one line each."""
        return await anyio.to_thread.run_sync(self._run)

    def _run(self) -> list[str]:
        changes: list[str] = []
        for bucket in self.store.buckets:
            changes += [f"{bucket}: {c}" for c in self._bucket(bucket)]
        return changes

    def _bucket(self, bucket: str) -> list[str]:
        changes = []
        if self._ensure_exists(bucket):
            changes.append(f"created bucket in {self.region}")
        if self._ensure_public_access_block(bucket):
            changes.append("blocked all public access")
        if self._ensure_versioning(bucket):
            changes.append("enabled versioning")
        if self._ensure_encryption(bucket):
            changes.append("set default encryption (SSE-S3, AES256)")
        rules = [ABORT_RULE]
        if bucket == self.store.artifacts_bucket:
            rules[:0] = [ARCHIVE_RULE, CACHE_RULE]
        changes += self._ensure_lifecycle(bucket, rules)
        if self.cors_origins and self._ensure_cors(bucket):
            changes.append(f"allowed GET from {', '.join(self.cors_origins)} (CORS)")
        return changes

    def _ensure_exists(self, bucket: str) -> bool:
        try:
            self.s3.head_bucket(Bucket=bucket)
            return False
        except ClientError as exc:
            if _status(exc) in {401, 403}:
                raise ConfigurationError(
                    f"access to bucket {bucket!r} denied: it belongs to another account, or the credentials "
                    "(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) lack s3:ListBucket"
                ) from exc
            if _status(exc) != 404 and _code(exc) not in {"404", "NoSuchBucket", "NotFound"}:
                raise
        kwargs: dict[str, Any] = {"Bucket": bucket}
        if self.region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
        self.s3.create_bucket(**kwargs)
        return True

    def _ensure_public_access_block(self, bucket: str) -> bool:
        try:
            current = self.s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        except ClientError as exc:
            if _code(exc) != "NoSuchPublicAccessBlockConfiguration":
                raise
            current = {}
        if all(current.get(k) is True for k in PUBLIC_ACCESS_BLOCK):
            return False
        self.s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=PUBLIC_ACCESS_BLOCK)
        return True

    def _ensure_versioning(self, bucket: str) -> bool:
        if self.s3.get_bucket_versioning(Bucket=bucket).get("Status") == "Enabled":
            return False
        self.s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        return True

    def _ensure_encryption(self, bucket: str) -> bool:
        try:
            rules = self.s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
        except ClientError as exc:
            if _code(exc) != "ServerSideEncryptionConfigurationNotFoundError":
                raise
            rules = []
        algorithms = {(r.get("ApplyServerSideEncryptionByDefault") or {}).get("SSEAlgorithm") for r in rules}
        if algorithms & {"AES256", "aws:kms", "aws:kms:dsse"}:
            return False  # already encrypted at rest; a KMS choice made by the operator is kept
        self.s3.put_bucket_encryption(
            Bucket=bucket,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
            },
        )
        return True

    def _ensure_lifecycle(self, bucket: str, wanted: list[dict[str, Any]]) -> list[str]:
        try:
            current = self.s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
        except ClientError as exc:
            if _code(exc) != "NoSuchLifecycleConfiguration":
                raise
            current = []
        by_id = {r.get("ID"): r for r in current}
        changed = [
            w["ID"] for w in wanted if w["ID"] not in by_id or _projection(by_id[w["ID"]]) != _projection(w)
        ]
        if not changed:
            return []
        # rules the operator added under other ids are kept
        ids = {w["ID"] for w in wanted}
        rules = [r for r in current if r.get("ID") not in ids] + wanted
        self.s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
        return [f"set lifecycle rule {rule_id}" for rule_id in changed]

    def _ensure_cors(self, bucket: str) -> bool:
        wanted = {
            "AllowedMethods": ["GET", "HEAD"],
            "AllowedOrigins": sorted(self.cors_origins),
            "AllowedHeaders": ["*"],
            "MaxAgeSeconds": 3600,
        }
        try:
            current = self.s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
        except ClientError as exc:
            if _code(exc) != "NoSuchCORSConfiguration":
                raise
            current = []
        for rule in current:
            if sorted(rule.get("AllowedOrigins", [])) == wanted["AllowedOrigins"] and set(
                rule.get("AllowedMethods", [])
            ) >= {"GET", "HEAD"}:
                return False
        self.s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [wanted]})
        return True


def app_origins(settings: Settings) -> list[str]:
    """Origins whose pages fetch presigned links: the app's own (PUBLIC_BASE_URL) and CORS_ORIGINS."""
    origins = list(settings.cors_origins)
    if settings.public_base_url:
        parts = urlsplit(settings.public_base_url)
        own = f"{parts.scheme}://{parts.netloc}"
        if parts.netloc and own not in origins:
            origins.append(own)
    return origins


async def bootstrap(settings: Settings) -> list[str]:
    """Bring the configured bucket(s) to the required set-up; the list of changes (empty: nothing to do)."""
    if settings.storage_backend != "s3":
        raise ConfigurationError(
            "STORAGE_BACKEND is 'local': the local store needs no set-up "
            "(set STORAGE_BACKEND=s3 and S3_BUCKET to set up a bucket)"
        )
    store = S3Store.from_settings(settings)
    try:
        region, origins = settings.resolved_s3_region, app_origins(settings)
        bootstrapper = Bootstrapper(store, region=region, cors_origins=origins)
        return await bootstrapper.run()
    finally:
        await store.close()
