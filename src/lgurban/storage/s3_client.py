"""The boto3 client behind the S3 store: regional endpoint, the bucket's real region, temporary credentials.

- Presigned links name the regional virtual-hosted endpoint (`https://BUCKET.s3.REGION.amazonaws.com/KEY`):
  the global one (`BUCKET.s3.amazonaws.com`) answers new buckets outside us-east-1 with a 307 redirect,
  which a browser's CORS `fetch` does not follow.
- The region is S3_REGION, else AWS_REGION / AWS_DEFAULT_REGION; at start-up the store reads the bucket's own
  region (`x-amz-bucket-region`, sent even with a 301 for a wrong region) and signs for that one, so a wrong
  setting cannot break every link while HeadBucket passes.
- A presigned link carries the signer's credentials: signed with temporary ones (STS, an ECS task role, an
  instance profile — anything with a session token) it stops working when they expire, whatever its
  X-Amz-Expires says. Such links are capped to what is left of the credentials (1 h when unknown).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.client import Config

from lgurban.settings import Settings

log = logging.getLogger(__name__)

# the longest a presigned link may live when the signing credentials carry a session token and their expiry
# is unknown (a static AWS_SESSION_TOKEN): STS sessions default to 1 h
SESSION_PRESIGN_S = 3600


def make_client(settings: Settings, region: str | None = None) -> Any:
    """A boto3 S3 client for the settings (no request is made here)."""
    region = region or settings.resolved_s3_region
    kwargs: dict[str, Any] = {}
    if settings.aws_access_key_id and settings.aws_secret_access_key:
        kwargs["aws_access_key_id"] = settings.aws_access_key_id.get_secret_value()
        kwargs["aws_secret_access_key"] = settings.aws_secret_access_key.get_secret_value()
        if settings.aws_session_token:  # temporary keys are useless without their token
            kwargs["aws_session_token"] = settings.aws_session_token.get_secret_value()
    config = Config(
        signature_version="s3v4",
        region_name=region,
        connect_timeout=5,
        read_timeout=60,
        retries={"max_attempts": 3, "mode": "standard"},
        # a custom endpoint (MinIO, moto, R2…) is usually addressed by path; AWS by virtual host
        s3={"addressing_style": "path" if settings.s3_endpoint_url else "virtual"},
        max_pool_connections=20,
    )
    # AWS: the regional endpoint, so presigned links are https://BUCKET.s3.REGION.amazonaws.com/...
    endpoint = settings.s3_endpoint_url or f"https://s3.{region}.amazonaws.com"
    session = boto3.session.Session()
    return session.client("s3", endpoint_url=endpoint, config=config, **kwargs)


def client_region(client: Any) -> str:
    return str(client.meta.region_name)


def bucket_region(response_or_error: dict[str, Any]) -> str | None:
    """The `x-amz-bucket-region` header of a HeadBucket answer (or of its 301/403 error), if any."""
    headers = (response_or_error.get("ResponseMetadata") or {}).get("HTTPHeaders") or {}
    region = headers.get("x-amz-bucket-region")
    return str(region) if region else None


def credentials_cap(client: Any) -> int | None:
    """Seconds a presigned link can work with the client's credentials; None when they do not expire."""
    try:
        creds = client._request_signer._credentials
    except AttributeError:
        return None
    if creds is None:
        return None
    expiry = getattr(creds, "_expiry_time", None)
    if expiry is not None:  # refreshable credentials (task role, instance profile, assumed role)
        left = int((expiry - datetime.now(UTC)).total_seconds())
        return max(60, left)
    frozen = creds.get_frozen_credentials()
    return SESSION_PRESIGN_S if frozen.token else None
