"""`lgurban mcp`: the MCP server on stdin/stdout for desktop clients (Claude Desktop, Cursor), in process.

It works on the configured database, object store and sandboxes as the owner of the API token in
LGURBAN_TOKEN (a flag would show the token in the process list). Nothing but MCP goes to stdout."""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from contextlib import AsyncExitStack
from typing import Annotated

import typer

from lgurban.cli.common import fail, settings_or_exit
from lgurban.settings import Settings

TOKEN_ENV = "LGURBAN_TOKEN"


def mcp(
    thread: Annotated[
        str | None,
        typer.Option(
            envvar="LGURBAN_THREAD_ID",
            help="Work in this existing thread of yours (default: a new thread for this session).",
        ),
    ] = None,
    log_level: Annotated[str, typer.Option(help="Log level (logs go to stderr).")] = "WARNING",
) -> None:
    """Serve MCP over stdio as the owner of the API token in LGURBAN_TOKEN."""
    settings = settings_or_exit()
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise fail(
            f"{TOKEN_ENV} is not set: `lgurban mcp` runs as the owner of an API token. Create one with "
            f"`lgurban users create NAME` and put it in {TOKEN_ENV} (in the MCP client's config `env`).",
            2,
        )
    try:
        thread_id = uuid.UUID(thread) if thread else None
    except ValueError:
        raise fail(f"--thread / LGURBAN_THREAD_ID {thread!r} is not a thread id", 2) from None
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from lgurban.errors import AppError

    try:
        asyncio.run(_serve(settings, token, thread_id))
    except AppError as exc:
        raise fail(f"lgurban mcp: {exc.message} ({exc.code})", 1) from None


async def _serve(settings: Settings, token: str, thread_id: uuid.UUID | None) -> None:
    from lgurban.app import open_resources
    from lgurban.db.session import make_engine, make_sessionmaker
    from lgurban.mcp_server.stdio import serve_stdio, token_owner

    engine = make_engine(settings)  # the token is checked before any sandbox starts
    try:
        user_id = await token_owner(make_sessionmaker(engine), token)
    finally:
        await engine.dispose()
    async with AsyncExitStack() as stack:
        services = await open_resources(settings, stack)
        await serve_stdio(services, user_id=user_id, thread_id=thread_id)
