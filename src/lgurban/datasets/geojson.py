"""A dataset's first features as GeoJSON, for the Datasets panel's map (issue 16).

Reads a Parquet file that has a geometry: a GeoParquet `geometry` column (WKB), or the portal's
`geo_shape` / `geo_point_2d` columns. The other columns are each feature's properties (JSON values:
dates as ISO strings, NaN as null, binary left out). At most `limit` features are read, batch by batch.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from lgurban.datasets import geo

BATCH = 8 * 1024
MAX_BYTES = 32 * 1024**2  # a preview's GeoJSON text at most (detailed shapes): the browser draws it all


def _json_value(v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, (datetime, date, time)):
        return v.isoformat()
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, (list, tuple)):
        return [_json_value(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _json_value(x) for k, x in v.items()}
    return str(v)


def geometry_column(schema: pa.Schema) -> str | None:
    """The column the map draws: `geometry` when the file is GeoParquet, else a portal geo column."""
    if "geometry" in schema.names:
        return "geometry"
    info = geo.parquet_geo_info(schema)
    if info is None:
        return None
    return geo.source_column(schema, info["fields"])


def _geometries(batch: pa.RecordBatch, column: str) -> list[Any]:
    import shapely

    col = batch.column(column)
    if pa.types.is_binary(col.type) or pa.types.is_large_binary(col.type):
        return list(shapely.from_wkb(col.to_numpy(zero_copy_only=False), on_invalid="ignore"))
    return geo._geometries(batch, column)


def _column_values(col: pa.Array) -> list[Any]:
    """A column as JSON values: ints, strings and booleans as they are, NaN as null, the rest converted."""
    t = col.type
    values = col.to_pylist()
    if (
        pa.types.is_integer(t)
        or pa.types.is_string(t)
        or pa.types.is_large_string(t)
        or pa.types.is_boolean(t)
    ):
        return values
    if pa.types.is_floating(t):
        return [v if v is None or math.isfinite(v) else None for v in values]
    return [_json_value(v) for v in values]


def file_features(path: Path, limit: int, max_bytes: int = MAX_BYTES) -> bytes | None:
    """The GeoJSON text of {"type": "FeatureCollection", "features", "total", "truncated"}: the file's
    first `limit` rows with a geometry (`total`: the file's rows; `truncated`: rows after the last feature
    taken were not read, for `limit` or for `max_bytes` of text). None when the file has no geometry
    column. GEOS's GeoJSON of each geometry is put in as it is."""
    import shapely

    pf = pq.ParquetFile(path)
    schema = pf.schema_arrow
    column = geometry_column(schema)
    if column is None:
        return None
    skip = {column, *(n for n in schema.names if n in geo.GEO_NAMES)}
    props = [
        f.name
        for f in schema
        if f.name not in skip and not (pa.types.is_binary(f.type) or pa.types.is_large_binary(f.type))
    ]
    parts: list[str] = []
    size = 0
    consumed = 0  # rows looked at, up to the last one taken
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
    for batch in pf.iter_batches(batch_size=BATCH):
        geoms = _geometries(batch, column)
        texts = shapely.to_geojson(geoms)
        cols = [_column_values(batch.column(name)) for name in props]
        for i, (g, text) in enumerate(zip(geoms, texts, strict=True)):
            consumed += 1
            if g is None or g.is_empty or text is None:
                continue
            properties = dumps({name: values[i] for name, values in zip(props, cols, strict=True)})
            part = f'{{"type":"Feature","geometry":{text},"properties":{properties}}}'
            size += len(part) + 1
            if size > max_bytes and parts:
                consumed -= 1  # this row is not in the answer
                break
            parts.append(part)
            if len(parts) >= limit:
                break
        if len(parts) >= limit or size > max_bytes:
            break
    total = int(pf.metadata.num_rows)
    truncated = "true" if consumed < total else "false"
    head = f'{{"type":"FeatureCollection","total":{total},"truncated":{truncated},"features":['
    return (head + ",".join(parts) + "]}").encode()
