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


def file_features(path: Path, limit: int) -> dict[str, Any] | None:
    """{"type": "FeatureCollection", "features", "total", "truncated"} of the file's first `limit` rows
    with a geometry (`total`: the file's rows); None when the file has no geometry column."""
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
    features: list[dict[str, Any]] = []
    consumed = 0  # rows looked at, up to the last one taken
    for batch in pf.iter_batches(batch_size=BATCH):
        geoms = _geometries(batch, column)
        texts = shapely.to_geojson(geoms)
        rows = batch.select(props).to_pylist() if props else [{} for _ in geoms]
        for g, text, row in zip(geoms, texts, rows, strict=True):
            consumed += 1
            if g is None or g.is_empty or text is None:
                continue
            properties = {k: _json_value(v) for k, v in row.items()}
            features.append({"type": "Feature", "geometry": json.loads(text), "properties": properties})
            if len(features) >= limit:
                break
        if len(features) >= limit:
            break
    total = int(pf.metadata.num_rows)
    return {
        "type": "FeatureCollection",
        "features": features,
        "total": total,
        "truncated": consumed < total,  # rows after the last feature taken were not read
    }
