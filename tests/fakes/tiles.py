"""A fake XYZ tile server like Bologna's SIT ortofoto service, over real HTTP:

    GET /Ortofoto{year}/{z}/{x}/{y}.png
        a 256×256 PNG (one colour per year, a darker line on the tile's edges) when the tile touches
        COVERAGE and the year is served; else 404

`fake.template` is the SIT_TILES_URL that points at it. Test controls: `fake.requests` (year, z, x, y,
status), `fake.count(year=None, status=200)`, `fake.years` (the years it serves); for the browser tests,
over HTTP: `GET /_requests` → [{"year", "z", "x", "y", "status"}, ...].
"""

from __future__ import annotations

import math
import socket
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from functools import cache

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

# min_lon, min_lat, max_lon, max_lat: Bologna and around it
COVERAGE = (11.20, 44.40, 11.50, 44.60)
MIN_ZOOM, MAX_ZOOM = 8, 20


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """min_lon, min_lat, max_lon, max_lat of an XYZ (Web Mercator, y down) tile."""
    n = 2**z

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return x / n * 360 - 180, lat(y + 1), (x + 1) / n * 360 - 180, lat(y)


def _covered(z: int, x: int, y: int) -> bool:
    if not (MIN_ZOOM <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z):
        return False
    w, s, e, n = tile_bounds(z, x, y)
    return w < COVERAGE[2] and e > COVERAGE[0] and s < COVERAGE[3] and n > COVERAGE[1]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@cache
def png(rgb: tuple[int, int, int], size: int = 256) -> bytes:
    """A real RGB PNG: `rgb` with a one-pixel darker border (so tile seams show)."""
    dark = bytes(max(c - 60, 0) for c in rgb)
    inner = bytes(rgb)
    edge_row = b"\x00" + dark * size
    row = b"\x00" + dark + inner * (size - 2) + dark
    raw = edge_row + row * (size - 2) + edge_row
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw))
        + _chunk(b"IEND", b"")
    )


def year_colour(year: int) -> tuple[int, int, int]:
    """A distinct colour per year (the e2e tells the two layers of a compare apart by it)."""
    return ((year * 47) % 200 + 40, (year * 89) % 200 + 40, (year * 131) % 200 + 40)


@dataclass
class FakeTiles:
    years: set[int] = field(default_factory=lambda: {2017, 2018, 2020, 2021, 2022, 2023, 2024})
    requests: list[tuple[int, int, int, int, int]] = field(default_factory=list)
    port: int = 0
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def template(self) -> str:
        return self.url + "/Ortofoto{year}/{z}/{x}/{y}.png"

    def count(self, year: int | None = None, status: int = 200) -> int:
        return sum(1 for r in self.requests if (year is None or r[0] == year) and r[4] == status)

    async def tile(self, request: Request) -> Response:
        p = request.path_params
        year, z, x, y = int(p["year"]), int(p["z"]), int(p["x"]), int(p["y"])
        ok = year in self.years and _covered(z, x, y)
        self.requests.append((year, z, x, y, 200 if ok else 404))
        if not ok:
            return Response("no tile here", status_code=404, media_type="text/plain")
        headers = {"Cache-Control": "no-store"}  # every view asks again: the tests count requests
        return Response(png(year_colour(year)), media_type="image/png", headers=headers)

    async def listed(self, request: Request) -> JSONResponse:
        keys = ("year", "z", "x", "y", "status")
        return JSONResponse([dict(zip(keys, r, strict=True)) for r in self.requests])

    def start(self) -> FakeTiles:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        route = Route("/Ortofoto{year:int}/{z:int}/{x:int}/{y:int}.png", self.tile)
        app = Starlette(routes=[route, Route("/_requests", self.listed)])
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True, name="fake-tiles")
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("fake tile server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=20)
