"""compare_ortofoto: two years of the city's aerial photos over one place, with a swipe between them."""

from __future__ import annotations

from typing import Annotated

from langchain_core.tools import BaseTool, InjectedToolCallId, tool

from lgurban.agent.tools import aerial, places
from lgurban.agent.tools.context import ToolContext
from lgurban.agent.tools.results import ToolResult, error, guard


def tools(ctx: ToolContext) -> list[BaseTool]:
    """The compare family's tools."""
    return [compare_ortofoto(ctx)]


def compare_ortofoto(ctx: ToolContext) -> BaseTool:
    @tool("compare_ortofoto", response_format="content_and_artifact")
    @guard
    async def run(
        year_a: int,
        year_b: int,
        tool_call_id: Annotated[str, InjectedToolCallId],
        place: str | None = None,
        bbox: list[float] | None = None,
    ) -> ToolResult:
        """Compare Bologna's aerial photos (ortofoto) of two years over a place: one map, year_a left and
        year_b right of a slider the user drags (a swipe), to see what was built, demolished or changed.

        place: a name or an address (resolved like geocode), or bbox: [min_lon, min_lat, max_lon, max_lat]
        in degrees; one of the two is needed. Returns the artifact's file name, the place and its bbox.
        You cannot see the photos yourself: tell the user what to look for."""
        if year_a == year_b:
            return error(f"year_a and year_b are both {year_a}: pick two different years to compare")
        settings = ctx.resources.settings
        aerial.check_year(settings, year_a)
        aerial.check_year(settings, year_b)
        area = await places.resolve(ctx, place, bbox)
        html = aerial.page(settings, area, [year_a, year_b])
        name = aerial.filename(f"ortofoto-{year_a}-vs-{year_b}", area)
        artifact = await aerial.store(ctx, tool_call_id, name, html)
        return aerial.outcome(
            settings, artifact, area, year_a=year_a, year_b=year_b, left=year_a, right=year_b
        )

    return run
