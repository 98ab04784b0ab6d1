"""The map tool: show_map draws a workspace GeoDataFrame, GeoParquet or GeoJSON as an interactive HTML map.

The map is made by a cell the tool runs in the thread's sandbox (it shows in the Notebook like any cell, so
the user can read and re-run it): folium with the data embedded, coloured by a column when one is given, saved
under artifacts/ (the artifact service points its Leaflet/JS assets at the app's own copies). The model reads
a short summary (features, geometry types, bounds, the column's range); never the HTML."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from langchain_core.tools import BaseTool, InjectedToolCallId, tool

from lgurban.agent.tools.code import run_agent_cell
from lgurban.agent.tools.context import ToolContext
from lgurban.agent.tools.results import ToolResult, cut, error, guard
from lgurban.errors import FileNotFoundInWorkspace
from lgurban.execution.models import ExecutionOut
from lgurban.settings import Settings

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SUMMARY_MARK = "show_map:"

# the cell; {…} are filled with Python literals (repr), names start with _ so the user's are untouched
CELL = """\
# show_map (agent tool): {title}
def _show_map(source, column, style, out, tiles, attribution):
    import json
    import branca.colormap
    import folium
    import geopandas as gpd
    import matplotlib

    if isinstance(source, gpd.GeoDataFrame):
        gdf = source
    elif source.endswith((".parquet", ".geoparquet")):
        gdf = gpd.read_parquet(source)
    else:
        gdf = gpd.read_file(source)
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    if gdf.empty:
        raise ValueError(f"{{source!r}} has no geometries to draw")
    gdf = gdf.set_crs(4326) if gdf.crs is None else gdf.to_crs(4326)
    gdf = gdf.set_geometry(gdf.geometry.set_precision(1e-6, mode="pointwise"))  # ~10 cm: a smaller page
    names = [c for c in gdf.columns if c != gdf.geometry.name]
    if column is not None and column not in names:
        raise KeyError(f"no column {{column!r}}; the columns are {{names}}")
    fields = names[:8]
    if column is not None and column not in fields:
        fields = [column, *fields[:7]]
    data = gdf[[*fields, gdf.geometry.name]].copy()
    for c in fields:  # tooltips show text; timestamps and the like become JSON as text
        if data[c].dtype.kind not in "biuf":
            data[c] = data[c].astype(str)
    summary = {{"features": len(gdf), "geometry_types": sorted(set(gdf.geom_type)),
               "bounds": [round(float(v), 6) for v in gdf.total_bounds], "artifact": out}}
    color = lambda feature: style or "#3388ff"
    m = folium.Map(tiles=tiles or None, attr=attribution if tiles else None, control_scale=True)
    if column is not None and data[column].dtype.kind in "biuf" and data[column].notna().any():
        cmap = matplotlib.colormaps[style or "YlOrRd"]  # KeyError: not a colour scale
        low, high = float(data[column].min()), float(data[column].max())
        colors = [matplotlib.colors.to_hex(cmap(i / 8)) for i in range(9)]
        scale = branca.colormap.LinearColormap(colors, vmin=low, vmax=high if high > low else low + 1)
        scale.caption = column
        scale.add_to(m)
        color = lambda f: "#999999" if f["properties"][column] is None else scale(f["properties"][column])
        summary["column"] = {{"name": column, "min": low, "max": high}}
    elif column is not None:
        cats = sorted(set(data[column]))
        cmap = matplotlib.colormaps[style or "tab20"]
        palette = {{v: matplotlib.colors.to_hex(cmap(i % cmap.N)) for i, v in enumerate(cats)}}
        color = lambda f: palette.get(f["properties"][column], "#999999")
        summary["column"] = {{"name": column, "categories": len(cats)}}
    folium.GeoJson(
        data.to_json(default=str),
        style_function=lambda f: {{"color": color(f), "fillColor": color(f), "fillOpacity": 0.6}},
        marker=folium.CircleMarker(radius=5),
        tooltip=folium.GeoJsonTooltip(fields=fields) if fields else None,
    ).add_to(m)
    minx, miny, maxx, maxy = gdf.total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    m.save(out)
    return summary


print("{mark}", __import__("json").dumps(_show_map({source}, {column}, {style}, {out}, {tiles}, {attr})))
del _show_map
"""


def tools(ctx: ToolContext) -> list[BaseTool]:
    """The map family's tools."""
    return [show_map(ctx)]


