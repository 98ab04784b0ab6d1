"""/static/map-assets/: copies of Leaflet, jQuery, Bootstrap, Font Awesome… that HTML map artifacts load."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from lgurban.artifacts.map_assets import ASSETS_DIR, ASSETS_PATH

# the paths hold a version (leaflet@1.9.3/...): a file never changes under its path
CACHE = "public, max-age=31536000, immutable"


class MapAssets(StaticFiles):
    """Static files any origin may use: a map runs in a sandboxed iframe whose origin is opaque ("null"),
    and browsers load fonts across origins only with CORS."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
            response.headers["Cache-Control"] = CACHE
            response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def mount(app: FastAPI) -> None:
    """Serve the map assets at ASSETS_PATH (before the web app's catch-all route)."""
    app.mount(ASSETS_PATH, MapAssets(directory=ASSETS_DIR), name="map-assets")
