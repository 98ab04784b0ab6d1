"""A thread out of the app (issue 20): GET /api/threads/{id}/export?format=ipynb|py|html|md."""

from __future__ import annotations

import base64
import re
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban.api.deps import OwnedThread, ResourcesDep, SessionDep
from lgurban.api.responses import COMMON, errors
from lgurban.db.models import Artifact
from lgurban.execution.notebook import gather, to_ipynb, to_py
from lgurban.execution.notebook_html import CSP, Figure, to_html
from lgurban.execution.notebook_md import to_markdown
from lgurban.storage.base import ObjectStore
from lgurban.storage.signing import content_disposition

router = APIRouter(tags=["threads"], responses=errors(*COMMON))

Format = Literal["ipynb", "py", "html", "md"]
FORMAT_HELP = "ipynb (Jupyter), py (percent-cell script), html or md (Markdown)"
MEDIA = {
    "ipynb": "application/x-ipynb+json",
    "py": "text/x-python; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}
FIGURE_MIMES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")
FIGURE_MAX_BYTES = 5 * 1024**2  # one embedded image; a bigger one is named, with where to get it
FIGURES_MAX_BYTES = 32 * 1024**2  # all of a report's embedded images


@router.get(
    "/api/threads/{thread_id}/export",
    response_class=Response,
    responses={200: {"description": "the thread as a notebook, a script, HTML or Markdown (a download)"}},
)
async def export_thread(
    thread: OwnedThread,
    session: SessionDep,
    resources: ResourcesDep,
    format: Annotated[Format, Query(description=FORMAT_HELP)] = "ipynb",
) -> Response:
    """The conversation and every cell the thread ran, with outputs; the datasets at the versions used."""
    export = await gather(session, thread, resources.settings.opendata_base_url)
    rows = await _image_artifacts(session, thread.id) if format == "html" else []
    await session.close()  # the rendering needs no connection
    if format == "html":
        body = to_html(export, await _figures(resources.artifacts.store, rows))
    else:
        body = {"ipynb": to_ipynb, "py": to_py, "md": to_markdown}[format](export)
    stem = re.sub(r"[^\w.-]+", "-", thread.title).strip("-")[:80] or "thread"
    headers = {
        "Content-Disposition": content_disposition(f"{stem}.{format}", inline=False),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    if format == "html":
        headers["Content-Security-Policy"] = CSP
    return Response(body, media_type=MEDIA[format], headers=headers)


async def _image_artifacts(session: AsyncSession, thread_id: uuid.UUID) -> list[Artifact]:
    query = (
        select(Artifact)
        .where(Artifact.thread_id == thread_id, Artifact.mime.in_(FIGURE_MIMES))
        .where(Artifact.expired_at.is_(None))
        .order_by(Artifact.created_at, Artifact.id)
    )
    return list((await session.execute(query)).scalars())


async def _figures(store: ObjectStore, rows: list[Artifact]) -> dict[uuid.UUID | None, list[Figure]]:
    """The images the thread's cells saved, for the HTML report (within the size caps), by execution."""
    out: dict[uuid.UUID | None, list[Figure]] = {}
    budget = FIGURES_MAX_BYTES
    for row in rows:
        data = None
        if row.size <= min(FIGURE_MAX_BYTES, budget):
            try:
                raw = b"".join([chunk async for chunk in store.get_stream(row.store_key)])
            except Exception:  # gone from the store meanwhile: named, not embedded
                raw = None
            if raw is not None:
                budget -= len(raw)
                data = base64.b64encode(raw).decode()
        figure = Figure(row.filename, row.mime, row.size, row.sha256, data)
        out.setdefault(row.execution_id, []).append(figure)
    return out
