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
from typing import Any, BinaryIO

import anyio
from python_multipart.exceptions import FormParserError, MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from lgurban.errors import InvalidPath, InvalidUpload, PayloadTooLarge

MAX_HEADER_BYTES = 8 * 1024  # one header line of a form part
MAX_FIELD_BYTES = 4 * 1024
STALE_AFTER_S = 24 * 3600  # a temporary file this old was left by a server that died mid-upload
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class ParsedUpload:
    tmp: Path  # the file's bytes, in a temporary file the caller removes
    filename: str  # as the client sent it (unsanitised)
    size: int
    fields: dict[str, str] = field(default_factory=dict)


def boundary_of(content_type: str | None) -> bytes:
    """The multipart boundary of a Content-Type header, or InvalidUpload."""
    kind, params = parse_options_header(content_type or "")
    boundary = params.get(b"boundary", b"")
    if kind.lower() != b"multipart/form-data" or not 0 < len(boundary) <= 200:
        raise InvalidUpload("send the file as multipart/form-data with a field named 'file'")
    return boundary


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
    """python-multipart's streaming parser; the file part's bytes go to a temporary file, chunk by chunk."""

    def __init__(self, boundary: bytes, tmp_dir: Path, max_bytes: int) -> None:
        self.tmp_dir = tmp_dir
        self.max_bytes = max_bytes
        self.out: BinaryIO | None = None
        self.result: ParsedUpload | None = None
        self.fields: dict[str, str] = {}
        self.done = False
        self._name = ""  # the current part's form field
        self._value = b""  # a text field's bytes
        self._header: list[bytes] = [b"", b""]
        self._headers: dict[bytes, bytes] = {}
        self._pending: list[bytes] = []  # file bytes parsed from the last chunk, written after it
        self._ended = False  # the file part ended: close the file once its bytes are written
        callbacks: Any = {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda d, s, e: self._add_header(0, d[s:e]),
            "on_header_value": lambda d, s, e: self._add_header(1, d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": lambda d, s, e: self._data(d[s:e]),
            "on_part_end": self._part_end,
            "on_end": self._end,
        }
        self.parser = MultipartParser(boundary, callbacks, max_header_size=MAX_HEADER_BYTES)

    async def feed(self, chunk: bytes) -> None:
        try:
            self.parser.write(chunk)
        except (MultipartParseError, FormParserError) as exc:
            raise InvalidUpload(f"the form is not valid multipart/form-data ({exc})") from None
        if self._pending or self._ended:
            await anyio.to_thread.run_sync(self._flush)

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        if self.out is not None:
            for data in pending:
                self.out.write(data)
            if self._ended:
                self.close()

    def _part_begin(self) -> None:
        self._headers, self._name, self._value = {}, "", b""

    def _add_header(self, which: int, data: bytes) -> None:
        self._header[which] += data

    def _header_end(self) -> None:
        self._headers[self._header[0].strip().lower()] = self._header[1].strip()
        self._header = [b"", b""]

    def _headers_finished(self) -> None:
        _, params = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = params.get(b"name", b"").decode("utf-8", "replace")
        if self._name == "file" and b"filename" in params:
            if self.result is not None:
                raise InvalidUpload("send one file per upload")
            self._open(params[b"filename"].decode("utf-8", "replace"))

    def _open(self, filename: str) -> None:
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.tmp_dir / f"upload-{secrets.token_hex(12)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        self.out = open(fd, "wb")  # closed once its part ended, or by close()
        self.result = ParsedUpload(tmp=tmp, filename=filename, size=0)

    def _data(self, data: bytes) -> None:
        if self.out is not None and not self._ended and self.result is not None:
            self.result.size += len(data)
            if self.result.size > self.max_bytes:
                raise PayloadTooLarge(
                    f"the file is over the {self.max_bytes // (1024 * 1024):,} MiB allowed (UPLOAD_MAX_MB)"
                )
            self._pending.append(data)
        elif self._name == "path":
            self._value += data
            if len(self._value) > MAX_FIELD_BYTES:
                raise InvalidUpload("the form field `path` is too long")

    def _part_end(self) -> None:
        if self._name == "path":
            self.fields["path"] = self._value.decode("utf-8", "replace")
        elif self.out is not None:
            self._ended = True

    def _end(self) -> None:
        self.done = True

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
        if not parser.done:
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
