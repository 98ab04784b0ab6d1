"""What get_ortofoto and compare_ortofoto share: the year check, the HTML page and storing it as an artifact.

The page is the project's own Leaflet map (no folium): Leaflet from the app's copies (/static/map-assets, see
lgurban.artifacts.map_assets), the year's tiles from SIT_TILES_URL — the only other host the browser asks.
A compare puts the two years in two Leaflet panes and clips them at a slider the user drags (a swipe).
The page holds no image: the tiles are fetched by the browser, so no bytes reach the model or the store."""

from __future__ import annotations

import html
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from lgurban.agent.events import ArtifactEvent
from lgurban.agent.tools.context import ToolContext
from lgurban.agent.tools.places import Area
from lgurban.artifacts.map_assets import assets_base
from lgurban.artifacts.models import ArtifactOut
from lgurban.db.session import session_scope
from lgurban.errors import BadRequest, StorageUnavailable
from lgurban.sandbox.types import ArtifactFile
from lgurban.settings import Settings

_LEAFLET = "leaflet@1.9.3/dist/leaflet"

PAGE = """<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{assets}{leaflet}.css">
<script src="{assets}{leaflet}.js"></script>
<style>
html, body, #map {{ height: 100%; margin: 0; }}
.year {{ position: absolute; top: 10px; z-index: 1000; padding: 2px 8px; border-radius: 4px;
  font: bold 14px system-ui, sans-serif; background: rgba(255, 255, 255, .85); color: #111; }}
#year-a {{ left: 54px; }} #year-b {{ right: 10px; }}
#divider {{ position: absolute; top: 0; bottom: 0; width: 3px; margin-left: -1px; z-index: 999;
  background: #fff; box-shadow: 0 0 4px rgba(0, 0, 0, .6); pointer-events: none; }}
#swipe {{ position: absolute; left: 0; right: 0; bottom: 28px; width: 100%; margin: 0; z-index: 1000; }}
</style>
</head>
<body>
<div id="map"></div>
<script>
const cfg = {config};
const map = L.map("map", {{ maxZoom: cfg.max_zoom }});
map.attributionControl.setPrefix(false);
function layer(year, pane) {{
  return L.tileLayer(cfg.tiles.split("{{year}}").join(String(year)), {{
    pane: pane, maxZoom: cfg.max_zoom, attribution: cfg.attribution + " " + year, className: "year-" + year,
  }}).addTo(map);
}}
function label(id, text) {{
  const el = L.DomUtil.create("div", "year", map.getContainer());
  el.id = id;
  el.textContent = text;
  return el;
}}
map.createPane("yearA").style.zIndex = 200;
layer(cfg.years[0], "yearA");
label("year-a", cfg.labels[0]);
if (cfg.years.length > 1) {{
  const pane = map.createPane("yearB");
  pane.style.zIndex = 201;
  layer(cfg.years[1], "yearB");
  label("year-b", cfg.labels[1]);
  const divider = L.DomUtil.create("div", "", map.getContainer());
  divider.id = "divider";
  const swipe = L.DomUtil.create("input", "", map.getContainer());
  Object.assign(swipe, {{ id: "swipe", type: "range", min: 0, max: 1, step: "any", value: 0.5 }});
  swipe.setAttribute("aria-label", "Swipe between " + cfg.labels[0] + " and " + cfg.labels[1]);
  L.DomEvent.disableClickPropagation(swipe);
  L.DomEvent.on(swipe, "mousedown touchstart pointerdown", L.DomEvent.stopPropagation);
  function clip() {{  // yearB shows right of the slider, yearA (under it) left of it
    const size = map.getSize();
    const nw = map.containerPointToLayerPoint([0, 0]);
    const se = map.containerPointToLayerPoint(size);
    const x = nw.x + size.x * Number(swipe.value);
    pane.style.clip = "rect(" + [nw.y, se.x, se.y, x].join("px, ") + "px)";
    divider.style.left = size.x * Number(swipe.value) + "px";
  }}
  swipe.addEventListener("input", clip);
  map.on("move zoom resize", clip);
  map.whenReady(clip);
}}
map.fitBounds(cfg.bounds);
L.rectangle(cfg.bounds, {{ color: "#ffcc00", weight: 2, fill: false, interactive: false }}).addTo(map);
</script>
</body>
</html>
"""


