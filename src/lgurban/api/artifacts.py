"""Artifacts, exports and the local store's signed blob links."""

from __future__ import annotations

import time
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from pydantic import BaseModel, Field

from lgurban.api.deps import CurrentUser, OwnedThread, ResourcesDep, SessionDep
from lgurban.api.provenance import ProvenanceOut, provenance
from lgurban.api.responses import COMMON, errors
from lgurban.api.schemas import STRICT_BODY, UserText
from lgurban.artifacts.mime import is_active
from lgurban.artifacts.models import ArtifactOut
from lgurban.artifacts.service import ExportOut
from lgurban.errors import NotFound
from lgurban.storage.signing import content_disposition

router = APIRouter(tags=["artifacts"], responses=errors(*COMMON, 403, 409))


class ArtifactList(BaseModel):
    items: list[ArtifactOut]


class ExportIn(BaseModel):
    model_config = STRICT_BODY

    path: UserText = Field(min_length=1, max_length=1000, description="a file in the thread's workspace")


@router.get("/api/threads/{thread_id}/artifacts", response_model=ArtifactList)
async def list_artifacts(
    thread_id: uuid.UUID, _thread: OwnedThread, session: SessionDep, resources: ResourcesDep
) -> ArtifactList:
    """The thread's artifacts, oldest first, each with a fresh signed download link."""
    return ArtifactList(items=await resources.artifacts.list(session=session, thread_id=thread_id))


@router.get("/api/artifacts/{artifact_id}", response_model=ArtifactOut)
async def get_artifact(
    artifact_id: uuid.UUID, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> ArtifactOut:
    """One artifact (another user's → 404)."""
    service = resources.artifacts
    return await service.to_out(await service.get(session=session, owner=user, artifact_id=artifact_id))


@router.get("/api/artifacts/{artifact_id}/provenance", response_model=ProvenanceOut)
async def artifact_provenance(
    artifact_id: uuid.UUID, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> ProvenanceOut:
    """Where the artifact came from: the cell that wrote it (code, outputs) and the versions of the datasets
    that cell read (portal modified time, ETag, sha256, rows, licence), as recorded when they were loaded."""
    service = resources.artifacts
    row = await service.get(session=session, owner=user, artifact_id=artifact_id)
    return await provenance(session=session, row=row, artifact=await service.to_out(row))


@router.get(
    "/api/artifacts/{artifact_id}/download",
    status_code=307,
    response_class=RedirectResponse,
    responses={307: {"description": "redirect to a signed download URL"}, **errors(410)},
)
async def download_artifact(
    artifact_id: uuid.UUID, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> RedirectResponse:
    """307 to a short-lived signed URL (S3 presigned, or this server's /blobs/... link); 410 ARTIFACT_EXPIRED
    when the store no longer has the file."""
    service = resources.artifacts
    row = await service.get(session=session, owner=user, artifact_id=artifact_id)
    url = await service.checked_download_url(session=session, row=row)
    return RedirectResponse(url, status_code=307, headers={"Cache-Control": "no-store"})


@router.post("/api/threads/{thread_id}/exports", response_model=ExportOut)
async def export_file(
    thread_id: uuid.UUID, body: ExportIn, _thread: OwnedThread, session: SessionDep, resources: ResourcesDep
) -> ExportOut:
    """Publish a workspace file under output/exports/ and return a signed URL with its expiry."""
    return await resources.artifacts.export(
        thread_id=thread_id, workspace=resources.workspace(thread_id), path=body.path, session=session
    )


@router.api_route("/blobs/{key:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def blob(
    key: str,
    request: Request,
    resources: ResourcesDep,
    exp: Annotated[str, Query()] = "",
    fn: Annotated[str, Query()] = "",
    ct: Annotated[str, Query()] = "",
    sig: Annotated[str, Query()] = "",
) -> Response:
    """Serve a local-store object to whoever holds a valid signed link (no session needed)."""
    store = resources.store
    signer = getattr(store, "signer", None)
    if signer is None:
        raise NotFound("not found")
    signed = signer.verify(key, exp=exp, filename=fn, content_type=ct, sig=sig)
    info = await store.head(signed.key)
    if info is None:
        raise NotFound("this file is no longer stored")
    mime = signed.content_type or "application/octet-stream"
    headers = {
        "Content-Length": str(info.size),
        "Content-Disposition": content_disposition(signed.filename or None),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": f"private, max-age={max(0, signed.expires_at - int(time.time()))}",
    }
    if is_active(mime):
        # scripts may run (folium maps need them) but in an opaque origin: no cookies, storage or app DOM
        headers["Content-Security-Policy"] = "sandbox allow-scripts allow-popups"
    if request.method == "HEAD":
        return Response(status_code=200, media_type=mime, headers=headers)
    return StreamingResponse(store.get_stream(signed.key), media_type=mime, headers=headers)
