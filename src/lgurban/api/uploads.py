"""A file upload's multipart body, streamed to a temporary file beside the workspaces (never held in memory).

One file part (field `file`) and at most one small text field (`path`). The file's bytes go to disk as they
arrive; past `max_bytes` the temporary file is deleted and PayloadTooLarge raised, so nothing is left behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import anyio

from lgurban.errors import InvalidPath, InvalidUpload, PayloadTooLarge

MAX_HEADER_BYTES = 16 * 1024
MAX_FIELD_BYTES = 4 * 1024
STALE_AFTER_S = 24 * 3600  # a temporary file this old was left by a server that died mid-upload
_PARAM = re.compile(r';\s*([\w*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class ParsedUpload:
    tmp: Path  # the file's bytes, in a temporary file the caller removes
    filename: str  # as the client sent it (unsanitised)
    size: int
    fields: dict[str, str] = field(default_factory=dict)


def boundary_of(content_type: str | None) -> bytes:
    """The multipart boundary of a Content-Type header, or InvalidUpload."""
    kind, _, rest = (content_type or "").partition(";")
    params = _params(";" + rest)
    boundary = params.get("boundary", "")
    if kind.strip().lower() != "multipart/form-data" or not 0 < len(boundary) <= 200:
        raise InvalidUpload("send the file as multipart/form-data with a field named 'file'")
    return boundary.encode("latin-1", "replace")


def _params(header: str) -> dict[str, str]:
    out = {}
    for name, value in _PARAM.findall(header):
        value = value.strip()
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        out[name.lower()] = value
    return out


def safe_file_name(name: str) -> str:
    """The last component of a client's file name, visible (no leading dots) and printable, or InvalidPath."""
    if "\x00" in name:
        raise InvalidPath("the file name contains a NUL character")
    base = re.split(r"[/\\]", name)[-1]
    base = _CONTROL.sub("_", base).strip().lstrip(".").strip()
    if not base:
        raise InvalidPath(f"the file name {name!r} names no file: give the form field `path`")
    if len(base.encode()) > 200:
        stem, dot, ext = base.rpartition(".")
        ext = ext[:20] if dot else ""
        base = (stem if dot else base).encode()[:170].decode(errors="ignore") + (f".{ext}" if ext else "")
    return base


class _Parser:
    """Part by part: headers, then the part's bytes up to the next boundary line."""

    def __init__(self, boundary: bytes, tmp_dir: Path, max_bytes: int) -> None:
        self.delimiter = b"\r\n--" + boundary
        self.buf = b"\r\n"  # so the first boundary line matches the same delimiter
        self.tmp_dir = tmp_dir
        self.max_bytes = max_bytes
        self.state = "preamble"
        self.part: dict[str, str] = {}
        self.value = b""
        self.out: BinaryIO | None = None
        self.result: ParsedUpload | None = None
        self.fields: dict[str, str] = {}

    async def feed(self, chunk: bytes) -> None:
        self.buf += chunk
        while await self._step():
            pass

    async def _step(self) -> bool:
        if self.state == "preamble":
            at = self.buf.find(self.delimiter)
            if at < 0:
                self.buf = self.buf[-len(self.delimiter) :]
                return False
            self.buf, self.state = self.buf[at + len(self.delimiter) :], "after-boundary"
            return True
        if self.state == "after-boundary":
            if len(self.buf) < 2:
                return False
            if self.buf.startswith(b"--"):
                self.state, self.buf = "done", b""
                return False
            self.state = "headers"
            return True
        if self.state == "headers":
            return self._headers()
        if self.state == "body":
            return await self._body()
        self.buf = b""  # epilogue
        return False

    def _headers(self) -> bool:
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            if len(self.buf) > MAX_HEADER_BYTES:
                raise InvalidUpload("a form part's headers are too long")
            return False
        lines = self.buf[:end].decode("utf-8", "replace").split("\r\n")
        self.buf, self.state = self.buf[end + 4 :], "body"
        self.part = {}
        for line in lines:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-disposition":
                self.part = _params(";" + value.partition(";")[2])
        if self.part.get("name") == "file" and "filename" in self.part:
            if self.result is not None:
                raise InvalidUpload("send one file per upload")
            self._open(self.part["filename"])
        self.value = b""
        return True

    def _open(self, filename: str) -> None:
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.tmp_dir / f"upload-{secrets.token_hex(12)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        self.out = open(fd, "wb")  # closed in _end_part or close()
        self.result = ParsedUpload(tmp=tmp, filename=filename, size=0)

    async def _body(self) -> bool:
        at = self.buf.find(self.delimiter)
        keep = len(self.delimiter) - 1
        if at < 0:
            if len(self.buf) > keep:
                await self._data(self.buf[:-keep])
                self.buf = self.buf[-keep:]
            return False
        await self._data(self.buf[:at])
        self.buf, self.state = self.buf[at + len(self.delimiter) :], "after-boundary"
        self._end_part()
        return True

    async def _data(self, data: bytes) -> None:
        if not data:
            return
        if self.out is not None and self.result is not None:
            self.result.size += len(data)
            if self.result.size > self.max_bytes:
                raise PayloadTooLarge(
                    f"the file is over the {self.max_bytes // (1024 * 1024):,} MiB allowed (UPLOAD_MAX_MB)"
                )
            await anyio.to_thread.run_sync(self.out.write, data)
        elif self.part.get("name") == "path":
            self.value += data
            if len(self.value) > MAX_FIELD_BYTES:
                raise InvalidUpload("the form field `path` is too long")

    def _end_part(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None
        elif self.part.get("name") == "path":
            self.fields["path"] = self.value.decode("utf-8", "replace")

    def close(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None


def sweep_stale(tmp_dir: Path, older_than_s: float = STALE_AFTER_S) -> int:
    """Delete temporary uploads left by a server killed mid-upload (an upload in progress is younger)."""
    removed = 0
    cutoff = time.time() - older_than_s
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(tmp_dir):
            with contextlib.suppress(OSError):
                if entry.name.startswith("upload-") and entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed += 1
    return removed


async def receive_upload(
    stream: AsyncIterator[bytes], *, boundary: bytes, tmp_dir: Path, max_bytes: int
) -> ParsedUpload:
    """Parse the multipart body from `stream`; the file in a temporary file (deleted here on any failure)."""
    await anyio.to_thread.run_sync(sweep_stale, tmp_dir)
    parser = _Parser(boundary, tmp_dir, max_bytes)
    try:
        async for chunk in stream:
            await parser.feed(chunk)
        if parser.result is None:
            raise InvalidUpload("the form has no file part named 'file'")
        if parser.state != "done":
            raise InvalidUpload("the form ended before its closing boundary")
        parser.result.fields = parser.fields
        return parser.result
    except BaseException:
        parser.close()
        if parser.result is not None:
            with contextlib.suppress(FileNotFoundError):
                parser.result.tmp.unlink()
        raise
    finally:
        parser.close()
