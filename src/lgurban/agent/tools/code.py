"""The code tool: execute_code runs a cell in the thread's sandbox; the model reads a bounded view of it."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Annotated, Any

from langchain_core.tools import BaseTool, InjectedToolCallId, tool

from lgurban.agent.events import ArtifactEvent, ToolOutputEvent
from lgurban.agent.tools.context import ToolContext
from lgurban.agent.tools.results import (
    MAX_STREAM_CHARS,
    MAX_TOOL_CHARS,
    MAX_TRACEBACK_CHARS,
    ToolResult,
    cut,
    error,
    guard,
)
from lgurban.artifacts.models import ArtifactOut
from lgurban.execution.models import ExecutionOut

if TYPE_CHECKING:
    from lgurban.sandbox.types import StreamChunk


def tools(ctx: ToolContext) -> list[BaseTool]:
    """The code family's tools."""
    return [execute_code(ctx)]


def execute_code(ctx: ToolContext) -> BaseTool:
    """The execute_code tool bound to `ctx`: live output and stored artifacts go to `ctx.send`."""

    @tool("execute_code", response_format="content_and_artifact")
    @guard
    async def run(code: str, tool_call_id: Annotated[str, InjectedToolCallId]) -> ToolResult:
        """Run Python code in this conversation's persistent sandbox (like a Jupyter cell).

        Variables, imports and files persist between calls. The working directory is the workspace root:
        loaded datasets are at datasets/<dataset_id>.parquet. Save charts, maps and tables for the user under
        artifacts/ (e.g. plt.savefig("artifacts/chart.png")): each saved file becomes a downloadable artifact.
        Returns JSON with ok, stdout, stderr, error (name, value, traceback), artifacts and notes.
        Long output is cut: print summaries (head(), describe(), value_counts()), not whole tables.
        """

        if not code.strip():
            return error("`code` is empty: pass the Python source to run.")

        async def on_output(chunk: StreamChunk) -> None:
            await ctx.send(ToolOutputEvent(tool_call_id=tool_call_id, stream=chunk.stream, text=chunk.text))

        result = await run_agent_cell(ctx, code, tool_call_id, on_output=on_output)
        return execution_content(result)

    return run


async def run_agent_cell(
    ctx: ToolContext,
    code: str,
    tool_call_id: str,
    on_output: Callable[[StreamChunk], Awaitable[None]] | None = None,
) -> ExecutionOut:
    """Run `code` as this tool call's cell in the thread's sandbox; each file it made goes to the client.

    run_cell opens its own short session after the cell: none is held while the code runs.
    """
    from lgurban.execution import run_cell

    result = as_execution(
        await run_cell(
            sandboxes=ctx.resources.sandboxes,
            artifacts=ctx.resources.artifacts,
            sessionmaker=ctx.resources.sessionmaker,
            thread_id=ctx.thread_id,
            user_id=ctx.user_id,
            code=code,
            source="agent",
            run_id=ctx.run_id,
            tool_call_id=tool_call_id,
            on_output=on_output,
            record_retry_s=ctx.resources.settings.execution_record_retry_s,
            sandbox_caps=ctx.resources.sandbox_caps,
        )
    )
    for artifact in result.artifacts:
        await ctx.send(ArtifactEvent(tool_call_id=tool_call_id, artifact=artifact))
    return result


def as_execution(result: ExecutionOut | Mapping[str, Any]) -> ExecutionOut:
    """run_cell's result as the typed record (it may still hand over the API dict)."""
    return result if isinstance(result, ExecutionOut) else ExecutionOut.model_validate(result)


def execution_content(result: ExecutionOut | Mapping[str, Any]) -> ToolResult:
    """The model's view of a run_cell result (bounded, no bytes) and the UI's extra."""
    result = as_execution(result)
    view = _view(result)
    content = json.dumps(view, ensure_ascii=False)
    if len(content) > MAX_TOOL_CHARS:  # everything long at once: keep it valid JSON, shorten each part
        content = json.dumps(_shrink(view, len(result.artifacts)), ensure_ascii=False)
    extra = {
        "ok": result.ok,
        "summary": view["summary"],
        "execution_id": str(result.id),
        "artifact_ids": [str(a.id) for a in result.artifacts],
    }
    return content, extra


def _view(result: ExecutionOut) -> dict[str, Any]:
    """Each part of the execution cut to its own budget; images only mentioned."""
    artifacts, err = result.artifacts, result.error
    view: dict[str, Any] = {"ok": result.ok}
    if result.stdout:
        view["stdout"] = cut(result.stdout, MAX_STREAM_CHARS)
    if result.stderr:
        view["stderr"] = cut(result.stderr, MAX_STREAM_CHARS // 2)
    outputs = [m for o in result.outputs if (m := _output_mention(o.mime, o.data, artifacts))]
    if outputs:
        view["outputs"] = outputs
    if err:
        view["error"] = {
            "name": err.name,
            "value": cut(err.value, 1_000),
            "traceback": cut(err.traceback, MAX_TRACEBACK_CHARS),
        }
    if artifacts:
        view["artifacts"] = [
            {"id": str(a.id), "filename": a.filename, "mime": a.mime, "size": a.size} for a in artifacts
        ]
    if result.notes:
        view["notes"] = [cut(n, 500) for n in result.notes]
    if err:
        view["summary"] = f"{err.name}: {err.value[:150]}"
    elif artifacts:
        view["summary"] = "created " + ", ".join(a.filename for a in artifacts)
    else:
        view["summary"] = "ok"
    return view


def _shrink(view: dict[str, Any], artifact_count: int) -> dict[str, Any]:
    """The view with every part shortened further, still valid JSON."""
    if view.get("outputs"):
        view["outputs"] = [cut(o, 200) for o in view["outputs"][:5]]
    for key, share in (("stdout", 4), ("stderr", 8)):
        if key in view:
            view[key] = cut(view[key], MAX_TOOL_CHARS // share)
    if view.get("error"):
        view["error"]["traceback"] = cut(view["error"]["traceback"], MAX_TOOL_CHARS // 8)
        view["error"]["value"] = cut(view["error"]["value"], 500)
    if len(view.get("artifacts", [])) > 10:
        view["artifacts"] = [*view["artifacts"][:10], f"... and {artifact_count - 10} more artifacts"]
    return view


def _output_mention(mime: str, data: str, artifacts: list[ArtifactOut]) -> str | None:
    if mime.startswith("image/"):
        names = [a.filename for a in artifacts if a.mime.startswith("image/")]
        where = f" (stored as artifact {', '.join(names)})" if names else ""
        return f"[{mime} image shown to the user{where}; not readable here]"
    if mime == "text/plain":
        return cut(data, 2_000)
    if mime in ("text/html", "application/json", "text/markdown"):
        return f"[{mime} output of {len(data)} characters shown to the user]"
    return f"[{mime} output shown to the user]"
