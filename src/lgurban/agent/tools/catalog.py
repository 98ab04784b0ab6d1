"""The catalog tools: search the open data catalog and describe one dataset, without loading it."""

from __future__ import annotations

from langchain_core.tools import BaseTool, tool

from lgurban.agent.tools.context import ToolContext
from lgurban.agent.tools.results import MAX_PREVIEW_ROWS, ToolResult, as_text, cut, guard, plain


def tools(ctx: ToolContext) -> list[BaseTool]:
    """The catalog family's tools, in the order the model sees them."""
    return [
        list_catalog(ctx),
        get_dataset_description(ctx),
        get_dataset_fields(ctx),
        preview_dataset(ctx),
        is_geo_dataset(ctx),
        get_dataset_time_info(ctx),
    ]


def list_catalog(ctx: ToolContext) -> BaseTool:
    @tool("list_catalog", response_format="content_and_artifact")
    @guard
    async def run(query: str = "", limit: int = 10, offset: int = 0) -> ToolResult:
        """Search the Bologna open data catalog (and the server's own datasets) by keywords.

        `query`: keywords (Italian often works best, e.g. "incidenti stradali"); empty lists everything.
        `limit` (1-50) and `offset` page through results. Returns {total, items: [{id, title, description,
        source, records_count, is_geo, modified_at}]}. Use an item's `id` with the other dataset tools.
        """
        limit = max(1, min(int(limit), 50))
        found = await ctx.datasets().search(query, limit, max(0, int(offset)))
        # copies: the service may cache what it returned
        shown = [
            i.model_copy(update={"description": cut(i.description, 300)}) if i.description else i
            for i in found.items
        ]
        found = found.model_copy(update={"items": shown})
        summary = f"{found.total} datasets found" if found.total != 1 else "1 dataset found"
        return as_text(found), {"ok": True, "summary": summary}

    return run


def get_dataset_description(ctx: ToolContext) -> BaseTool:
    @tool("get_dataset_description", response_format="content_and_artifact")
    @guard
    async def run(dataset_id: str) -> ToolResult:
        """Describe one dataset: title, description, publisher, license, records count, modification date,
        whether it is geographic and its time coverage. `dataset_id` is an id from list_catalog."""
        info = await ctx.datasets().get(dataset_id)
        body = info.model_dump(mode="json", exclude={"fields"})
        if info.description is not None:
            body["description"] = cut(info.description, 3_000)
        return as_text(body), {"ok": True, "summary": (info.title or dataset_id)[:200]}

    return run


def get_dataset_fields(ctx: ToolContext) -> BaseTool:
    @tool("get_dataset_fields", response_format="content_and_artifact")
    @guard
    async def run(dataset_id: str) -> ToolResult:
        """List a dataset's fields (columns): name, label, type and description, to know what to analyse."""
        fields = (await ctx.datasets().get(dataset_id)).fields
        return as_text({"dataset_id": dataset_id, "fields": [plain(f) for f in fields]}), {
            "ok": True,
            "summary": f"{len(fields)} fields",
        }

    return run


def preview_dataset(ctx: ToolContext) -> BaseTool:
    @tool("preview_dataset", response_format="content_and_artifact")
    @guard
    async def run(dataset_id: str, limit: int = 10) -> ToolResult:
        """Show the first rows of a dataset without loading it (`limit` 1-50 rows).
        Returns {columns, rows}. Long cell values are cut."""
        limit = max(1, min(int(limit), MAX_PREVIEW_ROWS))
        preview = await ctx.datasets().preview(dataset_id, limit)
        # long texts cut, other values keep their JSON types (a copy: the service may cache its result)
        rows = [[cut(v, 200) if isinstance(v, str) else v for v in row] for row in preview.rows]
        preview = preview.model_copy(update={"rows": rows})
        return as_text(preview), {"ok": True, "summary": f"{len(preview.rows)} rows"}

    return run


def is_geo_dataset(ctx: ToolContext) -> BaseTool:
    @tool("is_geo_dataset", response_format="content_and_artifact")
    @guard
    async def run(dataset_id: str) -> ToolResult:
        """Tell whether a dataset has geographic data (points or shapes) that can be mapped; with its geo
        fields and bounding box when known."""
        geo = await ctx.datasets().is_geo(dataset_id)
        return as_text(geo), {"ok": True, "summary": "geographic" if geo.is_geo else "not geographic"}

    return run


def get_dataset_time_info(ctx: ToolContext) -> BaseTool:
    @tool("get_dataset_time_info", response_format="content_and_artifact")
    @guard
    async def run(dataset_id: str) -> ToolResult:
        """The time coverage of a dataset: its date field and the first and last dates, or null when it
        has no date field. Use it to check that the data covers the period asked about."""
        info = await ctx.datasets().time_info(dataset_id)
        body = {"dataset_id": dataset_id, "time_coverage": plain(info)}
        return as_text(body), {"ok": True, "summary": "time coverage" if info else "no time field"}

    return run
