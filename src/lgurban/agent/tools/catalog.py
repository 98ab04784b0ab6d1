"""The catalog tools: search the open data catalog and describe one dataset, without loading it."""

from __future__ import annotations

from typing import Any

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
        found = plain(await ctx.datasets().search(query, limit, max(0, int(offset))))
        if isinstance(found, dict) and isinstance(found.get("items"), list):
            for item in found["items"]:
                if isinstance(item, dict) and isinstance(item.get("description"), str):
                    item["description"] = cut(item["description"], 300)
            total = found.get("total", len(found["items"]))
            summary = f"{total} datasets found" if total != 1 else "1 dataset found"
        else:
            summary = "catalog searched"
        return as_text(found), {"ok": True, "summary": summary}

    return run


async def _describe(ctx: ToolContext, dataset_id: str) -> dict[str, Any]:
    info = plain(await ctx.datasets().get(dataset_id))
    return info if isinstance(info, dict) else {"dataset": info}


def get_dataset_description(ctx: ToolContext) -> BaseTool:
    @tool("get_dataset_description", response_format="content_and_artifact")
    @guard
    async def run(dataset_id: str) -> ToolResult:
        """Describe one dataset: title, description, publisher, license, records count, modification date,
        whether it is geographic and its time coverage. `dataset_id` is an id from list_catalog."""
        info = await _describe(ctx, dataset_id)
        info.pop("fields", None)
        if isinstance(info.get("description"), str):
            info["description"] = cut(info["description"], 3_000)
        return as_text(info), {"ok": True, "summary": str(info.get("title") or dataset_id)[:200]}

    return run


def get_dataset_fields(ctx: ToolContext) -> BaseTool:
    @tool("get_dataset_fields", response_format="content_and_artifact")
    @guard
    async def run(dataset_id: str) -> ToolResult:
        """List a dataset's fields (columns): name, label, type and description, to know what to analyse."""
        info = await _describe(ctx, dataset_id)
        fields = info.get("fields") or []
        return as_text({"dataset_id": dataset_id, "fields": fields}), {
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
        preview = plain(await ctx.datasets().preview(dataset_id, limit))
        if isinstance(preview, dict) and isinstance(preview.get("rows"), list):
            preview["rows"] = [
                [cut(v, 200) if isinstance(v, str) else v for v in row] if isinstance(row, list) else row
                for row in preview["rows"]
            ]
            summary = f"{len(preview['rows'])} rows"
        else:
            summary = "preview"
        return as_text(preview), {"ok": True, "summary": summary}

    return run


def is_geo_dataset(ctx: ToolContext) -> BaseTool:
    @tool("is_geo_dataset", response_format="content_and_artifact")
    @guard
    async def run(dataset_id: str) -> ToolResult:
        """Tell whether a dataset has geographic data (points or shapes) that can be mapped; with its geo
        fields and bounding box when known."""
        geo = plain(await ctx.datasets().is_geo(dataset_id))
        flag = geo.get("is_geo", bool(geo)) if isinstance(geo, dict) else bool(geo)
        body = geo if isinstance(geo, dict) else {"dataset_id": dataset_id, "is_geo": bool(geo)}
        return as_text(body), {"ok": True, "summary": "geographic" if flag else "not geographic"}

    return run


def get_dataset_time_info(ctx: ToolContext) -> BaseTool:
    @tool("get_dataset_time_info", response_format="content_and_artifact")
    @guard
    async def run(dataset_id: str) -> ToolResult:
        """The time coverage of a dataset: its date field and the first and last dates, or null when it
        has no date field. Use it to check that the data covers the period asked about."""
        info = plain(await ctx.datasets().time_info(dataset_id))
        body = {"dataset_id": dataset_id, "time_coverage": info}
        return as_text(body), {"ok": True, "summary": "time coverage" if info else "no time field"}

    return run
