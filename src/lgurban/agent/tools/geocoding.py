"""The geocoding tools: geocode turns a place name or address into coordinates, reverse_geocode goes back."""

from __future__ import annotations

from langchain_core.tools import BaseTool, tool

from lgurban.agent.tools.context import ToolContext
from lgurban.agent.tools.results import ToolResult, as_text, guard


def tools(ctx: ToolContext) -> list[BaseTool]:
    """The geocoding family's tools."""
    return [geocode(ctx), reverse_geocode(ctx)]


def geocode(ctx: ToolContext) -> BaseTool:
    @tool("geocode", response_format="content_and_artifact")
    @guard
    async def run(query: str) -> ToolResult:
        """Find where a place is: a street address, a square, a building or a neighbourhood (places in
        Bologna rank first; add the city for places elsewhere). Returns up to 5 matches, best first, each
        {name, lat, lon, kind, address, bbox: [min_lon, min_lat, max_lon, max_lat]}."""
        places = await ctx.resources.geocoder.search(query, limit=5)
        if not places:
            return as_text({"query": query, "places": []}), {
                "ok": True,
                "summary": f"no place found for {query!r}",
            }
        return as_text({"query": query, "places": places}), {
            "ok": True,
            "summary": f"{query!r}: {places[0].name[:120]} ({places[0].lat:.5f}, {places[0].lon:.5f})",
        }

    return run


def reverse_geocode(ctx: ToolContext) -> BaseTool:
    @tool("reverse_geocode", response_format="content_and_artifact")
    @guard
    async def run(lat: float, lon: float) -> ToolResult:
        """The address at a point given as latitude and longitude in degrees (WGS84). Returns
        {name, lat, lon, kind, address} or {"place": null} when nothing is known there."""
        place = await ctx.resources.geocoder.reverse(lat, lon)
        if place is None:
            return as_text({"lat": lat, "lon": lon, "place": None}), {
                "ok": True,
                "summary": "no address there",
            }
        return as_text(place), {"ok": True, "summary": place.name[:160]}

    return run
