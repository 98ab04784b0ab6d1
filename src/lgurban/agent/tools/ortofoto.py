"""get_ortofoto: the city's aerial photo of one year over a place, as an interactive HTML map the user sees.

The map is a page (aerial.PAGE) whose tiles the user's browser fetches from SIT_TILES_URL; the model reads
which year and area are shown, never an image."""

from __future__ import annotations

from typing import Annotated

from langchain_core.tools import BaseTool, InjectedToolCallId, tool

from lgurban.agent.tools import aerial, places
from lgurban.agent.tools.context import ToolContext
from lgurban.agent.tools.results import ToolResult, guard


def tools(ctx: ToolContext) -> list[BaseTool]:
    """The ortofoto family's tools."""
    return [get_ortofoto(ctx)]


def get_ortofoto(ctx: ToolContext) -> BaseTool:
    @tool("get_ortofoto", response_format="content_and_artifact")
    @guard
    async def run(
        year: int,
        tool_call_id: Annotated[str, InjectedToolCallId],
        place: str | None = None,
        bbox: list[float] | None = None,
    ) -> ToolResult:
        """Show Bologna's aerial photo (ortofoto) of one year over a place, as a map the user can zoom.

        year: the photo's year (the error lists the years there are). place: a name or an address (resolved
        like geocode), or bbox: [min_lon, min_lat, max_lon, max_lat] in degrees; one of the two is needed.
        Returns the artifact's file name, the place found and its bbox. You cannot see the photo yourself:
        describe what the user can look for, not what is in it."""
        settings = ctx.resources.settings
        aerial.check_year(settings, year)
        area = await places.resolve(ctx, place, bbox)
        html = aerial.page(settings, area, [year])
        artifact = await aerial.store(ctx, tool_call_id, aerial.filename(f"ortofoto-{year}", area), html)
        return aerial.outcome(settings, artifact, area, year=year)

    return run
