"""Code and workspace endpoints: run a cell, restart the sandbox, workspace files, the notebook."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field

from lgurban.api.deps import CurrentUser, OwnedThread, ResourcesDep, SessionDep
from lgurban.api.execute_stream import STREAM_RESPONSE, CellStream, wants_stream
from lgurban.api.responses import COMMON, errors
from lgurban.api.schemas import STRICT_BODY, UserText
from lgurban.api.uploads import ParsedUpload, boundary_of, receive_upload, safe_file_name
from lgurban.errors import InvalidPath
from lgurban.execution import ExecutionOut, list_executions, run_cell
from lgurban.sandbox.protocol import OnOutput
from lgurban.sandbox.workspace import clean_relative_path, open_once, stream_open_file

router = APIRouter(tags=["sandbox"], responses=errors(*COMMON, 409))
NO_NUL = r"^[^\x00]*$"


class ExecuteIn(BaseModel):
    model_config = STRICT_BODY

    code: UserText = Field(max_length=1_000_000)
    timeout_s: float | None = Field(default=None, gt=0, le=3600, allow_inf_nan=False)


class ExecutionList(BaseModel):
    items: list[ExecutionOut]


class FileOut(BaseModel):
    path: str
    size: int
    modified_at: datetime


class FileList(BaseModel):
    items: list[FileOut]


class UploadOut(FileOut):
    bytes: int  # the same as size: what was written


_UPLOAD_FORM = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "path": {
                        "type": "string",
                        "maxLength": 1000,
                        "pattern": NO_NUL,
                        "description": "where in the workspace (relative); default uploads/<file name>",
                    },
                },
            }
        }
    },
}


class Accepted(BaseModel):
    status: str


@router.post("/api/threads/{thread_id}/execute", response_model=ExecutionOut, responses=STREAM_RESPONSE)
async def execute(
    thread_id: uuid.UUID,
    body: ExecuteIn,
    request: Request,
    user: CurrentUser,
    _thread: OwnedThread,
    session: SessionDep,
    resources: ResourcesDep,
) -> ExecutionOut | Response:
    """Run a cell in the thread's sandbox (variables persist between calls).

    With `Accept: text/event-stream` the answer is an SSE stream: `output` events while the cell runs,
    then one `result` event with this record (lgurban.api.execute_stream)."""
    await session.commit()  # the ownership check is done: no pooled connection held while the cell runs

    def start(on_output: OnOutput | None = None) -> asyncio.Future[ExecutionOut]:
        return asyncio.ensure_future(
            run_cell(
                sandboxes=resources.sandboxes,
                artifacts=resources.artifacts,
                sessionmaker=resources.sessionmaker,
                thread_id=thread_id,
                user_id=user.id,
                code=body.code,
                timeout_s=body.timeout_s,
                source="user",
                on_output=on_output,
                record_retry_s=resources.settings.execution_record_retry_s,
                sandbox_caps=resources.sandbox_caps,
            )
        )

    if wants_stream(request.headers.get("accept")):
        # the response is cancelled when the client goes (Starlette listens for it): so is the cell
        return CellStream(start)
    cell = start()
    # issue 14: a client that closes its connection interrupts its cell (variables kept), so the thread's
    # next cell does not wait out the whole timeout behind it
    gone = asyncio.ensure_future(_disconnected(request))
    either: set[asyncio.Future[Any]] = {cell, gone}
    try:
        await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
        if not cell.done():  # the client went (or this request was cancelled): the cell stops too
            cell.cancel()  # the sandbox manager interrupts a cell whose caller is cancelled
            with contextlib.suppress(asyncio.CancelledError):
                await cell
    if cell.cancelled():
        return Response(status_code=499)  # nobody reads it: the client has gone
    return cell.result()


async def _disconnected(request: Request) -> None:
    """Returns once the client has closed the connection (the body was read: only that can arrive)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


@router.get("/api/threads/{thread_id}/executions", response_model=ExecutionList)
async def executions(thread_id: uuid.UUID, _thread: OwnedThread, session: SessionDep) -> ExecutionList:
    """Every execution of the thread, oldest first (the notebook view)."""
    return ExecutionList(items=await list_executions(session=session, thread_id=thread_id))


