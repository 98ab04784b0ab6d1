"""Geo detection and GeoParquet conversion for portal exports.

The portal's Parquet export carries `geo_point_2d` (a {lon, lat} struct, or a "lat, lon" string) and
`geo_shape` (GeoJSON text). For geographic datasets a `geometry` column (WKB) and the GeoParquet `geo`
metadata are added, so `geopandas.read_parquet` returns a GeoDataFrame; the original columns are kept.
The file is rewritten batch by batch, never read whole.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

GEO_TYPES = ("geo_point_2d", "geo_shape")
GEO_NAMES = ("geo_point_2d", "geo_shape", "geometry", "geom", "geopoint")
BATCH = 64 * 1024


def _points(col: pa.Array) -> list[Any]:
    import shapely

    if pa.types.is_struct(col.type):
        names = [col.type.field(i).name for i in range(col.type.num_fields)]
        if "lon" in names and "lat" in names:
            lon = col.field("lon").to_numpy(zero_copy_only=False)
            lat = col.field("lat").to_numpy(zero_copy_only=False)
            pts = shapely.points(lon, lat)
            valid = col.is_valid().to_numpy(zero_copy_only=False)
            return [
                p if ok and not (math.isnan(x) or math.isnan(y)) else None
                for p, ok, x, y in zip(pts, valid, lon, lat, strict=True)
            ]
    out: list[Any] = []
    for v in col.to_pylist():
        if isinstance(v, str) and "," in v:
            lat_s, lon_s = v.split(",", 1)
            out.append(shapely.Point(float(lon_s), float(lat_s)))
        elif isinstance(v, dict) and "lon" in v and "lat" in v:
            out.append(shapely.Point(v["lon"], v["lat"]))
        else:
            out.append(None)
    return out


def _shapes(col: pa.Array) -> list[Any]:
    import shapely
    from shapely.geometry import shape

    out: list[Any] = []
    for v in col.to_pylist():
        if v is None:
            out.append(None)
        elif isinstance(v, bytes):
            out.append(shapely.from_wkb(v))
        else:
            obj = json.loads(v) if isinstance(v, str) else v
            if isinstance(obj, dict) and obj.get("type") == "Feature":
                obj = obj.get("geometry")
            out.append(shape(obj) if obj else None)
    return out


def _wgs84() -> Any:
    """EPSG:4326 as PROJJSON (coordinates stay lon/lat, as GeoParquet requires), so geopandas says 4326."""
    from pyproj import CRS

    return CRS.from_epsg(4326).to_json_dict()


def source_column(schema: pa.Schema, geo_fields: list[str]) -> str | None:
    """The column to build geometry from: a geo_shape first (richer), else a geo_point_2d."""
    names = set(schema.names)
    if "geometry" in names:
        return None  # already has one
    for preferred in ("geo_shape", "geo_point_2d"):
        for f in geo_fields:
            if f in names and (f == preferred or f.startswith(preferred)):
                return f
    for f in geo_fields:
        if f in names:
            return f
    return None


def _geometries(batch: pa.RecordBatch, column: str) -> list[Any]:
    col = batch.column(column)
    if pa.types.is_struct(col.type) or column.startswith("geo_point"):
        return _points(col)
    return _shapes(col)


def to_geoparquet(src: Path, dest: Path, column: str) -> dict[str, Any]:
    """Write `src` plus a WKB `geometry` column built from `column` to `dest` (GeoParquet 1.0).
    Returns {"bbox": [minx, miny, maxx, maxy] | None, "geometry_types": [...]}."""
    import shapely

    pf = pq.ParquetFile(src)
    bounds = [math.inf, math.inf, -math.inf, -math.inf]
    types: set[str] = set()
    for batch in pf.iter_batches(batch_size=BATCH, columns=[column]):
        for g in _geometries(batch, column):
            if g is None or g.is_empty:
                continue
            types.add(g.geom_type)
            x0, y0, x1, y1 = g.bounds
            bounds = [min(bounds[0], x0), min(bounds[1], y0), max(bounds[2], x1), max(bounds[3], y1)]
    bbox = bounds if math.isfinite(bounds[0]) else None
    geo_meta: dict[str, Any] = {
        "version": "1.0.0",
        "primary_column": "geometry",
        "columns": {"geometry": {"encoding": "WKB", "geometry_types": sorted(types), "crs": _wgs84()}},
    }
    if bbox:
        geo_meta["columns"]["geometry"]["bbox"] = bbox
    schema = pf.schema_arrow.append(pa.field("geometry", pa.binary()))
    metadata = dict(schema.metadata or {})
    metadata[b"geo"] = json.dumps(geo_meta).encode()
    schema = schema.with_metadata(metadata)
    with pq.ParquetWriter(dest, schema, compression="snappy") as writer:
        for batch in pf.iter_batches(batch_size=BATCH):
            geoms = _geometries(batch, column)
            wkb = shapely.to_wkb(geoms)
            arr = pa.array([w if w is not None else None for w in wkb], pa.binary())
            writer.write_batch(pa.RecordBatch.from_arrays([*batch.columns, arr], schema=schema))
    return {"bbox": bbox, "geometry_types": sorted(types)}


def parquet_geo_info(schema: pa.Schema) -> dict[str, Any] | None:
    """{fields, bbox} for a Parquet schema that is GeoParquet or has geo-named columns, else None."""
    meta = schema.metadata or {}
    if b"geo" in meta:
        try:
            geo = json.loads(meta[b"geo"])
            cols = geo.get("columns") or {}
            primary = geo.get("primary_column") or next(iter(cols), "geometry")
            bbox = (cols.get(primary) or {}).get("bbox")
            return {"fields": list(cols) or [primary], "bbox": bbox}
        except (ValueError, AttributeError):
            pass
    fields = [n for n in schema.names if n in GEO_NAMES]
    return {"fields": fields, "bbox": None} if fields else None


def file_bbox(path: Path) -> list[float] | None:
    """[min_lon, min_lat, max_lon, max_lat] of a Parquet file's geometries: the GeoParquet metadata's bbox
    when it has one, else computed from the geometry column batch by batch; None when it has no geometry."""
    import shapely

    pf = pq.ParquetFile(path)
    schema = pf.schema_arrow
    info = parquet_geo_info(schema)
    if info is None:
        return None
    if isinstance(info["bbox"], list) and len(info["bbox"]) in (4, 6):  # 6: with min_z/max_z
        box = [float(v) for v in info["bbox"]]
        return box if len(box) == 4 else [box[0], box[1], box[3], box[4]]
    column = "geometry" if "geometry" in schema.names else source_column(schema, info["fields"])
    if column is None:
        return None
    wkb = pa.types.is_binary(schema.field(column).type) or pa.types.is_large_binary(schema.field(column).type)
    bounds = [math.inf, math.inf, -math.inf, -math.inf]
    for batch in pf.iter_batches(batch_size=BATCH, columns=[column]):
        if wkb:
            geoms = shapely.from_wkb(batch.column(0).to_numpy(zero_copy_only=False), on_invalid="ignore")
        else:
            geoms = _geometries(batch, column)
        found = shapely.bounds(geoms)  # NaN rows for missing or empty geometries
        if found.size:
            bounds = [
                min(bounds[0], _nanmin(found[:, 0])),
                min(bounds[1], _nanmin(found[:, 1])),
                max(bounds[2], _nanmax(found[:, 2])),
                max(bounds[3], _nanmax(found[:, 3])),
            ]
    return bounds if math.isfinite(bounds[0]) else None


def _nanmin(values: Any) -> float:
    import numpy as np

    return float(np.nanmin(values)) if not np.isnan(values).all() else math.inf


def _nanmax(values: Any) -> float:
    import numpy as np

    return float(np.nanmax(values)) if not np.isnan(values).all() else -math.inf
