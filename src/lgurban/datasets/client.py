"""An async client for the Opendatasoft Explore API v2.1 (any portal; the base URL is OPENDATA_BASE_URL).

Endpoints used:
    GET /catalog/datasets                      search (where=search("…"), limit, offset, order_by)
    GET /catalog/datasets/{id}                 metadata and fields
    GET /catalog/datasets/{id}/records         rows (limit ≤ 100, offset + limit ≤ 10,000) and aggregates
    GET /catalog/datasets/{id}/exports/{fmt}   full exports (parquet, geojson, csv), streamed to disk

Transient failures (timeouts, broken connections, 429 and 5xx) are retried a bounded number of times with
exponential backoff, honouring `Retry-After`; a portal that cannot be connected to at all (unknown name,
refused) is retried once: a person waiting on a search learns it in about a second, not ~10 s (issue 19).
The portal's error body (`error_code`, `message`) becomes the message of the raised error.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import hashlib
import importlib.metadata
import logging
import os
import queue
import random
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx

from lgurban.errors import (
    AppError,
    BadRequest,
    DatasetNotFound,
    InvalidDatasetId,
    OpendataTimeout,
    OpendataUnavailable,
    PayloadTooLarge,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

# Opendatasoft dataset ids are slugs: letters, digits, '-', '_' (and '.' in some portals); never '..' or '/'.
_DATASET_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-.]{0,199}$")
# the same rule as a JSON Schema pattern (with maxLength 200) for /openapi.json: no '..', as a plain regex
DATASET_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.?$"
try:
    _VERSION = importlib.metadata.version("lgurban")
except importlib.metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    _VERSION = "0.1.0"
USER_AGENT = f"LG-Urban/{_VERSION} (self-hosted urban open-data analyst; python-httpx)"
MAX_PAGE = 100  # records per page on the portal
MAX_WINDOW = 10_000  # offset + limit on the portal
CHUNK = 1024 * 1024


def check_dataset_id(dataset_id: str) -> str:
    """The id, or InvalidDatasetId (400) before any request is made with it."""
    if not isinstance(dataset_id, str) or not _DATASET_ID.match(dataset_id) or ".." in dataset_id:
        shown = dataset_id[:60] + "…" if isinstance(dataset_id, str) and len(dataset_id) > 60 else dataset_id
        raise InvalidDatasetId(
            f"invalid dataset id {shown!r}: use letters, digits, '-', '_' or '.' (at most 200 characters)"
        )
    return dataset_id


class PortalError(AppError):
    """The portal refused a request (a 4xx other than 404/429) — shown with its own error_code/message."""

    code = "OPENDATA_ERROR"
    status = 502


@dataclass(frozen=True)
class Download:
    path: Path
    bytes: int
    sha256: str
    etag: str | None
    last_modified: str | None
    not_modified: bool = False  # 304 to a conditional request: nothing was written


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _error_text(response: httpx.Response) -> str:
    """`error_code: message` from the portal's JSON error body, or the start of whatever it sent."""
    try:
        body = response.json()
    except ValueError:
        return (response.text or response.reason_phrase or "").strip()[:300]
    if isinstance(body, dict):
        code = body.get("error_code")
        message = body.get("message") or body.get("error") or ""
        return f"{code}: {message}" if code else str(message)[:300]
    return str(body)[:300]


class _Retry(Exception):
    def __init__(
        self, reason: str, delay: float | None, *, timeout: bool = False, unreachable: bool = False
    ) -> None:
        super().__init__(reason)
        self.reason, self.delay, self.timeout = reason, delay, timeout
        self.unreachable = unreachable  # no connection at all: retried once (issue 19)


def _transport_retry(exc: httpx.TransportError) -> _Retry:
    return _Retry(f"{type(exc).__name__}: {exc}", None, unreachable=isinstance(exc, httpx.ConnectError))


