"""The MCP tools: the catalog, a workspace's datasets, code and files, on the same services the API uses.

Each tool has a pydantic model of its arguments (its input schema) and a handler; a handler returns a
CallToolResult, and raises only AppError (turned into a tool error by the server)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import mcp_types as types
from pydantic import BaseModel, ConfigDict, Field

from lgurban.agent.tools import MAX_PREVIEW_ROWS, cut
from lgurban.api.deps import AppServices
from lgurban.datasets.client import DATASET_ID_PATTERN
from lgurban.db.session import session_scope
from lgurban.execution import run_cell
from lgurban.mcp_server.access import Caller, SessionThreads
from lgurban.mcp_server.results import AbsoluteUrl, artifact_link, as_json, execution_result, ok

THREAD_HELP = (
    "a thread (conversation) of yours to work in; default: this MCP session's own thread, made at its "
    "first workspace call"
)


@dataclass(frozen=True)
class ToolEnv:
    """What one call runs with: the service's parts, the session → thread map, the caller, URL making."""

    services: AppServices
    threads: SessionThreads
    caller: Caller
    absolute: AbsoluteUrl

    async def thread(self, requested: uuid.UUID | None) -> uuid.UUID:
        return await self.threads.thread_for(self.caller, requested)


class Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SearchArgs(Args):
    query: str = Field(default="", max_length=200, description="keywords (Italian often works best)")
    limit: int = Field(default=10, ge=1, le=50)
    offset: int = Field(default=0, ge=0, le=9_000)


class DatasetArgs(Args):
    dataset_id: str = Field(
        max_length=200, pattern=DATASET_ID_PATTERN, description="an id from search_catalog"
    )


class PreviewArgs(DatasetArgs):
    limit: int = Field(default=10, ge=1, le=MAX_PREVIEW_ROWS)


class InThread(Args):
    thread_id: uuid.UUID | None = Field(default=None, description=THREAD_HELP)


class LoadArgs(InThread):
    dataset_id: str = Field(
        max_length=200, pattern=DATASET_ID_PATTERN, description="an id from search_catalog"
    )


class CodeArgs(InThread):
    code: str = Field(
        min_length=1, max_length=1_000_000, description="Python source, run like a notebook cell"
    )
    timeout_s: float | None = Field(default=None, gt=0, le=3600, allow_inf_nan=False)


class ExportArgs(InThread):
    path: str = Field(
        min_length=1, max_length=1000, description="a file of the workspace, e.g. artifacts/x.csv"
    )


Handler = Callable[[ToolEnv, Any], Awaitable[types.CallToolResult]]


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    args: type[Args]
    handler: Handler
    read_only: bool = True

    def tool(self) -> types.Tool:
        return types.Tool(
            name=self.name,
            description=self.description,
            input_schema=self.args.model_json_schema(),
            annotations=types.ToolAnnotations(read_only_hint=self.read_only, open_world_hint=True),
        )


async def search_catalog(env: ToolEnv, args: SearchArgs) -> types.CallToolResult:
    found = await env.services.datasets.search(args.query, args.limit, args.offset)
    items = [
        i.model_copy(update={"description": cut(i.description, 300)}) if i.description else i
        for i in found.items
    ]
    return ok(found.model_copy(update={"items": items}))


async def describe_dataset(env: ToolEnv, args: DatasetArgs) -> types.CallToolResult:
    info = await env.services.datasets.get(args.dataset_id)
    if info.description:
        info = info.model_copy(update={"description": cut(info.description, 3_000)})
    return ok(info)


async def preview_dataset(env: ToolEnv, args: PreviewArgs) -> types.CallToolResult:
    preview = await env.services.datasets.preview(args.dataset_id, args.limit)
    rows = [[cut(v, 200) if isinstance(v, str) else v for v in row] for row in preview.rows]
    return ok(preview.model_copy(update={"rows": rows}))


async def load_dataset(env: ToolEnv, args: LoadArgs) -> types.CallToolResult:
    thread_id = await env.thread(args.thread_id)
    services = env.services
    async with session_scope(services.sessionmaker) as session:
        loaded = await services.datasets.load_into_thread(
            session=session,
            thread_id=thread_id,
            dataset_id=args.dataset_id,
            workspace=services.workspace(thread_id),
        )
    return ok(loaded, thread_id=thread_id)


