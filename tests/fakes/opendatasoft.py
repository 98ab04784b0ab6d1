"""A fake Opendatasoft portal speaking the Explore API v2.1 over real HTTP, with Italian fixture datasets.

Paths (under `/api/explore/v2.1`):
    GET /catalog/datasets                       where=search("…"), limit (≤ 100), offset, order_by
    GET /catalog/datasets/{id}                  metadata: dataset_id, features, fields, metas.default
    GET /catalog/datasets/{id}/records          limit (≤ 100), offset (offset + limit ≤ 10,000), order_by,
                                                refine=field:value, where=search("…"), select=f1,f2 or
                                                aggregates select=min(f),max(f),count(*)
    GET /catalog/datasets/{id}/exports/{fmt}    parquet | geojson | csv (Content-Length, ETag, Last-Modified)
Errors answer the portal's JSON body `{"error_code": ..., "message": ...}` with its status.

Fixture datasets (deterministic, built in code — `tests/fakes/fixtures/opendatasoft_data.py`):
    incidenti-stradali-quartieri   road accidents per quartiere and month, with a `data` date field
    fermate-autobus                bus stops with geo_point_2d (geographic)
    popolazione-residente-quartieri  residents per quartiere, year, sex (no date field)

Test controls (in-process): `portal.fail_next(503, times=2, retry_after=0)`, `portal.delay_s`,
`portal.corrupt_exports.add(id)`, `portal.failing_exports.add(id)`, `portal.touch(id)` (new `modified`,
new ETag), `portal.change_data(id, table)` (new rows too), `portal.touch_metadata(id)` (new `modified`,
same ETag), `portal.add_dataset(...)`, `portal.requests` (method, path, query, user-agent),
`portal.export_count[id]`.
Run by hand: `uv run python -m tests.fakes.opendatasoft --port 8200 [--big-rows 1000000]`
then `OPENDATA_BASE_URL=http://127.0.0.1:8200/api/explore/v2.1`.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
import socket
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route
from tests.fakes.fixtures.opendatasoft_data import FIXTURES, FixtureDataset, big_dataset

PREFIX = "/api/explore/v2.1"
_SEARCH = re.compile(r'^\s*search\(\s*"((?:[^"\\]|\\.)*)"\s*\)\s*$')
_AGG = re.compile(r"^(min|max|count)\((\*|[A-Za-z_][A-Za-z0-9_]*)\)(?:\s+as\s+([A-Za-z_][A-Za-z0-9_]*))?$")


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error_code": code, "message": message}, status_code=status)


@dataclass
class _Served:
    fixture: FixtureDataset
    modified: datetime
    version: int = 1
    exports: dict[str, Path] = field(default_factory=dict)


class FakePortal:
    def __init__(self, *, workdir: Path | None = None, fixtures: list[FixtureDataset] | None = None) -> None:
        self._tmp = None if workdir else tempfile.TemporaryDirectory(prefix="fake-ods-")
        self.workdir = workdir or Path(self._tmp.name)  # type: ignore[union-attr]
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.datasets: dict[str, _Served] = {}
        for fx in fixtures if fixtures is not None else FIXTURES():
            self.add_dataset(fx)
        self.delay_s = 0.0
        self.corrupt_exports: set[str] = set()
        self.failing_exports: set[str] = set()  # exports of these ids answer 500 every time
        self.requests: list[dict[str, Any]] = []
        self.export_count: Counter[str] = Counter()
        self.not_modified_count: Counter[str] = Counter()
        self._failures: list[tuple[int, float | None]] = []
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self.app = Starlette(
            routes=[
                Route(f"{PREFIX}/catalog/datasets", self._catalog),
                Route(f"{PREFIX}/catalog/datasets/{{dataset_id}}", self._dataset),
                Route(f"{PREFIX}/catalog/datasets/{{dataset_id}}/records", self._records),
                Route(f"{PREFIX}/catalog/datasets/{{dataset_id}}/exports/{{fmt}}", self._export),
            ]
        )
        self.app.add_exception_handler(404, self._not_found)

    # --- controls ------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PREFIX}"

    def add_dataset(self, fixture: FixtureDataset) -> None:
        self.datasets[fixture.dataset_id] = _Served(fixture, fixture.modified)

    def touch(self, dataset_id: str) -> None:
        """The data changed on the portal: new `modified`, new export files and ETags."""
        served = self.datasets[dataset_id]
        served.version += 1
        served.modified = datetime.now(UTC).replace(microsecond=0)
        served.exports.clear()

    def change_data(self, dataset_id: str, table: pa.Table) -> None:
        """The data itself changed on the portal: these rows from now on, new `modified`, exports, ETags."""
        fixture = self.datasets[dataset_id].fixture
        fixture._table, fixture._records = table, None
        self.touch(dataset_id)

    def touch_metadata(self, dataset_id: str) -> None:
        """Only the metadata changed: new `modified`, same data and export ETags."""
        self.datasets[dataset_id].modified = datetime.now(UTC).replace(microsecond=0)

    def fail_next(self, status: int, *, times: int = 1, retry_after: float | None = None) -> None:
        with self._lock:
            self._failures.extend([(status, retry_after)] * times)

    def clear_failures(self) -> None:
        with self._lock:
            self._failures.clear()

    # --- server --------------------------------------------------------------------------------------

    def start(self, port: int = 0) -> FakePortal:
        # tables built before serving: the process's first pyarrow table takes ~2 s, longer than the
        # 2 s client timeouts the tests use (the first catalog answer timed out: 504 OPENDATA_UNAVAILABLE)
        for served in self.datasets.values():
            served.fixture.table()
        if not port:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = int(s.getsockname()[1])
        self.port = port
        config = uvicorn.Config(self.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True, name="fake-opendatasoft")
        self._thread.start()
        deadline = time.monotonic() + 60
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("fake Opendatasoft portal did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=20)
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> FakePortal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- handlers ------------------------------------------------------------------------------------

    async def _gate(self, request: Request) -> Response | None:
        self.requests.append(
            {
                "method": request.method,
                "path": request.url.path.removeprefix(PREFIX),
                "query": dict(request.query_params),
                "user_agent": request.headers.get("user-agent", ""),
            }
        )
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            status, retry_after = failure
            headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
            code = "TooManyRequests" if status == 429 else "InternalServerError"
            resp = _error(status, code, f"fake portal failure {status}")
            if headers:
                resp.headers.update(headers)
            return resp
        return None

    async def _not_found(self, request: Request, exc: Exception) -> Response:
        return _error(404, "NotFound", f"Unknown path {request.url.path}")

    def _get(self, dataset_id: str) -> _Served | None:
        return self.datasets.get(dataset_id)

    def _meta(self, served: _Served) -> dict[str, Any]:
        fx = served.fixture
        features = ["analyze"]
        if fx.geo_fields:
            features.append("geo")
        if any(f["type"] in ("date", "datetime") for f in fx.fields):
            features.append("timeserie")
        return {
            "dataset_id": fx.dataset_id,
            "dataset_uid": "da_" + hashlib.sha1(fx.dataset_id.encode()).hexdigest()[:6],
            "has_records": True,
            "data_visible": True,
            "features": features,
            "attachments": [],
            "alternative_exports": [],
            "fields": [
                {
                    "name": f["name"],
                    "label": f["label"],
                    "type": f["type"],
                    "description": f.get("description"),
                    "annotations": {},
                }
                for f in fx.fields
            ],
            "metas": {
                "default": {
                    "title": fx.title,
                    "description": fx.description,
                    "keyword": fx.keywords,
                    "theme": fx.themes,
                    "publisher": "Comune di Bologna",
                    "license": "CC BY 4.0",
                    "language": "it",
                    "records_count": fx.num_rows,
                    "modified": served.modified.isoformat().replace("+00:00", "Z"),
                    "data_processed": served.modified.isoformat().replace("+00:00", "Z"),
                    "metadata_processed": served.modified.isoformat().replace("+00:00", "Z"),
                    "geographic_reference": ["ita_comune_037006"] if fx.geo_fields else [],
                }
            },
        }

    async def _catalog(self, request: Request) -> Response:
        if (gate := await self._gate(request)) is not None:
            return gate
        limit, offset, err = _paging(request, default_limit=10)
        if err:
            return err
        items = list(self.datasets.values())
        where = request.query_params.get("where")
        if where:
            m = _SEARCH.match(where)
            if not m:
                return _error(400, "ODSQLError", f"Query syntax error: unsupported where clause {where!r}")
            terms = [t.lower() for t in m.group(1).replace('\\"', '"').split()]

            def hit(s: _Served) -> bool:
                fx = s.fixture
                text = " ".join([fx.dataset_id, fx.title, fx.description, *fx.keywords, *fx.themes]).lower()
                return all(t in text for t in terms)

            items = [s for s in items if hit(s)]
        order = request.query_params.get("order_by")
        if order:
            name, _, direction = order.partition(" ")
            key = {"title": lambda s: s.fixture.title, "modified": lambda s: s.modified}.get(name)
            if key is None:
                return _error(400, "ODSQLError", f"Unknown field in order_by: {name}")
            items.sort(key=key, reverse=direction.strip().lower() == "desc")
        return JSONResponse(
            {"total_count": len(items), "results": [self._meta(s) for s in items[offset : offset + limit]]}
        )

    async def _dataset(self, request: Request) -> Response:
        if (gate := await self._gate(request)) is not None:
            return gate
        served = self._get(request.path_params["dataset_id"])
        if served is None:
            return _error(404, "NotFound", f"Unknown dataset: {request.path_params['dataset_id']}")
        return JSONResponse(self._meta(served))

    async def _records(self, request: Request) -> Response:
        if (gate := await self._gate(request)) is not None:
            return gate
        served = self._get(request.path_params["dataset_id"])
        if served is None:
            return _error(404, "NotFound", f"Unknown dataset: {request.path_params['dataset_id']}")
        limit, offset, err = _paging(request, default_limit=10)
        if err:
            return err
        fx = served.fixture
        rows = fx.records()
        names = [f["name"] for f in fx.fields]
        for refine in request.query_params.getlist("refine"):
            fname, _, wanted = refine.partition(":")
            if fname not in names:
                return _error(400, "InvalidRESTParameterError", f"Unknown field in refine: {fname}")
            rows = [r for r in rows if str(r.get(fname)) == wanted]
        where = request.query_params.get("where")
        if where:
            m = _SEARCH.match(where)
            if not m:
                return _error(400, "ODSQLError", f"Query syntax error: unsupported where clause {where!r}")
            term = m.group(1).lower()
            rows = [r for r in rows if any(term in str(v).lower() for v in r.values())]
        select = request.query_params.get("select")
        if select:
            parts = [p.strip() for p in select.split(",") if p.strip()]
            aggs = [_AGG.match(p) for p in parts]
            if all(aggs):
                out: dict[str, Any] = {}
                for part, m in zip(parts, aggs, strict=True):
                    assert m is not None
                    fn, fname, alias = m.group(1), m.group(2), m.group(3)
                    if fname != "*" and fname not in names:
                        return _error(400, "ODSQLError", f"Unknown field in select: {fname}")
                    if fn == "count":
                        value: Any = len(rows)
                    else:
                        values = [r[fname] for r in rows if r.get(fname) is not None]
                        value = (min if fn == "min" else max)(values) if values else None
                    out[alias or part] = value
                return JSONResponse({"total_count": 1, "results": [out]})
            if any(aggs):
                return _error(400, "ODSQLError", "Mixing aggregates and fields needs group_by")
            for p in parts:
                if p not in names:
                    return _error(400, "ODSQLError", f"Unknown field in select: {p}")
            rows = [{p: r.get(p) for p in parts} for r in rows]
        order = request.query_params.get("order_by")
        if order:
            fname, _, direction = order.partition(" ")
            if fname not in names:
                return _error(400, "ODSQLError", f"Unknown field in order_by: {fname}")
            rows = sorted(
                rows, key=lambda r: (r.get(fname) is None, r.get(fname)), reverse=direction.lower() == "desc"
            )
        return JSONResponse({"total_count": len(rows), "results": rows[offset : offset + limit]})

    async def _export(self, request: Request) -> Response:
        if (gate := await self._gate(request)) is not None:
            return gate
        dataset_id, fmt = request.path_params["dataset_id"], request.path_params["fmt"]
        served = self._get(dataset_id)
        if served is None:
            return _error(404, "NotFound", f"Unknown dataset: {dataset_id}")
        if dataset_id in self.failing_exports:
            return _error(500, "InternalServerError", "The export could not be generated")
        if fmt not in ("parquet", "geojson", "csv"):
            return _error(400, "InvalidRESTParameterError", f"Unknown export format: {fmt}")
        path = await asyncio.to_thread(self._export_file, served, fmt)
        media = {
            "parquet": "application/vnd.apache.parquet",
            "geojson": "application/geo+json",
            "csv": "text/csv",
        }
        etag = '"' + hashlib.sha1(f"{dataset_id}:{served.version}:{fmt}".encode()).hexdigest() + '"'
        headers = {
            "ETag": etag,
            "Last-Modified": format_datetime(served.modified, usegmt=True),
            "Content-Disposition": f'attachment; filename="{dataset_id}.{fmt}"',
        }
        if request.headers.get("if-none-match") == etag:
            self.not_modified_count[dataset_id] += 1
            return Response(status_code=304, headers=headers)
        self.export_count[dataset_id] += 1  # full export bodies sent
        if dataset_id in self.corrupt_exports and fmt == "parquet":
            data = path.read_bytes()
            cut = data[: max(8, len(data) // 2)]
            return Response(cut, media_type=media[fmt], headers=headers)
        return FileResponse(path, media_type=media[fmt], headers=headers, stat_result=os.stat(path))

    def _export_file(self, served: _Served, fmt: str) -> Path:
        with self._lock:
            if fmt in served.exports and served.exports[fmt].exists():
                return served.exports[fmt]
        fx = served.fixture
        path = self.workdir / f"{fx.dataset_id}.v{served.version}.{fmt}"
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            if fmt == "parquet":
                pq.write_table(fx.table(), tmp, compression="snappy")
            elif fmt == "csv":
                table = fx.table()
                flat = table
                for i, name in enumerate(table.column_names):
                    if pa.types.is_struct(table.schema.field(name).type):
                        col = [
                            f"{v['lat']}, {v['lon']}" if v else None for v in table.column(name).to_pylist()
                        ]
                        flat = flat.set_column(i, name, pa.array(col, pa.string()))
                pacsv.write_csv(flat, tmp, pacsv.WriteOptions(delimiter=";"))
            else:
                feats = []
                geo = fx.geo_fields[0] if fx.geo_fields else None
                for r in fx.records():
                    point = r.get(geo) if geo else None
                    props = {k: v for k, v in r.items() if k != geo}
                    geom = {"type": "Point", "coordinates": [point["lon"], point["lat"]]} if point else None
                    feats.append({"type": "Feature", "geometry": geom, "properties": props})
                tmp.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
            os.replace(tmp, path)
        with self._lock:
            served.exports[fmt] = path
        return path


def _paging(request: Request, *, default_limit: int) -> tuple[int, int, Response | None]:
    try:
        limit = int(request.query_params.get("limit", default_limit))
        offset = int(request.query_params.get("offset", 0))
    except ValueError:
        return 0, 0, _error(400, "InvalidRESTParameterError", "limit and offset must be integers")
    if limit < -1 or limit > 100:
        return (
            0,
            0,
            _error(
                400,
                "InvalidRESTParameterError",
                f"Invalid value for limit API parameter: {limit} was found but -1 <= limit <= 100 "
                "is expected.",
            ),
        )
    if limit == -1:
        limit = 100
    if offset < 0 or offset + limit > 10_000:
        return (
            0,
            0,
            _error(
                400,
                "InvalidRESTParameterError",
                "Invalid value for offset API parameter: offset + limit must be <= 10000 "
                f"(got {offset} + {limit}).",
            ),
        )
    return limit, offset, None


def main() -> None:
    parser = argparse.ArgumentParser(description="Fake Opendatasoft Explore v2.1 portal")
    parser.add_argument("--port", type=int, default=8200)
    parser.add_argument("--big-rows", type=int, default=0, help="also serve 'bench-big' with this many rows")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    portal = FakePortal(workdir=args.workdir)
    if args.big_rows:
        portal.add_dataset(big_dataset(args.big_rows))
    portal.start(args.port)
    print(f"fake Opendatasoft portal at {portal.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        portal.stop()


if __name__ == "__main__":
    main()
