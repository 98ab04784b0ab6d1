"""The JS/CSS that HTML maps load, served by the app itself: folium's CDN URLs → /static/map-assets/ copies.

A folium (or branca) map saved as HTML loads Leaflet, jQuery, Bootstrap, Font Awesome… from public CDNs, so
it is blank offline and leaks each view to those hosts. When an HTML artifact is stored, `localise` rewrites
every URL of CDN_URLS to the app's copy under ASSETS_PATH (folder map-assets/ beside this module, see its
SOURCES.md); the iframe that shows the artifact then asks only the app. Other URLs are left as they are."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

ASSETS_PATH = "/static/map-assets"
ASSETS_DIR = Path(__file__).with_name("map-assets")

_JSDELIVR = "https://cdn.jsdelivr.net/npm/"
_CDNJS = "https://cdnjs.cloudflare.com/ajax/libs/"
_FOLIUM_GH = "https://cdn.jsdelivr.net/gh/python-visualization/folium"

# every URL folium 0.20 / branca 0.8 put into a map's <head> by default (folium.Map.default_js/default_css,
# branca.colormap, MarkerCluster, HeatMap) → the same file in map-assets/
CDN_URLS: dict[str, str] = {
    _JSDELIVR + "leaflet@1.9.3/dist/leaflet.js": "leaflet@1.9.3/dist/leaflet.js",
    _JSDELIVR + "leaflet@1.9.3/dist/leaflet.css": "leaflet@1.9.3/dist/leaflet.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery@3.7.1/dist/jquery.min.js",
    _JSDELIVR + "bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": (
        "bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js"
    ),
    _JSDELIVR + "bootstrap@5.2.2/dist/css/bootstrap.min.css": "bootstrap@5.2.2/dist/css/bootstrap.min.css",
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": (
        "glyphicons-only-bootstrap@1.0.1/css/bootstrap.min.css"
    ),
    _JSDELIVR + "@fortawesome/fontawesome-free@6.2.0/css/all.min.css": (
        "@fortawesome/fontawesome-free@6.2.0/css/all.min.css"
    ),
    _CDNJS + "Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": (
        "drmonty-leaflet-awesome-markers@2.0.2/js/leaflet.awesome-markers.js"
    ),
    _CDNJS + "Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": (
        "drmonty-leaflet-awesome-markers@2.0.2/css/leaflet.awesome-markers.css"
    ),
    _FOLIUM_GH + "/folium/templates/leaflet.awesome.rotate.min.css": (
        "folium@0.20.0/templates/leaflet.awesome.rotate.css"
    ),
    _FOLIUM_GH + "@main/folium/templates/leaflet_heat.min.js": "folium@0.20.0/templates/leaflet_heat.min.js",
    _CDNJS + "d3/3.5.5/d3.min.js": "d3@3.5.5/d3.min.js",
    _CDNJS + "leaflet.markercluster/1.1.0/leaflet.markercluster.js": (
        "leaflet.markercluster@1.1.0/dist/leaflet.markercluster.js"
    ),
    _CDNJS + "leaflet.markercluster/1.1.0/MarkerCluster.css": (
        "leaflet.markercluster@1.1.0/dist/MarkerCluster.css"
    ),
    _CDNJS + "leaflet.markercluster/1.1.0/MarkerCluster.Default.css": (
        "leaflet.markercluster@1.1.0/dist/MarkerCluster.Default.css"
    ),
}

# an HTML file larger than this is stored as it is (a map that big is data, and rewriting reads it whole)
MAX_REWRITE_BYTES = 64 * 1024 * 1024


def assets_base(public_base_url: str | None) -> str:
    """Where the copies are, as the artifact's HTML names them: root-relative (the HTML is served by this
    app's /blobs/ route), absolute when PUBLIC_BASE_URL is set (needed when artifacts come from S3)."""
    return (public_base_url or "").rstrip("/") + ASSETS_PATH + "/"


def rewrite(html: str, base: str) -> tuple[str, int]:
    """`html` with each known CDN URL pointing at `base` + its copy, and how many URLs were rewritten."""
    count = 0
    for url, rel in CDN_URLS.items():
        n = html.count(url)
        if n:
            html = html.replace(url, base + rel)
            count += n
    return html, count


@dataclass(frozen=True)
class Localised:
    """A rewritten copy of an HTML file (delete it after use), or `path` itself when nothing changed."""

    path: Path
    temporary: bool

    def discard(self) -> None:
        if self.temporary:
            self.path.unlink(missing_ok=True)


def localise(path: Path, base: str) -> Localised:
    """The HTML file at `path` with its CDN assets pointing at the app's copies (blocking: use a thread)."""
    if path.stat().st_size > MAX_REWRITE_BYTES:
        return Localised(path, temporary=False)
    raw = path.read_bytes()
    try:
        html = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Localised(path, temporary=False)
    html, count = rewrite(html, base)
    if not count:
        return Localised(path, temporary=False)
    fd, tmp = tempfile.mkstemp(prefix="lgurban-map-", suffix=".html")
    with os.fdopen(fd, "wb") as f:
        f.write(html.encode("utf-8"))
    return Localised(Path(tmp), temporary=True)
