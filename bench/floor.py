"""The floor for bench/api.py: a bare FastAPI route under the same uvicorn settings as `lgurban serve`
(uvloop/httptools chosen the same way, one process, warning log level, no access log override), returning
the bytes of a file (the list response, captured from the real server) with the same media type.

    python bench/floor.py PORT BODY_FILE
"""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn
from fastapi import FastAPI, Response


def build(body: bytes) -> FastAPI:
    app = FastAPI()

    @app.get("/api/health")
    async def health() -> Response:
        return Response(b"{}", media_type="application/json")

    @app.get("/floor")
    async def floor() -> Response:
        return Response(body, media_type="application/json")

    return app


if __name__ == "__main__":
    port, body_file = int(sys.argv[1]), Path(sys.argv[2])
    uvicorn.run(build(body_file.read_bytes()), host="127.0.0.1", port=port, log_level="warning")