def check_year(settings: Settings, year: int) -> int:
    """`year` if SIT_ORTOFOTO_YEARS has it; else an error that names the years there are."""
    years = sorted(settings.sit_ortofoto_years)
    if year not in years:
        listed = ", ".join(str(y) for y in years)
        raise BadRequest(f"there is no aerial photo of {year}: the years available are {listed}")
    return year


def page(settings: Settings, area: Area, years: list[int]) -> str:
    """The map's HTML: one year's tiles, or two years with a swipe between them, over `area`."""
    w, s, e, n = area.bbox
    config = {
        "tiles": settings.sit_tiles_url,
        "years": years,
        "labels": [f"Ortofoto {y}" for y in years],
        "attribution": settings.sit_tiles_attribution,
        "bounds": [[s, w], [n, e]],
        "max_zoom": 20,
    }
    title = " / ".join(f"Ortofoto {y}" for y in years) + f" — {area.label}"
    data = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")  # never ends the <script>
    assets = html.escape(assets_base(settings.public_base_url), quote=True)
    return PAGE.format(title=html.escape(title), assets=assets, leaflet=_LEAFLET, config=data)


def filename(stem: str, area: Area) -> str:
    """artifacts/<stem>-<place>.html, in characters any file system takes."""
    place = re.sub(r"[^A-Za-z0-9_-]+", "-", area.label.split(",")[0]).strip("-")[:60] if area.named else ""
    return f"artifacts/{stem}{'-' + place if place else ''}.html"


async def store(ctx: ToolContext, tool_call_id: str, rel_path: str, text: str) -> ArtifactOut:
    """Write the page into the thread's workspace and store it as this call's artifact (sent to the UI)."""
    workspace = ctx.workspace()
    with tempfile.TemporaryDirectory(prefix="lgurban-ortofoto-") as tmp:
        src = Path(tmp) / "page.html"
        src.write_text(text, encoding="utf-8")
        written = await workspace.put_file(rel_path, src)
    file = ArtifactFile(path=rel_path, size=written.size, sha256="", mime="text/html")
    async with session_scope(ctx.resources.sessionmaker) as session:
        result = await ctx.resources.artifacts.ingest(
            session=session,
            thread_id=ctx.thread_id,
            execution_id=None,
            tool_call_id=tool_call_id,
            workspace=workspace,
            files=[file],
        )
    if not result.artifacts:
        raise StorageUnavailable("; ".join(result.notes) or "the map could not be stored")
    artifact = result.artifacts[0]
    await ctx.send(ArtifactEvent(tool_call_id=tool_call_id, artifact=artifact))
    return artifact


def outside_city(settings: Settings, area: Area) -> bool:
    """True when `area` does not touch GEOCODER_VIEWBOX (Bologna): the city's photos will not cover it."""
    try:
        x1, y1, x2, y2 = (float(v) for v in settings.geocoder_viewbox.split(","))
    except ValueError:
        return False  # no usable box: nothing to say
    w, s, e, n = area.bbox
    return w > max(x1, x2) or e < min(x1, x2) or s > max(y1, y2) or n < min(y1, y2)


def outcome(
    settings: Settings, artifact: ArtifactOut, area: Area, **facts: Any
) -> tuple[str, dict[str, Any]]:
    """The model's view (what is shown, where; no HTML, no image) and the UI's extra."""
    view = {
        "ok": True,
        "shown_to_user": True,
        **facts,
        "place": area.label,
        "bbox": list(area.bbox),
        "artifact": artifact.filename,
        "artifact_id": str(artifact.id),
    }
    if outside_city(settings, area):
        view["note"] = (
            "this place is outside Bologna: the city's aerial photos most likely do not cover it and the "
            "map may stay blank; check the place (add 'Bologna' to the name) or pass a bbox in the city"
        )
    return json.dumps(view, ensure_ascii=False), {
        "ok": True,
        "summary": f"{artifact.filename}: {area.label[:120]}",
        "artifact_ids": [str(artifact.id)],
    }
