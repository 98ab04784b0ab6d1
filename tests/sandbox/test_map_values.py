"""Maps (issue 16 item 1), on both backends: a folium map shown as a value or with display() is saved as an
HTML artifact (map-<cell>.html, map-<cell>-2.html…) and a text stands for it; no notebook iframe is sent."""

from __future__ import annotations

import uuid

from tests.sandbox.test_contract import Kit, kit, tid

__all__ = ["kit", "tid"]  # fixtures

CELL = """
import folium
from IPython.display import display
m = folium.Map(location=[44.49, 11.34], zoom_start=12, tiles=None)
folium.CircleMarker([44.49, 11.34], radius=5).add_to(m)
display(m)
m
"""


async def test_map_values_become_html_artifacts(kit: Kit, tid: uuid.UUID) -> None:
    res = await kit.manager.execute(tid, CELL)
    assert res.ok, res.error
    n = res.execution_count
    assert [o.mime for o in res.outputs] == ["text/plain", "text/plain"]
    assert f"artifacts/map-{n}.html" in res.outputs[0].data
    assert f"artifacts/map-{n}-2.html" in res.outputs[1].data
    assert not any("Trust Notebook" in o.data or "<iframe" in o.data for o in res.outputs)
    pages = sorted(f.path for f in res.files)
    assert pages == [f"artifacts/map-{n}-2.html", f"artifacts/map-{n}.html"]
    page = await kit.manager.workspace(tid).local_path(f"artifacts/map-{n}.html")
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>") and "L.circleMarker" in html  # the whole page, its scripts
    # a folium element that is not a map (a colour scale) keeps its own rich output
    res = await kit.manager.execute(tid, "import branca.colormap as cm\ncm.LinearColormap(['red', 'blue'])")
    assert res.ok and res.outputs[0].mime == "text/html" and "<svg" in res.outputs[0].data
    assert res.files == []
