"""A thread out of the app (issue 20): GET /api/threads/{id}/export?format=ipynb|py|html|md."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from lgurban.api.deps import OwnedThread, ResourcesDep, SessionDep
from lgurban.api.responses import COMMON, errors
from lgurban.execution.notebook import gather, to_ipynb, to_py
from lgurban.execution.notebook_html import CSP, to_html
from lgurban.execution.notebook_md import to_markdown
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
    await session.close()  # the rendering needs no connection
    body = {"ipynb": to_ipynb, "py": to_py, "html": to_html, "md": to_markdown}[format](export)
    stem = re.sub(r"[^\w.-]+", "-", thread.title).strip("-")[:80] or "thread"
    headers = {
        "Content-Disposition": content_disposition(f"{stem}.{format}", inline=False),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    if format == "html":
        headers["Content-Security-Policy"] = CSP
    return Response(body, media_type=MEDIA[format], headers=headers)
