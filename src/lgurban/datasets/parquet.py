"""Parquet helpers of the dataset service: checking a download, hashing, the schema's field types, the time
coverage from row-group statistics, and a preview of the first rows. All blocking: run them in a thread."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from lgurban.datasets.models import Preview, TimeCoverage
from lgurban.errors import OpendataUnavailable


class CorruptDownload(OpendataUnavailable):
    """The export is not a readable Parquet file (cut short, or something else than Parquet)."""


def iso(value: Any) -> str | None:
    """A date or time as ISO text (naive datetimes are UTC); other values as text; None stays None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def verify_parquet(path: Path) -> pq.FileMetaData:
    """The file's Parquet metadata, or CorruptDownload when the magic bytes or the footer are wrong."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(4)
            f.seek(max(0, size - 4))
            tail = f.read(4)
        if size < 12 or head != b"PAR1" or tail != b"PAR1":
            raise CorruptDownload(f"the download is not a complete Parquet file ({size} bytes)")
        return pq.read_metadata(path)
    except CorruptDownload:
        raise
    except (OSError, pa.ArrowException) as exc:
        raise CorruptDownload(f"the download is not a readable Parquet file: {exc}") from exc


def arrow_type_name(t: pa.DataType) -> str:
    """The portal's name for an Arrow type (int, double, boolean, date, datetime, binary, text)."""
    if pa.types.is_integer(t):
        return "int"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "double"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_timestamp(t):
        return "datetime"
    if pa.types.is_dictionary(t):
        return arrow_type_name(t.value_type)
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return "binary"
    return "text"


def time_coverage(md: pq.FileMetaData) -> TimeCoverage | None:
    """The first date/timestamp column's range, from the row-group statistics (no data is read)."""
    schema = md.schema.to_arrow_schema()
    names = [f.name for f in schema if pa.types.is_date(f.type) or pa.types.is_timestamp(f.type)]
    if not names:
        return None
    name = names[0]
    idx = schema.get_field_index(name)
    lo: Any = None
    hi: Any = None
    for rg in range(md.num_row_groups):
        stats = md.row_group(rg).column(idx).statistics
        if stats is None or not stats.has_min_max:
            return TimeCoverage(field=name, start=None, end=None)
        lo = stats.min if lo is None else min(lo, stats.min)
        hi = stats.max if hi is None else max(hi, stats.max)
    return TimeCoverage(field=name, start=iso(lo), end=iso(hi))


def preview(path: Path, limit: int) -> Preview:
    """The first `limit` rows; geometries (WKB) as WKT, dates as ISO text."""
    pf = pq.ParquetFile(path)
    columns = pf.schema_arrow.names
    try:
        batch = next(pf.iter_batches(batch_size=limit))
    except StopIteration:
        return Preview(columns=columns, rows=[])
    rows: list[list[Any]] = []
    for r in batch.to_pylist():
        row = []
        for c in columns:
            v = r.get(c)
            if isinstance(v, bytes):
                v = _wkt_or_size(v)
            elif isinstance(v, datetime | date):
                v = v.isoformat()
            row.append(v)
        rows.append(row)
    return Preview(columns=columns, rows=rows)


def _wkt_or_size(value: bytes) -> str:
    try:
        import shapely

        return str(shapely.from_wkb(value).wkt)[:500]
    except Exception:
        return f"<{len(value)} bytes>"
