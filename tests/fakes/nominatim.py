"""A fake Nominatim speaking its HTTP API (GET /search and GET /reverse, format=jsonv2) with a few Bologna
places, over real HTTP.

    /search?q=…&format=jsonv2&limit=n[&viewbox=lon1,lat1,lon2,lat2][&addressdetails=1]
        places whose name contains every word of q (case-insensitive); with a viewbox, places inside it first
    /reverse?lat=…&lon=…&format=jsonv2   the nearest place within ~2 km, else {"error": "Unable to geocode"}

Test controls: `fake.requests` (path, query dict, monotonic time, User-Agent),
`fake.fail_next(status, times)`, `fake.failing_queries[q] = status` (every /search for q answers that status).
"""

from __future__ import annotations

import math
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

PLACES: list[dict[str, Any]] = [
    {
        "place_id": 1,
        "osm_type": "way",
        "osm_id": 25112436,
        "lat": "44.4938134",
        "lon": "11.3430860",
        "category": "place",
        "type": "square",
        "display_name": "Piazza Maggiore, Quartiere Santo Stefano, Bologna, Emilia-Romagna, 40124, Italia",
        "address": {"square": "Piazza Maggiore", "city": "Bologna", "postcode": "40124", "country": "Italia"},
        "boundingbox": ["44.4932", "44.4944", "11.3424", "11.3437"],
    },
    {
        "place_id": 2,
        "osm_type": "node",
        "osm_id": 1234,
        "lat": "44.5057",
        "lon": "11.3434",
        "category": "railway",
        "type": "station",
        "display_name": "Bologna Centrale, Piazza delle Medaglie d'Oro, Bologna, 40121, Italia",
        "address": {"railway": "Bologna Centrale", "city": "Bologna", "country": "Italia"},
        "boundingbox": ["44.5047", "44.5067", "11.3424", "11.3444"],
    },
    {
        "place_id": 3,
        "osm_type": "node",
        "osm_id": 5678,
        "lat": "45.4654",
        "lon": "9.1859",
        "category": "place",
        "type": "square",
        "display_name": "Piazza Maggiore, Milano, Lombardia, Italia",  # a namesake outside the viewbox
        "address": {"square": "Piazza Maggiore", "city": "Milano", "country": "Italia"},
        "boundingbox": ["45.4650", "45.4658", "9.1855", "9.1863"],
    },
]


def _inside(place: dict[str, Any], viewbox: str | None) -> bool:
    if not viewbox:
        return False
    x1, y1, x2, y2 = (float(v) for v in viewbox.split(","))
    lon, lat = float(place["lon"]), float(place["lat"])
    return min(x1, x2) <= lon <= max(x1, x2) and min(y1, y2) <= lat <= max(y1, y2)


@dataclass
class FakeNominatim:
    requests: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0
    failing_queries: dict[str, int] = field(default_factory=dict)
    _failures: list[int] = field(default_factory=list)
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fail_next(self, status: int, times: int = 1) -> None:
        self._failures.extend([status] * times)

    def _record(self, request: Request) -> JSONResponse | None:
        self.requests.append(
            {
                "path": request.url.path,
                "query": dict(request.query_params),
                "at": time.monotonic(),
                "user_agent": request.headers.get("user-agent", ""),
            }
        )
        status = (
            self._failures.pop(0)
            if self._failures
            else self.failing_queries.get(request.query_params.get("q", ""))
        )
        if status:
            return JSONResponse({"error": "failing on purpose"}, status_code=status)
        return None

    async def search(self, request: Request) -> JSONResponse:
        if (failed := self._record(request)) is not None:
            return failed
        q = request.query_params
        words = q.get("q", "").lower().split()
        found = [p for p in PLACES if words and all(w in p["display_name"].lower() for w in words)]
        found.sort(key=lambda p: not _inside(p, q.get("viewbox")))
        if q.get("bounded") == "1":
            found = [p for p in found if _inside(p, q.get("viewbox"))]
        limit = int(q.get("limit", "10"))
        keep = ("address",) if q.get("addressdetails") == "1" else ()
        return JSONResponse(
            [{k: v for k, v in p.items() if k != "address" or k in keep} for p in found[:limit]]
        )

    async def reverse(self, request: Request) -> JSONResponse:
        if (failed := self._record(request)) is not None:
            return failed
        lat, lon = float(request.query_params["lat"]), float(request.query_params["lon"])

        def km(p: dict[str, Any]) -> float:
            dy = (float(p["lat"]) - lat) * 111.0
            dx = (float(p["lon"]) - lon) * 111.0 * math.cos(math.radians(lat))
            return math.hypot(dx, dy)

        best = min(PLACES, key=km)
        if km(best) > 2.0:
            return JSONResponse({"error": "Unable to geocode"})
        return JSONResponse(best)

    def start(self) -> FakeNominatim:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        app = Starlette(routes=[Route("/search", self.search), Route("/reverse", self.reverse)])
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True, name="fake-nominatim")
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("fake Nominatim did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=20)
