"""The MCP server (the official SDK's low-level Server): tools and resources on the service's parts.

The transports differ only in how a request names its caller: `lgurban mcp` (stdio) runs as the owner of
LGURBAN_TOKEN, /mcp on the API server as the owner of each request's bearer token (see http.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import mcp_types as types
from mcp.server import Server
from mcp.server.context import ServerRequestContext
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS
from pydantic import ValidationError

from lgurban.api.deps import AppServices
from lgurban.errors import AppError
from lgurban.mcp_server.access import Caller, SessionThreads
from lgurban.mcp_server.resources import list_resources, read_resource
from lgurban.mcp_server.results import AbsoluteUrl, from_app_error, tool_error
from lgurban.mcp_server.tools import TOOLS, ToolEnv

log = logging.getLogger(__name__)

Context = ServerRequestContext[Any, Any]
CallerOf = Callable[[Context], Caller]
AbsoluteOf = Callable[[Context], AbsoluteUrl]

INSTRUCTIONS = (
    "LG-Urban: an analyst's workspace on the city's open data. Find data with search_catalog, inspect it "
    "with describe_dataset and preview_dataset, load it with load_dataset, then analyse it with run_code "
    "(a persistent Python session: variables survive between calls of this MCP session). Files saved under "
    "artifacts/ and figures come back as downloadable links. Every workspace result names its thread_id: "
    "on a connection without MCP sessions (protocol 2026-07-28) pass it back to keep working in that thread."
)
_BY_NAME = {spec.name: spec for spec in TOOLS}


def build_server(
    *, services: AppServices, threads: SessionThreads, caller_of: CallerOf, absolute_of: AbsoluteOf
) -> Server[Any]:
    """One MCP server for a transport; `caller_of` says who a request comes from."""

    def env(ctx: Context) -> ToolEnv:
        return ToolEnv(services=services, threads=threads, caller=caller_of(ctx), absolute=absolute_of(ctx))

    async def on_list_tools(
        ctx: Context, params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=[spec.tool() for spec in TOOLS])

    async def on_call_tool(ctx: Context, params: types.CallToolRequestParams) -> types.CallToolResult:
        spec = _BY_NAME.get(params.name)
        if spec is None:
            raise MCPError(INVALID_PARAMS, f"unknown tool {params.name!r}")
        try:
            args = spec.args.model_validate(params.arguments or {})
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or '(arguments)'}: {e['msg']}" for e in exc.errors()
            )
            return tool_error("BAD_REQUEST", f"invalid arguments for {spec.name}: {problems}")
        try:
            return await spec.handler(env(ctx), args)
        except AppError as exc:
            return from_app_error(exc)
        except Exception:
            log.exception("MCP tool %s failed", spec.name)
            return tool_error("INTERNAL_ERROR", f"{spec.name} failed on the server; the error is in its log")

    async def on_list_resources(
        ctx: Context, params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        try:
            return types.ListResourcesResult(resources=await list_resources(env(ctx)))
        except AppError as exc:
            raise MCPError(INVALID_PARAMS, exc.message, data={"code": exc.code}) from None

    async def on_read_resource(
        ctx: Context, params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        try:
            return await read_resource(env(ctx), params.uri)
        except AppError as exc:
            raise MCPError(INVALID_PARAMS, exc.message, data={"code": exc.code}) from None

    return Server(
        "lgurban",
        version="0.1.0",
        title="LG-Urban",
        instructions=INSTRUCTIONS,
        on_list_tools=on_list_tools,
        on_call_tool=on_call_tool,
        on_list_resources=on_list_resources,
        on_read_resource=on_read_resource,
    )
