"""MCP resources: the datasets a session's workspace holds and the artifacts of its thread.

URIs: lgurban://threads/<thread id>/files/<path> (a workspace file) and lgurban://artifacts/<id>. Reading
one gives its bytes (text for text types) up to MAX_READ_BYTES; larger files go through export_file."""

from __future__ import annotations

import base64
import re
import uuid

import mcp_types as types
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban import threads
from lgurban.db.models import User
from lgurban.db.session import session_scope
from lgurban.errors import AppError, FileNotFoundInWorkspace, NotFound, PayloadTooLarge, Unauthorized
from lgurban.mcp_server.access import Caller
from lgurban.mcp_server.results import artifact_uri, file_uri
from lgurban.mcp_server.tools import ToolEnv
from lgurban.sandbox.workspace import clean_relative_path

MAX_READ_BYTES = 16 * 1024 * 1024
TEXT_MIMES = ("text/", "application/json", "application/geo+json")
_FILE = re.compile(r"^lgurban://threads/([0-9a-fA-F-]{36})/files/(.+)$")
_ARTIFACT = re.compile(r"^lgurban://artifacts/([0-9a-fA-F-]{36})$")


async def list_resources(env: ToolEnv) -> list[types.Resource]:
    """The session's thread's loaded datasets and artifacts (none before the session has a thread)."""
    thread_id = await env.threads.known(env.caller)
    if thread_id is None:
        return []
    services = env.services
    files = await services.workspace(thread_id).list_files()
    out = [
        types.Resource(
            name=f.path.rsplit("/", 1)[-1],
            uri=file_uri(thread_id, f.path),
            mime_type="application/vnd.apache.parquet" if f.path.endswith(".parquet") else None,
            size=f.size,
            description=f"dataset loaded in the workspace ({f.path})",
        )
        for f in files
        if f.path.startswith("datasets/")
    ]
    async with session_scope(services.sessionmaker) as session:
        artifacts = await services.artifacts.list(session=session, thread_id=thread_id)
    out.extend(
        types.Resource(
            name=a.filename, uri=artifact_uri(a.id), mime_type=a.mime, size=a.size, description="artifact"
        )
        for a in artifacts
    )
    return out


async def read_resource(env: ToolEnv, uri: str) -> types.ReadResourceResult:
    """The bytes of one resource of the caller's; another user's is as missing as an unknown one."""
    try:
        if match := _ARTIFACT.match(uri):
            data, mime = await _artifact_bytes(env, uuid.UUID(match[1]))
        elif match := _FILE.match(uri):
            data, mime = await _file_bytes(env, uuid.UUID(match[1]), match[2])
        else:
            raise NotFound(
                f"no resource {uri!r}: lgurban://artifacts/<id> or lgurban://threads/<id>/files/<path>"
            )
    except AppError as exc:
        raise MCPError(INVALID_PARAMS, exc.message, data={"code": exc.code}) from None
    if mime.startswith(TEXT_MIMES):
        try:
            return types.ReadResourceResult(
                contents=[types.TextResourceContents(uri=uri, mime_type=mime, text=data.decode())]
            )
        except UnicodeDecodeError:
            pass
    blob = base64.b64encode(data).decode()
    return types.ReadResourceResult(contents=[types.BlobResourceContents(uri=uri, mime_type=mime, blob=blob)])


async def _owner(session: AsyncSession, caller: Caller) -> User:
    user = await session.get(User, caller.user_id)
    if user is None:
        raise Unauthorized("invalid or missing API token")
    return user


async def _artifact_bytes(env: ToolEnv, artifact_id: uuid.UUID) -> tuple[bytes, str]:
    services = env.services
    async with session_scope(services.sessionmaker) as session:
        owner = await _owner(session, env.caller)
        row = await services.artifacts.get(session=session, owner=owner, artifact_id=artifact_id)
        key, mime, size = row.store_key, row.mime, row.size
    if size > MAX_READ_BYTES:
        raise PayloadTooLarge(f"the artifact is {size:,} bytes; download it from its link instead")
    chunks = [chunk async for chunk in services.store.get_stream(key)]
    return b"".join(chunks), mime


async def _file_bytes(env: ToolEnv, thread_id: uuid.UUID, path: str) -> tuple[bytes, str]:
    services = env.services
    async with session_scope(services.sessionmaker) as session:
        await threads.get_thread(
            session=session, owner=await _owner(session, env.caller), thread_id=thread_id
        )
    rel = clean_relative_path(path)
    files = {f.path: f for f in await services.workspace(thread_id).list_files()}
    if rel not in files:
        raise FileNotFoundInWorkspace(f"no file {rel!r} in the workspace")
    if files[rel].size > MAX_READ_BYTES:
        raise PayloadTooLarge(f"{rel} is {files[rel].size:,} bytes; publish it with export_file instead")
    data = b"".join([chunk async for chunk in services.workspace(thread_id).open_read(rel)])
    mime = "application/vnd.apache.parquet" if rel.endswith(".parquet") else "application/octet-stream"
    return data, mime
