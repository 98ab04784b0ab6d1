"""Where an aerial-photo or 3D tool looks: a place name resolved by the geocoder, or a bbox the model gives.

An area is never a point: a place the geocoder knows only as a point (or a very small box, a single building)
is widened to at least MIN_SPAN_M a side, so the map opens at a street-block scale rather than zoom 22."""

from __future__ import annotations

import math
from dataclasses import dataclass

from lgurban.agent.tools.context import ToolContext
from lgurban.errors import BadRequest, NotFound

MIN_SPAN_M = 300.0


class PlaceNotFound(NotFound):
    code = "PLACE_NOT_FOUND"


@dataclass(frozen=True)
class Area:
    """What a map shows: [min_lon, min_lat, max_lon, max_lat] and its name as the geocoder writes it."""

    bbox: tuple[float, float, float, float]
    label: str
    named: bool = True  # False: a bbox the model gave without a place name

    @property
    def center(self) -> tuple[float, float]:
        """(lat, lon) of the middle of the box."""
        w, s, e, n = self.bbox
        return (s + n) / 2, (w + e) / 2


def widened(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """`bbox` grown around its middle to at least MIN_SPAN_M on each side."""
    w, s, e, n = bbox
    lat, lon = (s + n) / 2, (w + e) / 2
    half_lat = max(n - s, MIN_SPAN_M / 111_320) / 2
    half_lon = max(e - w, MIN_SPAN_M / (111_320 * max(math.cos(math.radians(lat)), 0.01))) / 2
    return (
        round(lon - half_lon, 6),
        round(max(lat - half_lat, -85.0), 6),
        round(lon + half_lon, 6),
        round(min(lat + half_lat, 85.0), 6),
    )


def checked_bbox(bbox: list[float]) -> tuple[float, float, float, float]:
    """A bbox from the model: four numbers, lon/lat in degrees, min before max."""
    if len(bbox) != 4:
        raise BadRequest(f"bbox needs 4 numbers [min_lon, min_lat, max_lon, max_lat], got {len(bbox)}")
    w, s, e, n = (float(v) for v in bbox)
    if not (-180 <= w <= e <= 180 and -85 <= s <= n <= 85):
        raise BadRequest(
            f"bbox {bbox} is not [min_lon, min_lat, max_lon, max_lat] in degrees (min <= max, lat -85..85)"
        )
    return w, s, e, n


async def resolve(ctx: ToolContext, place: str | None, bbox: list[float] | None) -> Area:
    """The area of `bbox` when given, else of the geocoder's best match for `place`."""
    if bbox is not None:
        name = (place or "").strip()
        return Area(widened(checked_bbox(bbox)), name or "the given bbox", named=bool(name))
    if not place or not place.strip():
        raise BadRequest("give a place (a name or an address) or a bbox [min_lon, min_lat, max_lon, max_lat]")
    found = await ctx.resources.geocoder.search(place, limit=1)
    if not found:
        raise PlaceNotFound(
            f"no place found for {place!r}: check the spelling, add the street or the district, "
            "or pass a bbox [min_lon, min_lat, max_lon, max_lat]"
        )
    best = found[0]
    box = best.bbox or [best.lon, best.lat, best.lon, best.lat]
    return Area(widened((box[0], box[1], box[2], box[3])), best.name)
