"""Geocoding through a Nominatim-compatible service (GEOCODER_URL serving /search and /reverse): place
names → coordinates and back, biased to Bologna, rate limited, cached.

Nominatim's usage policy (and any self-hosted instance's capacity) asks for at most one request a second from
one application, an identifying User-Agent and cached answers: requests go out one at a time, at least
GEOCODER_MIN_INTERVAL_S apart (per API process), and answers are kept GEOCODER_CACHE_TTL_S. Searches carry
Nominatim's `viewbox` (GEOCODER_VIEWBOX, Bologna by default) without `bounded`, so places there rank first
and places elsewhere can still be found."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from pydantic import BaseModel

from lgurban.datasets.ttl_cache import TTLCache
from lgurban.errors import BadRequest, ServiceUnavailable
from lgurban.settings import Settings

USER_AGENT = "LG-Urban/0.1 (self-hosted urban data analyst)"


class GeocoderUnavailable(ServiceUnavailable):
    code = "GEOCODER_UNAVAILABLE"


class Place(BaseModel):
    """One answer: its name as the service writes it, where it is, what it is, and its address parts."""

    name: str
    lat: float
    lon: float
    kind: str  # Nominatim's category/type, e.g. "amenity/university"
    address: dict[str, str] = {}
    bbox: list[float] | None = None  # [min_lon, min_lat, max_lon, max_lat]
    osm: str | None = None  # e.g. "way/123"


def _place(item: dict[str, Any]) -> Place:
    box = item.get("boundingbox")  # Nominatim's order: min_lat, max_lat, min_lon, max_lon (strings)
    bbox = None
    if isinstance(box, list) and len(box) == 4:
        s, n, w, e = (float(v) for v in box)
        bbox = [w, s, e, n]
    kind = "/".join(str(item[k]) for k in ("category", "type") if item.get(k)) or str(item.get("class", ""))
    osm = f"{item['osm_type']}/{item['osm_id']}" if item.get("osm_type") and item.get("osm_id") else None
    address = {str(k): str(v) for k, v in (item.get("address") or {}).items()}
    return Place(
        name=str(item.get("display_name", "")),
        lat=float(item["lat"]),
        lon=float(item["lon"]),
        kind=kind,
        address=address,
        bbox=bbox,
        osm=osm,
    )


class Geocoder:
    """search() and reverse() against GEOCODER_URL; one instance per process (it holds the rate limit)."""

    def __init__(self, settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.base_url = settings.geocoder_url.rstrip("/")
        self.min_interval_s = settings.geocoder_min_interval_s
        self.timeout_s = settings.geocoder_timeout_s
        self.viewbox = settings.geocoder_viewbox
        self.cache = TTLCache(settings.geocoder_cache_ttl_s, max_items=2048)
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._turn = asyncio.Lock()
        self._last = float("-inf")

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:  # made on first use: importing or building the app opens no connection
            self._client = httpx.AsyncClient(
                timeout=self.timeout_s, headers={"User-Agent": USER_AGENT}, transport=self._transport
            )
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _get(self, path: str, params: dict[str, str]) -> Any:
        """One request, no sooner than min_interval_s after the previous one ended."""
        async with self._turn:
            wait = self._last + self.min_interval_s - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)  # the rate limit itself
            try:
                r = await self._http().get(f"{self.base_url}{path}", params=params)
            except httpx.HTTPError as exc:
                raise GeocoderUnavailable(
                    f"the geocoder at {self.base_url} did not answer ({exc!r})"
                ) from exc
            finally:
                self._last = time.monotonic()
        if r.status_code == 429:
            raise GeocoderUnavailable("the geocoder says too many requests: try again in a minute")
        if r.status_code >= 400:
            raise GeocoderUnavailable(f"the geocoder answered HTTP {r.status_code}")
        try:
            return r.json()
        except ValueError as exc:
            raise GeocoderUnavailable("the geocoder's answer is not JSON (is GEOCODER_URL right?)") from exc

    async def search(self, query: str, *, limit: int = 5) -> list[Place]:
        """Places matching `query`, best first (places in the viewbox rank first)."""
        query = " ".join(query.split())
        if not query:
            raise BadRequest("the query is empty: give a place name or an address")
        limit = max(1, min(limit, 20))

        async def fetch() -> list[Place]:
            params = {"q": query, "format": "jsonv2", "addressdetails": "1", "limit": str(limit)}
            if self.viewbox:
                params["viewbox"] = self.viewbox
            found = await self._get("/search", params)
            return [_place(item) for item in found] if isinstance(found, list) else []

        return await self.cache.get(("search", query.lower(), limit), fetch)

    async def reverse(self, lat: float, lon: float) -> Place | None:
        """The address at (lat, lon), or None when the service knows nothing there."""
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise BadRequest(f"({lat}, {lon}) is not a latitude/longitude pair (lat -90..90, lon -180..180)")

        async def fetch() -> Place | None:
            params = {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}", "format": "jsonv2", "addressdetails": "1"}
            found = await self._get("/reverse", params)
            if not isinstance(found, dict) or "error" in found or "lat" not in found:
                return None
            return _place(found)

        return await self.cache.get(("reverse", round(lat, 6), round(lon, 6)), fetch)
