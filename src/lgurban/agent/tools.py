"""The analyst's tools, bound to one thread and one run.

HOW TO USE
    tools = make_tools(resources=resources, thread_id=thread.id, user_id=user_id, run_id=run_id, emit=emit)
    graph = build_graph(llm=llm, tools=tools, checkpointer=checkpointer)   # lgurban.agent.graph

`emit(event, data)` is the run's live-event callback. It may be a plain function or return an awaitable (it is
awaited then). The tools call it with exactly these events:

    emit("tool_output", {"tool_call_id": str, "stream": "stdout" | "stderr", "text": str})
        live output of execute_code while the cell runs (one call per chunk) → SSE `tool_output`
    emit("artifact", {"tool_call_id": str, "artifact": {id, thread_id, filename, mime, size, sha256,
                                                         created_at, url, ...}})
        a file the cell stored as an artifact (the API artifact shape, from run_cell) → SSE `artifact`

Every tool returns (content, artifact) (response_format="content_and_artifact"): `content` is the text the
model reads (bounded: long output is cut with a note saying how much; no bytes, no base64 — images are
replaced by a mention of the artifact), and `artifact` is a dict for the UI, never sent to the model:
    {"ok": bool, "summary": str, ...}   (execute_code adds "execution_id" and "artifact_ids")
Errors (bad arguments, dataset not found, sandbox down, export of a missing file) come back as content
starting with "Error" and artifact {"ok": False, ...}; they never raise out of the tool. Malformed arguments
from the model are turned into a validation-error ToolMessage by the graph's tool node.
"""

from __future__ import annotations

import inspect
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import asdict, is_dataclass
from functools import wraps
from typing import Annotated, Any

from langchain_core.tools import BaseTool, InjectedToolCallId, tool

from lgurban.db.session import session_scope
from lgurban.errors import AppError, ServiceUnavailable
from lgurban.resources import Resources

log = logging.getLogger(__name__)

Emit = Callable[[str, dict[str, Any]], Any]
ToolResult = tuple[str, dict[str, Any]]

MAX_TOOL_CHARS = 8_000  # what one tool result may put into the model's context
MAX_STREAM_CHARS = 4_000  # stdout / stderr each
MAX_TRACEBACK_CHARS = 2_000
MAX_PREVIEW_ROWS = 50


