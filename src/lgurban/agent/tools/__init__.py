"""The analyst's tools, bound to one thread and one run; one module per family (code, catalog, workspace,
maps, geocoding, ortofoto, compare_ortofoto, city_model, plan).

HOW TO USE
    tools = make_tools(resources=resources, thread_id=thread.id, user_id=user_id, run_id=run_id, emit=emit)
    graph = build_graph(llm=llm, tools=tools, checkpointer=checkpointer)   # lgurban.agent.graph

A new family is one module with `def tools(ctx: ToolContext) -> list[BaseTool]` and one line in FAMILIES.

`emit(event)` is the run's live-event callback (lgurban.agent.events.Emit). It may be a plain function or
return an awaitable (it is awaited then). The tools call it with exactly these events:

    ToolOutputEvent(tool_call_id, stream, text)
        live output of execute_code while the cell runs (one call per chunk) → SSE `tool_output`
    ArtifactEvent(tool_call_id, artifact: ArtifactOut)
        a file the cell stored as an artifact (from run_cell) → SSE `artifact`

Every tool returns (content, artifact) (response_format="content_and_artifact"): `content` is the text the
model reads (bounded: long output is cut with a note saying how much; no bytes, no base64 — images are
replaced by a mention of the artifact), and `artifact` is a dict for the UI, never sent to the model:
    {"ok": bool, "summary": str, ...}   (execute_code adds "execution_id" and "artifact_ids")
Errors (bad arguments, dataset not found, sandbox down, export of a missing file) come back as content
starting with "Error" and artifact {"ok": False, ...}; they never raise out of the tool. Malformed arguments
from the model are turned into a validation-error ToolMessage by the graph's tool node.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from langchain_core.tools import BaseTool

from lgurban.agent.events import Emit
from lgurban.agent.services import Services
from lgurban.agent.tools import (
    catalog,
    city_model,
    code,
    compare_ortofoto,
    geocoding,
    maps,
    ortofoto,
    plan,
    workspace,
)
from lgurban.agent.tools.code import execution_content
from lgurban.agent.tools.context import ToolContext
from lgurban.agent.tools.results import (
    MAX_PREVIEW_ROWS,
    MAX_STREAM_CHARS,
    MAX_TOOL_CHARS,
    MAX_TRACEBACK_CHARS,
    ToolResult,
    as_text,
    cut,
)

__all__ = [
    "FAMILIES",
    "MAX_PREVIEW_ROWS",
    "MAX_STREAM_CHARS",
    "MAX_TOOL_CHARS",
    "MAX_TRACEBACK_CHARS",
    "ToolContext",
    "ToolResult",
    "as_text",
    "cut",
    "execution_content",
    "make_tools",
]

# the tool families in the order the model sees their tools
FAMILIES: tuple[Callable[[ToolContext], list[BaseTool]], ...] = (
    code.tools,
    catalog.tools,
    workspace.tools,
    maps.tools,
    geocoding.tools,
    ortofoto.tools,
    compare_ortofoto.tools,
    city_model.tools,
    plan.tools,
)


def make_tools(
    *,
    resources: Services,
    thread_id: uuid.UUID,
    user_id: uuid.UUID | None,
    run_id: uuid.UUID | None,
    emit: Emit | None = None,
) -> list[BaseTool]:
    """The analyst's tools for one thread and run (see the module docstring for the events they emit)."""
    ctx = ToolContext(resources=resources, thread_id=thread_id, user_id=user_id, run_id=run_id, emit=emit)
    return [t for family in FAMILIES for t in family(ctx)]
