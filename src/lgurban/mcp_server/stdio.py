"""`lgurban mcp`: the MCP server over stdin/stdout, in process, as the owner of one API token.

One process is one MCP session: its thread is made at the first workspace call (or is LGURBAN_THREAD_ID,
a thread of the token's owner)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urljoin

from mcp.server.stdio import stdio_server
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lgurban.api.deps import AppServices
from lgurban.auth import authenticate_token
from lgurban.db.session import session_scope
from lgurban.errors import Unauthorized
from lgurban.mcp_server.access import Caller, SessionThreads
from lgurban.mcp_server.results import AbsoluteUrl
from lgurban.mcp_server.server import build_server

STDIO_SESSION = "stdio"


async def token_owner(sessionmaker: async_sessionmaker[AsyncSession], token: str | None) -> uuid.UUID:
    """The id of the user whose API token this is; Unauthorized (same message as the API) otherwise."""
    if not token or not token.strip():
        raise Unauthorized("LGURBAN_TOKEN is not set: create a token with `lgurban users create NAME`")
    async with session_scope(sessionmaker) as session:
        return (await authenticate_token(session=session, token=token.strip())).id


def public_links(base_url: str | None) -> AbsoluteUrl:
    """Signed links made absolute on PUBLIC_BASE_URL (where the API server serves /blobs/...); None for a
    relative link when the server has no public address (the lgurban:// resource stands in for it)."""

    def absolute(url: str) -> str | None:
        if url.startswith(("http://", "https://")):
            return url
        return urljoin(base_url.rstrip("/") + "/", url.lstrip("/")) if base_url else None

    return absolute


async def serve_stdio(services: AppServices, *, user_id: uuid.UUID, thread_id: uuid.UUID | None) -> None:
    """Serve one MCP session on stdin/stdout until the client closes it."""
    threads = SessionThreads(services)
    caller = Caller(user_id=user_id, session_key=STDIO_SESSION, named_thread=thread_id)
    if thread_id is not None:
        await threads.thread_for(caller)  # refused now (not at the first call) when it is not theirs
    absolute = public_links(services.settings.public_base_url)

    def caller_of(_ctx: Any) -> Caller:
        return caller

    def absolute_of(_ctx: Any) -> AbsoluteUrl:
        return absolute

    server = build_server(services=services, threads=threads, caller_of=caller_of, absolute_of=absolute_of)
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())