def cut(text: str, limit: int) -> str:
    """`text` within `limit` characters: head and tail kept, a note saying how much was cut in between."""
    if len(text) <= limit:
        return text
    keep = max(limit - 80, 20)
    head, tail = text[: keep // 2], text[-(keep - keep // 2) :]
    return f"{head}\n[... {len(text) - len(head) - len(tail)} characters cut ...]\n{tail}"


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return value


def as_text(value: Any, limit: int = MAX_TOOL_CHARS) -> str:
    """A JSON rendering of a service result, bounded."""
    text = json.dumps(
        _plain(value), ensure_ascii=False, default=lambda v: _plain(v) if v is not _plain(v) else str(v)
    )
    if len(text) <= limit:
        return text
    return cut(text, limit) + f"\n(result cut: {len(text)} characters in all)"


def _error(message: str, **extra: Any) -> ToolResult:
    return f"Error: {message}", {"ok": False, "summary": message[:200], **extra}


def _guard(fn: Callable[..., Awaitable[ToolResult]]) -> Callable[..., Awaitable[ToolResult]]:
    """Domain errors become data the model reads and can act on."""

    @wraps(fn)
    async def wrapper(*args: Any, **kwargs: Any) -> ToolResult:
        try:
            return await fn(*args, **kwargs)
        except AppError as exc:
            return _error(f"{exc.code}: {exc.message}")
        except (ValueError, KeyError, TypeError) as exc:
            return _error(f"{type(exc).__name__}: {exc}")

    return wrapper


def _output_mention(mime: str, data: str, artifacts: list[dict[str, Any]]) -> str | None:
    if mime.startswith("image/"):
        names = [a.get("filename") for a in artifacts if str(a.get("mime", "")).startswith("image/")]
        where = f" (stored as artifact {', '.join(map(str, names))})" if names else ""
        return f"[{mime} image shown to the user{where}; not readable here]"
    if mime == "text/plain":
        return cut(data, 2_000)
    if mime in ("text/html", "application/json", "text/markdown"):
        return f"[{mime} output of {len(data)} characters shown to the user]"
    return f"[{mime} output shown to the user]"


def execution_content(result: dict[str, Any]) -> ToolResult:
    """The model's view of a run_cell result (bounded, no bytes) and the UI's extra."""
    artifacts = list(result.get("artifacts") or [])
    error = result.get("error")
    view: dict[str, Any] = {"ok": bool(result.get("ok"))}
    if result.get("stdout"):
        view["stdout"] = cut(str(result["stdout"]), MAX_STREAM_CHARS)
    if result.get("stderr"):
        view["stderr"] = cut(str(result["stderr"]), MAX_STREAM_CHARS // 2)
    outputs = [
        m
        for o in result.get("outputs") or []
        if (m := _output_mention(str(o.get("mime", "")), str(o.get("data", "")), artifacts))
    ]
    if outputs:
        view["outputs"] = outputs
    if error:
        view["error"] = {
            "name": error.get("name"),
            "value": cut(str(error.get("value", "")), 1_000),
            "traceback": cut(str(error.get("traceback", "")), MAX_TRACEBACK_CHARS),
        }
    if artifacts:
        view["artifacts"] = [{k: a.get(k) for k in ("id", "filename", "mime", "size")} for a in artifacts]
    if result.get("notes"):
        view["notes"] = [cut(str(n), 500) for n in result["notes"]]
    if error:
        summary = f"{error.get('name')}: {str(error.get('value', ''))[:150]}"
    elif artifacts:
        summary = "created " + ", ".join(str(a.get("filename")) for a in artifacts)
    else:
        summary = "ok"
    view["summary"] = summary
    content = json.dumps(view, ensure_ascii=False)
    if len(content) > MAX_TOOL_CHARS:  # everything long at once: keep it valid JSON, shorten each part
        if view.get("outputs"):
            view["outputs"] = [cut(o, 200) for o in view["outputs"][:5]]
        for key, share in (("stdout", 4), ("stderr", 8)):
            if key in view:
                view[key] = cut(view[key], MAX_TOOL_CHARS // share)
        if view.get("error"):
            view["error"]["traceback"] = cut(view["error"]["traceback"], MAX_TOOL_CHARS // 8)
            view["error"]["value"] = cut(view["error"]["value"], 500)
        if len(view.get("artifacts", [])) > 10:
            view["artifacts"] = [*view["artifacts"][:10], f"... and {len(artifacts) - 10} more artifacts"]
        content = json.dumps(view, ensure_ascii=False)
    extra = {
        "ok": bool(result.get("ok")),
        "summary": summary,
        "execution_id": result.get("id"),
        "artifact_ids": [a.get("id") for a in artifacts],
    }
    return content, extra


def make_tools(
    *,
    resources: Resources,
    thread_id: uuid.UUID,
    user_id: uuid.UUID | None,
    run_id: uuid.UUID | None,
    emit: Emit | None = None,
) -> list[BaseTool]:
    """The analyst's tools for one thread and run (see the module docstring for the events they emit)."""

    async def send(event: str, data: dict[str, Any]) -> None:
        if emit is None:
            return
        try:
            out = emit(event, data)
            if inspect.isawaitable(out):
                await out
        except Exception:  # a broken listener must not fail the tool
            log.warning("emit %s failed", event, exc_info=True)

    def datasets() -> Any:
        if resources.datasets is None:
            raise ServiceUnavailable("the dataset catalog is not available on this server")
        return resources.datasets

    def workspace() -> Any:
        from lgurban.datasets.service import workspace_for

        return workspace_for(resources, thread_id)

    @tool(response_format="content_and_artifact")
    @_guard
    async def execute_code(code: str, tool_call_id: Annotated[str, InjectedToolCallId]) -> ToolResult:
        """Run Python code in this conversation's persistent sandbox (like a Jupyter cell).

        Variables, imports and files persist between calls. The working directory is the workspace root:
        loaded datasets are at datasets/<dataset_id>.parquet. Save charts, maps and tables for the user under
        artifacts/ (e.g. plt.savefig("artifacts/chart.png")): each saved file becomes a downloadable artifact.
        Returns JSON with ok, stdout, stderr, error (name, value, traceback), artifacts and notes.
        Long output is cut: print summaries (head(), describe(), value_counts()), not whole tables.
        """
        from lgurban.db.session import session_scope
        from lgurban.execution import run_cell
        from lgurban.sandbox.types import StreamChunk

        if not code.strip():
            return _error("`code` is empty: pass the Python source to run.")

        async def on_output(chunk: StreamChunk) -> None:
            await send(
                "tool_output",
                {"tool_call_id": tool_call_id, "stream": chunk.stream, "text": chunk.text},
            )

        async with session_scope(resources.sessionmaker) as session:
            result = await run_cell(
                resources=resources,
                session=session,
                thread_id=thread_id,
                user_id=user_id,
                code=code,
                source="agent",
                run_id=run_id,
                tool_call_id=tool_call_id,
                on_output=on_output,
            )
        shown = result.model_dump(mode="json")  # run_cell returns an ExecutionOut; the tool's view is JSON
        for artifact in shown["artifacts"]:
            await send("artifact", {"tool_call_id": tool_call_id, "artifact": artifact})
        return execution_content(shown)

    @tool(response_format="content_and_artifact")
    @_guard
    async def list_catalog(query: str = "", limit: int = 10, offset: int = 0) -> ToolResult:
        """Search the Bologna open data catalog (and the server's own datasets) by keywords.

        `query`: keywords (Italian often works best, e.g. "incidenti stradali"); empty lists everything.
        `limit` (1-50) and `offset` page through results. Returns {total, items: [{id, title, description,
        source, records_count, is_geo, modified_at}]}. Use an item's `id` with the other dataset tools.
        """
        limit = max(1, min(int(limit), 50))
        found = _plain(await datasets().search(query, limit, max(0, int(offset))))
        if isinstance(found, dict) and isinstance(found.get("items"), list):
            for item in found["items"]:
                if isinstance(item, dict) and isinstance(item.get("description"), str):
                    item["description"] = cut(item["description"], 300)
            total = found.get("total", len(found["items"]))
            summary = f"{total} datasets found" if total != 1 else "1 dataset found"
        else:
            summary = "catalog searched"
        return as_text(found), {"ok": True, "summary": summary}

    async def _describe(dataset_id: str) -> dict[str, Any]:
        info = _plain(await datasets().get(dataset_id))
        return info if isinstance(info, dict) else {"dataset": info}

    @tool(response_format="content_and_artifact")
    @_guard
    async def get_dataset_description(dataset_id: str) -> ToolResult:
        """Describe one dataset: title, description, publisher, license, records count, modification date,
        whether it is geographic and its time coverage. `dataset_id` is an id from list_catalog."""
        info = await _describe(dataset_id)
        info.pop("fields", None)
        if isinstance(info.get("description"), str):
            info["description"] = cut(info["description"], 3_000)
        return as_text(info), {"ok": True, "summary": str(info.get("title") or dataset_id)[:200]}

    @tool(response_format="content_and_artifact")
    @_guard
    async def get_dataset_fields(dataset_id: str) -> ToolResult:
        """List a dataset's fields (columns): name, label, type and description, to know what to analyse."""
        info = await _describe(dataset_id)
        fields = info.get("fields") or []
        return as_text({"dataset_id": dataset_id, "fields": fields}), {
            "ok": True,
            "summary": f"{len(fields)} fields",
        }

    @tool(response_format="content_and_artifact")
    @_guard
    async def preview_dataset(dataset_id: str, limit: int = 10) -> ToolResult:
        """Show the first rows of a dataset without loading it (`limit` 1-50 rows).
        Returns {columns, rows}. Long cell values are cut."""
        limit = max(1, min(int(limit), MAX_PREVIEW_ROWS))
        preview = _plain(await datasets().preview(dataset_id, limit))
        if isinstance(preview, dict) and isinstance(preview.get("rows"), list):
            preview["rows"] = [
                [cut(v, 200) if isinstance(v, str) else v for v in row] if isinstance(row, list) else row
                for row in preview["rows"]
            ]
            summary = f"{len(preview['rows'])} rows"
        else:
            summary = "preview"
        return as_text(preview), {"ok": True, "summary": summary}

    @tool(response_format="content_and_artifact")
    @_guard
    async def is_geo_dataset(dataset_id: str) -> ToolResult:
        """Tell whether a dataset has geographic data (points or shapes) that can be mapped; with its geo
        fields and bounding box when known."""
        geo = _plain(await datasets().is_geo(dataset_id))
        flag = geo.get("is_geo", bool(geo)) if isinstance(geo, dict) else bool(geo)
        body = geo if isinstance(geo, dict) else {"dataset_id": dataset_id, "is_geo": bool(geo)}
        return as_text(body), {"ok": True, "summary": "geographic" if flag else "not geographic"}

    @tool(response_format="content_and_artifact")
    @_guard
    async def get_dataset_time_info(dataset_id: str) -> ToolResult:
        """The time coverage of a dataset: its date field and the first and last dates, or null when it
        has no date field. Use it to check that the data covers the period asked about."""
        info = _plain(await datasets().time_info(dataset_id))
        body = {"dataset_id": dataset_id, "time_coverage": info}
        return as_text(body), {"ok": True, "summary": "time coverage" if info else "no time field"}

    @tool(response_format="content_and_artifact")
    @_guard
    async def select_dataset(dataset_id: str) -> ToolResult:
        """Load a dataset into this conversation's workspace so execute_code can read it.

        Returns {path, rows, columns, bytes}; read it with pd.read_parquet(path) (geopandas.read_parquet for
        geographic data). Loading an already loaded dataset refreshes it."""
        from lgurban.db.session import session_scope

        async with session_scope(resources.sessionmaker) as session:
            loaded = _plain(
                await datasets().load_into_thread(
                    session=session, thread_id=thread_id, dataset_id=dataset_id, workspace=workspace()
                )
            )
        path = loaded.get("path") if isinstance(loaded, dict) else None
        return as_text(loaded), {"ok": True, "summary": f"loaded {path or dataset_id}"}

    @tool(response_format="content_and_artifact")
    @_guard
    async def list_datasets() -> ToolResult:
        """List the files in this conversation's workspace (loaded datasets are datasets/<id>.parquet) and
        the large datasets kept on this server that select_dataset can load ("available")."""
        items = _plain(await datasets().list_for_thread(workspace=workspace()))
        files = items.get("files", []) if isinstance(items, dict) else items
        loaded = [f for f in files if str(_plain(f).get("path", "")).startswith("datasets/")]
        return as_text(items), {"ok": True, "summary": f"{len(loaded)} datasets loaded"}

    @tool(response_format="content_and_artifact")
    @_guard
    async def export_dataset(path: str) -> ToolResult:
        """Publish a file of the workspace (e.g. "datasets/x.parquet" or "output/result.csv") and get a
        download link for the user. Returns {url, expires_at, key}. Give the user the url."""
        if resources.artifacts is None:
            return _error("exports are not available on this server")
        async with session_scope(resources.sessionmaker) as session:  # records the export's row
            exported = await resources.artifacts.export(
                thread_id=thread_id, workspace=workspace(), path=path, session=session
            )
        out = _plain(exported)
        return as_text(out), {"ok": True, "summary": f"exported {path}"}

    return [
        execute_code,
        list_catalog,
        get_dataset_description,
        get_dataset_fields,
        preview_dataset,
        is_geo_dataset,
        get_dataset_time_info,
        select_dataset,
        list_datasets,
        export_dataset,
    ]