async def run_code(env: ToolEnv, args: CodeArgs) -> types.CallToolResult:
    thread_id = await env.thread(args.thread_id)
    services = env.services
    result = await run_cell(
        sandboxes=services.sandboxes,
        artifacts=services.artifacts,
        sessionmaker=services.sessionmaker,
        thread_id=thread_id,
        user_id=env.caller.user_id,
        code=args.code,
        timeout_s=args.timeout_s,
        source="user",
        record_retry_s=services.settings.execution_record_retry_s,
        sandbox_caps=services.sandbox_caps,
    )
    return execution_result(result, thread_id=thread_id, absolute=env.absolute)


async def list_workspace(env: ToolEnv, args: InThread) -> types.CallToolResult:
    thread_id = await env.thread(args.thread_id)
    services = env.services
    listing = await services.datasets.list_for_thread(workspace=services.workspace(thread_id))
    async with session_scope(services.sessionmaker) as session:
        artifacts = await services.artifacts.list(session=session, thread_id=thread_id)
    body = {
        "thread_id": str(thread_id),
        **listing.model_dump(mode="json"),
        "artifacts": [{**a.model_dump(mode="json"), "url": env.absolute(a.url) or a.url} for a in artifacts],
    }
    links = [artifact_link(a, env.absolute) for a in artifacts]
    return types.CallToolResult(
        content=[types.TextContent(text=as_json(body)), *links], structured_content=body
    )


async def export_file(env: ToolEnv, args: ExportArgs) -> types.CallToolResult:
    thread_id = await env.thread(args.thread_id)
    services = env.services
    async with session_scope(services.sessionmaker) as session:
        exported = await services.artifacts.export(
            thread_id=thread_id, workspace=services.workspace(thread_id), path=args.path, session=session
        )
    url = env.absolute(exported.url) or exported.url
    body = {"thread_id": str(thread_id), **exported.model_dump(mode="json"), "url": url}
    content: list[types.ContentBlock] = [types.TextContent(text=as_json(body))]
    if url.startswith(("http://", "https://")):
        name = args.path.rsplit("/", 1)[-1]
        content.append(types.ResourceLink(name=name, uri=url, description=f"export of {args.path}; expires"))
    return types.CallToolResult(content=content, structured_content=body)


TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        "search_catalog",
        "Search the open data catalog (the city's Opendatasoft portal and this server's own datasets) by "
        "keywords. Returns {total, items: [{id, title, description, source, records_count, is_geo, "
        "modified_at}]}; use an item's id with the other tools.",
        SearchArgs,
        search_catalog,
    ),
    ToolSpec(
        "describe_dataset",
        "Describe one dataset without loading it: title, description, license, publisher, its fields "
        "(name, label, type, description), its time coverage (date field, first and last date) and its "
        "geographic information (geo fields, bounding box).",
        DatasetArgs,
        describe_dataset,
    ),
    ToolSpec(
        "preview_dataset",
        "The first rows of a dataset, without loading it: {columns, rows}. Long values are cut.",
        PreviewArgs,
        preview_dataset,
    ),
    ToolSpec(
        "load_dataset",
        "Load a dataset into the workspace as datasets/<id>.parquet (GeoParquet for geographic data), for "
        "run_code to read with pd.read_parquet (geopandas.read_parquet). "
        "Returns {path, rows, columns, bytes}.",
        LoadArgs,
        load_dataset,
        read_only=False,
    ),
    ToolSpec(
        "run_code",
        "Run Python in the workspace's persistent sandbox, like a notebook cell: variables, imports and "
        "files persist between calls of this session. The working directory is the workspace root "
        "(datasets/, artifacts/). Figures are returned as images; every file saved under artifacts/ (and "
        "every figure) is stored as an artifact and returned as a link that downloads it. A cell that "
        "raises or times out is a tool error with the traceback.",
        CodeArgs,
        run_code,
        read_only=False,
    ),
    ToolSpec(
        "list_workspace",
        "The workspace's files (loaded datasets are datasets/<id>.parquet), the server's large datasets "
        "load_dataset can load (available), and the artifacts made so far, each with a signed download link.",
        InThread,
        list_workspace,
    ),
    ToolSpec(
        "export_file",
        "Publish a file of the workspace and get a signed download link for it: {url, expires_at, key}.",
        ExportArgs,
        export_file,
        read_only=False,
    ),
)
