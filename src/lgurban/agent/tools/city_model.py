"""view_3d_model: a link to the city's 3D model viewer (CITY_3D_URL) at a place; the viewer is another site,
so the result is a link card for the user (no artifact, nothing fetched by the app)."""

from __future__ import annotations

from urllib.parse import quote

from langchain_core.tools import BaseTool, tool

from lgurban.agent.tools import places
from lgurban.agent.tools.context import ToolContext
from lgurban.agent.tools.results import ToolResult, as_text, guard


def tools(ctx: ToolContext) -> list[BaseTool]:
    """The 3D model family's tools."""
    return [view_3d_model(ctx)]


def viewer_url(template: str, lat: float, lon: float) -> str:
    """CITY_3D_URL with {lat} and {lon} filled (a template without them opens the viewer at its start)."""
    return template.replace("{lat}", quote(f"{lat:.6f}")).replace("{lon}", quote(f"{lon:.6f}"))


def view_3d_model(ctx: ToolContext) -> BaseTool:
    @tool("view_3d_model", response_format="content_and_artifact")
    @guard
    async def run(place: str) -> ToolResult:
        """Give the user a link to Bologna's interactive 3D city model (buildings and terrain) opened at a
        place: a name or an address (resolved like geocode). The model opens in the user's browser, on the
        city's site; you cannot see it. Returns {url, place, lat, lon}."""
        area = await places.resolve(ctx, place, None)
        lat, lon = area.center
        url = viewer_url(ctx.resources.settings.city_3d_url, lat, lon)
        title = f"3D model of Bologna at {area.label.split(',')[0]}"
        body = {"ok": True, "shown_to_user": True, "url": url, "place": area.label, "lat": lat, "lon": lon}
        return as_text(body), {
            "ok": True,
            "summary": title[:200],
            "link": {"url": url, "title": title[:200], "place": area.label[:300]},
        }

    return run
