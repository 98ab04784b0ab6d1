"""Maps (issue 16 item 1): a folium map shown as a cell's value, or saved by the code, is an HTML artifact
whose every JS/CSS asset is served by the app itself (/static/map-assets/), scripts on in an opaque origin."""

from __future__ import annotations

import re
from typing import Any

import httpx

from lgurban.artifacts.map_assets import ASSETS_DIR, CDN_URLS, assets_base, rewrite

_URL = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")

MAP_VALUE = """
import folium
m = folium.Map(location=[44.49, 11.34], zoom_start=12, tiles=None)
folium.Marker([44.49, 11.34], popup="Piazza Maggiore").add_to(m)
m
"""

MAP_SAVED = """
import folium
from folium.plugins import MarkerCluster
m = folium.Map(location=[44.49, 11.34], zoom_start=12, tiles=None)
MarkerCluster().add_to(m)
m.save("artifacts/saved.html")
"""


def test_every_default_asset_of_folium_and_branca_is_copied() -> None:
    """Every URL a folium map with a legend, clusters and a heat map loads has a copy, each copy on disk."""
    import branca.colormap
    import folium
    from folium.plugins import HeatMap, MarkerCluster

    m = folium.Map(location=[44.49, 11.34], tiles=None)
    branca.colormap.LinearColormap(["red", "blue"], vmin=0, vmax=1).add_to(m)
    MarkerCluster().add_to(m)
    HeatMap([[44.49, 11.34, 1.0]]).add_to(m)
    loaded = set(_URL.findall(m.get_root().render()))
    assert loaded and loaded <= set(CDN_URLS), loaded - set(CDN_URLS)
    for rel in CDN_URLS.values():
        assert (ASSETS_DIR / rel).is_file(), rel


def test_rewrite_points_at_the_copies_and_leaves_other_urls() -> None:
    html = '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script><a href="https://x.org/y">'
    out, count = rewrite(html, assets_base("https://lg.example/"))
    assert count == 1
    assert 'src="https://lg.example/static/map-assets/jquery@3.7.1/dist/jquery.min.js"' in out
    assert 'href="https://x.org/y"' in out
    assert assets_base(None) == "/static/map-assets/"


async def _page_and_assets(running: Any, art: dict[str, Any]) -> list[str]:
    """The artifact's HTML fetched through its signed link, and the asset URLs it loads (each checked)."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=running.app), base_url="http://t") as anon:
        page = await anon.get(art["url"])
        assert page.status_code == 200
        assert page.headers["content-security-policy"].startswith("sandbox allow-scripts")
        urls = [u for u in _URL.findall(page.text) if not u.startswith("#")]
        assert urls and all(u.startswith("/static/map-assets/") for u in urls), urls
        for url in urls:
            asset = await anon.get(url)
            assert asset.status_code == 200, url
            assert asset.headers["access-control-allow-origin"] == "*"  # fonts in an opaque-origin frame
            assert "immutable" in asset.headers["cache-control"]
        missing = await anon.get("/static/map-assets/leaflet@9.9.9/dist/leaflet.js")
        assert missing.status_code == 404
        return urls


async def test_a_map_value_becomes_an_html_artifact_with_local_assets(start_app: Any) -> None:
    running = await start_app(sandbox_exec_timeout_s=60, sandbox_memory_mb=1024)
    alice = await running.make_user()
    tid = await alice.thread()
    body = (await alice.client.post(f"/api/threads/{tid}/execute", json={"code": MAP_VALUE})).json()
    assert body["ok"], body
    # no notebook iframe ("Make this Notebook Trusted…"): a text that names the map, and the map itself
    assert [o["mime"] for o in body["outputs"]] == ["text/plain"]
    assert "artifacts/map-" in body["outputs"][0]["data"]
    [art] = body["artifacts"]
    assert art["mime"] == "text/html" and art["filename"].startswith("map-")
    urls = await _page_and_assets(running, art)
    assert "/static/map-assets/leaflet@1.9.3/dist/leaflet.js" in urls


async def test_a_saved_map_with_a_plugin_is_stored_with_local_assets(start_app: Any) -> None:
    running = await start_app(sandbox_exec_timeout_s=60, sandbox_memory_mb=1024)
    alice = await running.make_user()
    tid = await alice.thread()
    body = (await alice.client.post(f"/api/threads/{tid}/execute", json={"code": MAP_SAVED})).json()
    assert body["ok"], body
    [art] = body["artifacts"]
    urls = await _page_and_assets(running, art)
    assert "/static/map-assets/leaflet.markercluster@1.1.0/dist/leaflet.markercluster.js" in urls
    # the workspace keeps the file as the code wrote it; the stored artifact is the rewritten copy
    original = (running.workspace(tid).root / "artifacts/saved.html").read_text()
    assert "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" in original