def artifact_name(source: str, column: str | None) -> str:
    """artifacts/map-<source>[-<column>].html, in characters any file system takes."""
    stem = re.sub(r"\.(geo)?parquet$|\.geojson$|\.json$", "", source.rsplit("/", 1)[-1])
    words = [stem, column] if column else [stem]
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", "-".join(words)).strip("-")[:80] or "data"
    return f"artifacts/map-{slug}.html"


async def _source_expr(ctx: ToolContext, given: str) -> str:
    """The cell's expression for the data: a workspace file, a loaded dataset's file, or a variable."""
    present = {f.path for f in await ctx.workspace().list_files()}
    for rel in (given.removeprefix("./"), f"datasets/{given}.parquet"):
        if rel in present:
            return repr(rel)
    if _IDENTIFIER.fullmatch(given):
        return given  # a variable of the sandbox (NameError from the cell when there is none)
    raise FileNotFoundInWorkspace(
        f"no workspace file {given!r} and no loaded dataset with that id: load it with select_dataset, "
        "or pass a path such as datasets/<id>.parquet or the name of a GeoDataFrame variable"
    )


def show_map(ctx: ToolContext) -> BaseTool:
    @tool("show_map", response_format="content_and_artifact")
    @guard
    async def run(
        path_or_dataset: str,
        tool_call_id: Annotated[str, InjectedToolCallId],
        column: str | None = None,
        style: str | None = None,
    ) -> ToolResult:
        """Draw geographic data as an interactive map the user sees in the chat (an HTML artifact).

        path_or_dataset: a loaded dataset's id, a workspace file (GeoParquet, GeoJSON) or the name of a
        GeoDataFrame variable of the sandbox. column: colour the features by it (a choropleth for numbers,
        one colour per category otherwise); points are drawn as dots, lines as lines. style: a matplotlib
        colour scale for the column (e.g. "YlOrRd", "viridis", "Blues"), or one CSS colour without a column.
        Returns the artifact's file name and a summary (features, geometry types, bounds, column range)."""

        source = await _source_expr(ctx, path_or_dataset.strip())
        out = artifact_name(path_or_dataset.strip(), column)
        settings = ctx.resources.settings
        code = cell_code(settings, source=source, out=out, column=column, style=style, title=path_or_dataset)
        result = await run_agent_cell(ctx, code, tool_call_id)
        return _outcome(result, out)

    return run


def cell_code(
    settings: Settings, *, source: str, out: str, column: str | None, style: str | None, title: str
) -> str:
    """The map's cell: CELL with Python literals for the arguments and the basemap settings."""
    return CELL.format(
        title=f"{title}{f' by {column}' if column else ''}".replace("\n", " ")[:200],
        mark=_SUMMARY_MARK,
        source=source,
        column=repr(column),
        style=repr(style),
        out=repr(out),
        tiles=repr(settings.map_tiles_url),
        attr=repr(settings.map_tiles_attribution),
    )


def _outcome(result: ExecutionOut, out: str) -> ToolResult:
    """The model's view of the map's cell: its summary and artifact, or the error as data."""
    extra: dict[str, Any] = {"execution_id": str(result.id)}
    if result.error is not None:
        reason = f"{result.error.name}: {cut(result.error.value, 600)}"
        return error(f"the map could not be drawn: {reason}", **extra)
    summary = _summary(result.stdout)
    maps = [a for a in result.artifacts if a.filename == out.rsplit("/", 1)[-1]]
    if summary is None or not maps:
        return error(f"the map was not saved ({'; '.join(result.notes) or 'no artifact'})", **extra)
    summary.update(artifact=maps[0].filename, artifact_id=str(maps[0].id), size=maps[0].size)
    text = json.dumps({"ok": True, "shown_to_user": True, **summary}, ensure_ascii=False)
    return text, {
        "ok": True,
        "summary": f"map {maps[0].filename}: {summary['features']} features",
        "artifact_ids": [str(maps[0].id)],
        **extra,
    }


def _summary(stdout: str) -> dict[str, Any] | None:
    for line in reversed(stdout.splitlines()):
        if line.startswith(_SUMMARY_MARK):
            try:
                value = json.loads(line[len(_SUMMARY_MARK) :])
            except ValueError:
                return None
            return value if isinstance(value, dict) else None
    return None
