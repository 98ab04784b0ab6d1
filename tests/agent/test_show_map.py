"""show_map (issue 16 item 2): the analyst draws workspace geodata as an HTML map artifact; the model reads a
summary (never HTML); bad calls are data. Real ChatOpenAI against the fake OpenAI server over HTTP, real
sandbox."""

from __future__ import annotations

import json
import math
import uuid
from pathlib import Path
from typing import Any

import geopandas as gpd
import httpx
from shapely.geometry import LineString, Point, Polygon
from tests.agent.conftest import chat_settings, open_chat_app, send
from tests.agent.test_tools import invoke, tools_for
from tests.fakes.openai_server import FakeOpenAI

from lgurban.agent.analyst import build_analyst
from lgurban.agent.tools.maps import artifact_name

SIZE_GOAL = 500_000  # bytes of the HTML of a map of ~10 districts, its JS/CSS served separately


def districts(vertices: int = 800) -> gpd.GeoDataFrame:
    """Ten district-like polygons around Bologna, each with `vertices` corners (real ones have hundreds)."""
    shapes = []
    for i in range(10):
        cx, cy = 11.30 + (i % 5) * 0.03, 44.47 + (i // 5) * 0.04
        ring = [
            (
                cx + 0.014 * (1 + 0.08 * math.sin(7 * k)) * math.cos(2 * math.pi * k / vertices),
                cy + 0.019 * (1 + 0.08 * math.cos(5 * k)) * math.sin(2 * math.pi * k / vertices),
            )
            for k in range(vertices)
        ]
        shapes.append(Polygon(ring))
    names = [f"Quartiere {i}" for i in range(10)]
    people = [40_000 + 5_000 * i for i in range(10)]
    return gpd.GeoDataFrame({"nome": names, "popolazione": people}, geometry=shapes, crs=4326)


def _tool_messages(llm: FakeOpenAI) -> list[str]:
    last = llm.analyst_requests[-1]["messages"]
    return [str(m["content"]) for m in last if m["role"] == "tool"]


async def test_the_analyst_draws_a_choropleth_of_districts(settings_factory: Any, llm: FakeOpenAI) -> None:
    settings = chat_settings(
        settings_factory,
        openai_base_url=llm.url,
        openai_api_key="sk-fake",
        map_tiles_url="",
        sandbox_exec_timeout_s=60,
    )
    async with open_chat_app(settings, llm, standin=False) as chat:
        chat.manager.graph_factory = build_analyst
        llm.add_rule({"has_tools": False}, {"content": "Mappa"})
        llm.script(
            {
                "when": {"has_tools": True, "last_role": "user"},
                "tool_calls": [
                    {"name": "show_map", "args": {"path_or_dataset": "quartieri", "column": "assente"}},
                ],
            },
            {
                "when": {"last_role": "tool", "tool_contains": "assente"},
                "tool_calls": [
                    {"name": "show_map", "args": {"path_or_dataset": "quartieri", "column": "popolazione"}},
                ],
            },
            {"when": {"last_role": "tool", "tool_contains": '"features": 10'}, "content": "Ecco la mappa."},
        )
        thread = await chat.thread()
        workspace = settings.workspaces_dir / thread / "datasets"
        workspace.mkdir(parents=True, exist_ok=True)
        districts().to_parquet(workspace / "quartieri.parquet")

        events = await send(chat.client, thread, "Mostrami la popolazione per quartiere su una mappa")
        ends = [d for e, d in events if e == "tool_end"]
        assert [(d["name"], d["ok"]) for d in ends] == [("show_map", False), ("show_map", True)], ends
        # the error is data the model read: it names the missing column and the real ones
        first, second = _tool_messages(llm)
        assert first.startswith("Error") and "assente" in first and "popolazione" in first
        summary = json.loads(second)
        assert summary["features"] == 10 and summary["geometry_types"] == ["Polygon"]
        assert summary["column"] == {"name": "popolazione", "min": 40000.0, "max": 85000.0}
        assert summary["artifact"] == "map-quartieri-popolazione.html"
        assert len(second) < 1_000 and "<html" not in second and "<script" not in second
        assert "Ecco la mappa." in "".join(d["text"] for e, d in events if e == "token")

        [art] = [d["artifact"] for e, d in events if e == "artifact"]
        assert art["filename"] == "map-quartieri-popolazione.html" and art["mime"] == "text/html"
        html = (await chat.client.get(art["url"])).text
        assert '<script src="/static/map-assets/leaflet@1.9.3/dist/leaflet.js">' in html
        assert "https://" not in html.split("<body>")[0]  # nothing in the head from another host
        assert "tile.openstreetmap.org" not in html  # MAP_TILES_URL="" → no basemap
        assert "Quartiere 9" in html and "85000" in html
        print(f"figure: show_map artifact, 10 districts x 800 vertices = {art['size']} bytes")
        assert art["size"] <= SIZE_GOAL
        # the map's cell is in the Notebook like any other
        cells = (await chat.client.get(f"/api/threads/{thread}/executions")).json()["items"]
        assert any("show_map (agent tool)" in (c["code"] or "") for c in cells)


async def test_points_lines_variables_and_bad_sources(client: httpx.AsyncClient, app: Any) -> None:
    thread = (await client.post("/api/threads", json={"title": "maps"})).json()
    events: list[tuple[str, dict[str, Any]]] = []
    tools = tools_for(app, thread["id"], events)
    root: Path = app.state.resources.settings.workspaces_dir / thread["id"]
    (root / "data").mkdir(parents=True, exist_ok=True)
    stops = gpd.GeoDataFrame(
        {"linea": ["13", "27", "13"]},
        geometry=[Point(11.34, 44.49), Point(11.35, 44.50), LineString([(11.33, 44.49), (11.36, 44.51)])],
        crs=4326,
    )
    stops.to_file(root / "data" / "fermate.geojson", driver="GeoJSON")

    msg = await invoke(
        tools["show_map"], {"path_or_dataset": "data/fermate.geojson", "column": "linea"}, "m-1"
    )
    body = json.loads(str(msg.content))
    assert body["geometry_types"] == ["LineString", "Point"]
    assert body["column"] == {"name": "linea", "categories": 2}
    assert msg.artifact["ok"] is True and msg.artifact["artifact_ids"]
    assert [d["artifact"]["filename"] for e, d in events if e == "artifact"] == ["map-fermate-linea.html"]
    html = (root / "artifacts" / "map-fermate-linea.html").read_text()
    assert "new L.CircleMarker(latlng" in html  # points are dots

    # a GeoDataFrame variable of the sandbox, in another CRS, one CSS colour
    code = (
        "import geopandas as gpd\nfrom shapely.geometry import Point\n"
        "sel = gpd.GeoDataFrame(geometry=[Point(686000, 4928000)], crs=32632)"
    )
    await invoke(tools["execute_code"], {"code": code})
    msg = await invoke(tools["show_map"], {"path_or_dataset": "sel", "style": "red"})
    body = json.loads(str(msg.content))
    lon, lat = body["bounds"][:2]
    assert 11.0 < lon < 11.8 and 44.0 < lat < 44.8, body  # reprojected to lon/lat

    for args, needle in (
        ({"path_or_dataset": "../etc/passwd"}, "no workspace file"),
        ({"path_or_dataset": "nessuna_variabile"}, "NameError"),
        (
            {"path_or_dataset": "data/fermate.geojson", "column": "linea", "style": "no-such-scale"},
            "KeyError",
        ),
    ):
        msg = await invoke(tools["show_map"], args, f"bad-{uuid.uuid4().hex[:6]}")
        assert str(msg.content).startswith("Error") and needle in str(msg.content), msg.content
        assert msg.artifact["ok"] is False


def test_artifact_names_are_plain() -> None:
    name = artifact_name("datasets/quartieri-di-bologna.parquet", "pop 2024")
    assert name == "artifacts/map-quartieri-di-bologna-pop-2024.html"
    assert artifact_name("sel", None) == "artifacts/map-sel.html"
    assert artifact_name("../../x.geojson", "é") == "artifacts/map-x.html"