@router.post(
    "/api/threads/{thread_id}/sandbox/restart", status_code=status.HTTP_202_ACCEPTED, response_model=Accepted
)
async def restart(
    thread_id: uuid.UUID, _thread: OwnedThread, session: SessionDep, resources: ResourcesDep
) -> Accepted:
    """Restart the thread's sandbox: variables are cleared, files kept."""
    await session.commit()  # waits for the running cell: without a pooled connection
    await resources.sandboxes.restart(thread_id)
    return Accepted(status="restarted")


@router.get("/api/threads/{thread_id}/files", response_model=FileList)
async def files(
    thread_id: uuid.UUID,
    _thread: OwnedThread,
    session: SessionDep,
    resources: ResourcesDep,
    path: Annotated[
        str | None, Query(max_length=1000, pattern=NO_NUL, description="only files under this folder")
    ] = None,
) -> FileList:
    """The files in the thread's workspace (optionally under one folder)."""
    await session.commit()  # a remote workspace may take a while: without a pooled connection
    prefix = clean_relative_path(path) + "/" if path is not None else ""
    items = await resources.workspace(thread_id).list_files()
    return FileList(
        items=[
            FileOut(path=f.path, size=f.size, modified_at=f.modified_at)
            for f in items
            if f.path.startswith(prefix)
        ]
    )


@router.post(
    "/api/threads/{thread_id}/files",
    status_code=status.HTTP_201_CREATED,
    response_model=UploadOut,
    openapi_extra={"requestBody": _UPLOAD_FORM},
)
async def upload_file(
    thread_id: uuid.UUID, request: Request, _thread: OwnedThread, session: SessionDep, resources: ResourcesDep
) -> UploadOut:
    """Upload a file to the workspace (multipart: `file`, optional `path`), streamed; UPLOAD_MAX_MB max."""
    await session.commit()  # a large body takes a while: without a pooled connection
    settings = resources.settings
    parsed = await receive_upload(
        request.stream(),
        boundary=boundary_of(request.headers.get("content-type")),
        tmp_dir=settings.data_dir / "uploads-tmp",
        max_bytes=settings.upload_max_mb * 1024 * 1024,
    )
    try:
        put = await resources.workspace(thread_id).put_file(_upload_path(parsed), parsed.tmp)
    finally:
        parsed.tmp.unlink(missing_ok=True)
    return UploadOut(path=put.path, size=put.size, bytes=put.size, modified_at=put.modified_at)


def _upload_path(parsed: ParsedUpload) -> str:
    given = parsed.fields.get("path")
    if given is None or not given.strip():
        return f"uploads/{safe_file_name(parsed.filename)}"
    if given.startswith("/"):
        raise InvalidPath(f"path {given!r} must be relative to the workspace")
    rel = clean_relative_path(given)
    if any(part.startswith(".") for part in rel.split("/")):
        raise InvalidPath(f"path {given!r} names a hidden file: it would not be listed")
    return rel


@router.get("/api/threads/{thread_id}/files/{path:path}")
async def read_file(
    thread_id: uuid.UUID, path: str, _thread: OwnedThread, resources: ResourcesDep
) -> StreamingResponse:
    """Download one workspace file."""
    if path.startswith("/"):
        raise InvalidPath(f"path {path!r} must be relative to the workspace")
    rel = clean_relative_path(path)
    # opened once, before the answer starts (a clean 4xx otherwise), and streamed from that descriptor:
    # the sandbox swapping the name for a symlink meanwhile changes nothing
    opened, size = await open_once(resources.workspace(thread_id), rel)
    return StreamingResponse(
        stream_open_file(opened, size),
        media_type="application/octet-stream",
        headers={"Content-Disposition": _attachment(rel.rsplit("/", 1)[-1]), "Content-Length": str(size)},
    )


def _attachment(name: str) -> str:
    """Content-Disposition for any file name: a printable ASCII fallback plus the exact name (RFC 6266)."""
    fallback = "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in name)
    exact = quote(name.encode("utf-8", "surrogateescape"), safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{exact}"
