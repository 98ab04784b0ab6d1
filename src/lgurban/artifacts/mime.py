"""MIME type of an artifact: the content decides, the extension refines (never the other way round).

A file named `plot.png` that holds HTML is HTML (and is served sandboxed as such); a `.csv` holding
plain text is `text/csv`; a ZIP named `.xlsx` is a spreadsheet."""

from __future__ import annotations

import mimetypes
from pathlib import Path

SNIFF_BYTES = 4096

_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PAR1", "application/vnd.apache.parquet"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
    (b"ARROW1", "application/vnd.apache.arrow.file"),
    (b"SQLite format 3\x00", "application/vnd.sqlite3"),
]

_EXTENSIONS = {
    ".parquet": "application/vnd.apache.parquet",
    ".geojson": "application/geo+json",
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
    ".md": "text/markdown",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".html": "text/html",
    ".htm": "text/html",
    ".txt": "text/plain",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".gpkg": "application/geopackage+sqlite3",
    ".feather": "application/vnd.apache.arrow.file",
    ".arrow": "application/vnd.apache.arrow.file",
}

# content types whose scripts a browser would run: served with a sandboxing CSP
ACTIVE_TYPES = {"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml"}


def _by_extension(filename: str) -> str | None:
    ext = Path(filename).suffix.lower()
    return _EXTENSIONS.get(ext) or mimetypes.guess_type(filename)[0]


def _looks_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sniffed window is still text
        if exc.start < len(head) - 4:
            return False
    return True


def sniff(head: bytes, filename: str) -> str:
    """The MIME type for a file starting with `head` and named `filename`."""
    by_ext = _by_extension(filename)
    if head[8:12] == b"WEBP" and head.startswith(b"RIFF"):
        return "image/webp"
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            if mime == "application/zip" and by_ext and ("openxml" in by_ext or by_ext.endswith("zip")):
                return by_ext  # xlsx/docx are ZIPs
            if mime == "application/vnd.sqlite3" and by_ext == "application/geopackage+sqlite3":
                return by_ext
            return mime
    if not head:
        return by_ext if by_ext and by_ext.startswith("text/") else "application/octet-stream"
    if not _looks_text(head):
        return "application/octet-stream"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe")):
        return "text/html"
    if b"<svg" in text[:1024] and text.startswith((b"<svg", b"<?xml", b"<!--", b"<!doctype svg")):
        return "image/svg+xml"
    if text.startswith(b"<?xml"):
        return by_ext if by_ext in {"application/xml", "text/xml"} else "application/xml"
    # plain text: the extension says which kind (csv, json, geojson, markdown…), unless it claims binary
    if by_ext and (by_ext.startswith("text/") or by_ext.endswith("json")):
        return by_ext
    if text.startswith((b"{", b"[")) and by_ext is None:
        return "application/json"
    return "text/plain"


def sniff_file(path: Path, filename: str) -> str:
    with path.open("rb") as f:
        return sniff(f.read(SNIFF_BYTES), filename)


def is_active(mime: str) -> bool:
    return mime.split(";")[0].strip().lower() in ACTIVE_TYPES