class _FileSink:
    """Writes and hashes chunks in a worker thread. Chunks are handed over in batches of about 1 MB
    (one hand-off per batch, not per network read) through a bounded queue (≈ 8 MB in flight)."""

    BATCH = 1024 * 1024

    def __init__(self, fd: int, digest: Any, depth: int = 8) -> None:
        self._queue: queue.Queue[list[bytes] | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._file = open(fd, "wb", buffering=0)
        self._digest = digest
        self._batch: list[bytes] = []
        self._batch_size = 0
        self._done = asyncio.get_running_loop().run_in_executor(None, self._work)

    def _work(self) -> None:
        try:
            while (batch := self._queue.get()) is not None:
                if self._error is None:
                    try:
                        for chunk in batch:
                            self._digest.update(chunk)
                        self._file.write(b"".join(batch) if len(batch) > 1 else batch[0])
                    except BaseException as exc:  # keep draining so the producer never blocks forever
                        self._error = exc
        finally:
            self._file.close()

    async def _hand_over(self, item: list[bytes] | None) -> None:
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            await asyncio.to_thread(self._queue.put, item)

    async def put(self, chunk: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._batch.append(chunk)
        self._batch_size += len(chunk)
        if self._batch_size >= self.BATCH:
            batch, self._batch, self._batch_size = self._batch, [], 0
            await self._hand_over(batch)

    async def close(self) -> None:
        if self._batch:
            batch, self._batch, self._batch_size = self._batch, [], 0
            await self._hand_over(batch)
        await self._hand_over(None)
        await self._done
        if self._error is not None:
            raise self._error


class OpendataClient:
    """One shared httpx.AsyncClient (HTTP/2 when the server offers it over TLS, keep-alive) per service."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout_s: float = 30.0,
        retries: int = 3,
        backoff_s: float = 0.5,
        max_backoff_s: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = max(0, retries)
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        http2 = self.base_url.startswith("https://")
        try:
            import h2  # noqa: F401
        except ImportError:  # pragma: no cover - httpx[http2] is a dependency
            http2 = False
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            http2=http2,
            timeout=httpx.Timeout(timeout_s, connect=min(10.0, timeout_s)),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
            follow_redirects=True,
            transport=transport,
        )

    async def close(self) -> None:
        await self._http.aclose()

    # --- retries -------------------------------------------------------------------------------------

    async def _with_retries(self, what: str, attempt_fn: Callable[[], Awaitable[T]]) -> T:
        last: _Retry | None = None
        for attempt in range(self.retries + 1):
            try:
                return await attempt_fn()
            except _Retry as exc:
                last = exc
                if attempt >= (min(1, self.retries) if exc.unreachable else self.retries):
                    break
                delay = exc.delay
                if delay is None:
                    delay = self.backoff_s * (2**attempt) * (0.75 + random.random() / 2)
                delay = min(delay, self.max_backoff_s)
                log.info("opendata %s: %s; retry %d in %.2fs", what, exc.reason, attempt + 1, delay)
                await asyncio.sleep(delay)
        assert last is not None
        cls = OpendataTimeout if last.timeout else OpendataUnavailable
        raise cls(f"the open-data portal did not answer {what} ({last.reason}) after {attempt + 1} attempts")

    def _classify(self, response: httpx.Response, what: str, dataset_id: str | None) -> None:
        """Raise the right error for a non-2xx response (a _Retry for transient ones)."""
        status = response.status_code
        if status < 400:
            return
        text = _error_text(response)
        if status == 429 or status >= 500:
            raise _Retry(f"HTTP {status} {text}".strip(), _retry_after(response), timeout=status == 504)
        if status == 404:
            if dataset_id is not None:
                raise DatasetNotFound(f"dataset {dataset_id!r} not found on the open-data portal")
            raise PortalError(f"the open-data portal has no {what}: {text}")
        if status == 400:
            raise BadRequest(f"the open-data portal refused {what}: {text}")
        raise PortalError(f"the open-data portal refused {what} (HTTP {status}): {text}")

    async def get_json(
        self, path: str, params: dict[str, Any] | None = None, *, dataset_id: str | None = None
    ) -> Any:
        what = f"GET {path}"

        async def attempt() -> Any:
            try:
                response = await self._http.get(path, params=params)
            except httpx.TimeoutException as exc:
                raise _Retry(f"timed out ({type(exc).__name__})", None, timeout=True) from exc
            except httpx.TransportError as exc:
                raise _transport_retry(exc) from exc
            self._classify(response, what, dataset_id)
            try:
                return response.json()
            except ValueError as exc:
                raise _Retry("answered with a body that is not JSON", None) from exc

        return await self._with_retries(what, attempt)

    # --- API -----------------------------------------------------------------------------------------

    async def search(
        self, q: str = "", *, limit: int = 20, offset: int = 0, order_by: str | None = None
    ) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": max(0, min(limit, MAX_PAGE)), "offset": max(0, offset)}
        if q.strip():
            params["where"] = 'search("' + q.replace("\\", "\\\\").replace('"', '\\"') + '")'
        if order_by:
            params["order_by"] = order_by
        body = await self.get_json("/catalog/datasets", params)
        return body if isinstance(body, dict) else {"total_count": 0, "results": []}

    async def dataset(self, dataset_id: str) -> dict[str, Any]:
        check_dataset_id(dataset_id)
        body = await self.get_json(f"/catalog/datasets/{dataset_id}", dataset_id=dataset_id)
        if not isinstance(body, dict):
            raise OpendataUnavailable(f"the open-data portal sent unexpected metadata for {dataset_id!r}")
        return body

    async def records(
        self,
        dataset_id: str,
        *,
        limit: int = 10,
        offset: int = 0,
        select: str | None = None,
        where: str | None = None,
        order_by: str | None = None,
    ) -> dict[str, Any]:
        check_dataset_id(dataset_id)
        limit = max(0, min(limit, MAX_PAGE))
        offset = max(0, min(offset, MAX_WINDOW - limit))
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        if select:
            params["select"] = select
        if where:
            params["where"] = where
        if order_by:
            params["order_by"] = order_by
        body = await self.get_json(f"/catalog/datasets/{dataset_id}/records", params, dataset_id=dataset_id)
        return body if isinstance(body, dict) else {"total_count": 0, "results": []}

    async def aggregate(self, dataset_id: str, select: str) -> dict[str, Any]:
        """One row of aggregates (e.g. `min(data),max(data)`) over the whole dataset."""
        body = await self.records(dataset_id, limit=1, select=select)
        results = body.get("results") or []
        return results[0] if results and isinstance(results[0], dict) else {}

    async def export_to(
        self,
        dataset_id: str,
        fmt: str,
        dest: Path,
        *,
        max_bytes: int,
        if_none_match: str | None = None,
    ) -> Download:
        """Stream `/exports/{fmt}` into `dest` (written to a temp file beside it, renamed when complete),
        hashing as it goes; PayloadTooLarge past `max_bytes` (from Content-Length or while streaming).
        With `if_none_match` (an ETag from an earlier download), a 304 returns `not_modified=True`."""
        check_dataset_id(dataset_id)
        if fmt not in ("parquet", "geojson", "csv"):
            raise BadRequest(f"unsupported export format {fmt!r}")
        path = f"/catalog/datasets/{dataset_id}/exports/{fmt}"
        what = f"the {fmt} export of {dataset_id!r}"

        async def attempt() -> Download:
            tmp = dest.with_name(f".{dest.name}.{os.getpid()}.{random.getrandbits(40):010x}.part")
            try:
                headers = {"Accept": "*/*"}
                if if_none_match:
                    headers["If-None-Match"] = if_none_match
                async with self._http.stream("GET", path, headers=headers) as response:
                    if response.status_code == 304 and if_none_match:
                        return Download(
                            dest, 0, "", response.headers.get("etag") or if_none_match, None, True
                        )
                    if response.status_code >= 400:
                        await response.aread()
                    self._classify(response, what, dataset_id)
                    return await _save_body(response, tmp, dest, what, max_bytes)
            except httpx.TimeoutException as exc:
                raise _Retry(f"timed out ({type(exc).__name__})", None, timeout=True) from exc
            except httpx.TransportError as exc:
                raise _transport_retry(exc) from exc
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)

        return await self._with_retries(f"for {what}", attempt)


async def _save_body(response: httpx.Response, tmp: Path, dest: Path, what: str, max_bytes: int) -> Download:
    """Stream the body into `tmp` while hashing it, check that it is whole, then rename it to `dest`."""
    length = response.headers.get("content-length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise PayloadTooLarge(
            f"{what} is {int(length)} bytes, over the limit of {max_bytes} bytes (OPENDATA_MAX_EXPORT_BYTES)",
            size=int(length),
            limit=max_bytes,
        )
    digest = hashlib.sha256()
    size = 0
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    sink = _FileSink(fd, digest)  # hashing and writing overlap the network reads
    try:
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise PayloadTooLarge(
                    f"{what} is over the limit of {max_bytes} bytes (OPENDATA_MAX_EXPORT_BYTES)",
                    size=size,
                    limit=max_bytes,
                )
            await sink.put(chunk)
    finally:
        await sink.close()
    encoded = response.headers.get("content-encoding", "identity") != "identity"
    if length and length.isdigit() and not encoded and int(length) != size:
        raise _Retry(f"the download stopped at {size} of {length} bytes", None)
    os.replace(tmp, dest)
    return Download(
        dest, size, digest.hexdigest(), response.headers.get("etag"), response.headers.get("last-modified")
    )
