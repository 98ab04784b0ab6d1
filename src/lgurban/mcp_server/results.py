"""Tool results as MCP content: JSON text for records, images as image content, artifacts as resource links,
and errors as tool errors (isError) carrying the API's machine-readable code and its human message."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import mcp_types as types
from pydantic import BaseModel

from lgurban.agent.tools import cut, execution_content
from lgurban.artifacts.models import ArtifactOut
from lgurban.errors import AppError
from lgurban.execution import ExecutionOut

IMAGE_MIMES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
MAX_IMAGES = 10
MAX_TEXT_OUTPUT_CHARS = 20_000

# an artifact's signed link as an absolute URL (None: this server has no public address to put in one)
AbsoluteUrl = Callable[[str], str | None]


def artifact_uri(artifact_id: uuid.UUID) -> str:
    return f"lgurban://artifacts/{artifact_id}"


def file_uri(thread_id: uuid.UUID, path: str) -> str:
    return f"lgurban://threads/{thread_id}/files/{path}"


def as_json(value: Any) -> str:
    body = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
    return json.dumps(body, ensure_ascii=False, default=str)


def ok(value: Any, *, thread_id: uuid.UUID | None = None) -> types.CallToolResult:
    """A record as one JSON text block (with the thread it concerns, when it concerns one)."""
    body = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
    if thread_id is not None and isinstance(body, dict):
        body = {"thread_id": str(thread_id), **body}
    return types.CallToolResult(content=[types.TextContent(text=as_json(body))], structured_content=body)


def tool_error(code: str, message: str, **details: Any) -> types.CallToolResult:
    """A tool error the model reads: {"error": {"code", "message", ...}}, as the API's error bodies."""
    body = {"error": {"code": code, "message": message, **details}}
    return types.CallToolResult(
        content=[types.TextContent(text=as_json(body))], structured_content=body, is_error=True
    )


def from_app_error(exc: AppError) -> types.CallToolResult:
    safe = {k: v for k, v in exc.details.items() if isinstance(v, str | int | float | bool)}
    return tool_error(exc.code, exc.message, **safe)


def artifact_link(artifact: ArtifactOut, absolute: AbsoluteUrl) -> types.ResourceLink:
    """The artifact as a resource link: its signed download URL when the server has an address, else the
    lgurban:// resource (resources/read gives the bytes)."""
    return types.ResourceLink(
        name=artifact.filename,
        title=artifact.filename,
        uri=absolute(artifact.url) or artifact_uri(artifact.id),
        mime_type=artifact.mime,
        size=artifact.size,
        description=f"artifact {artifact.id}, sha256 {artifact.sha256[:12]}…; a signed link that expires",
    )


def execution_result(
    result: ExecutionOut, *, thread_id: uuid.UUID, absolute: AbsoluteUrl
) -> types.CallToolResult:
    """A cell's result: the bounded JSON view the agent reads, its text and images, a link per artifact.
    A cell that raised (or was interrupted) is a tool error: the error is in the view."""
    view, _extra = execution_content(result)
    summary = {"thread_id": str(thread_id), "execution_id": str(result.id), **json.loads(view)}
    content: list[types.ContentBlock] = [types.TextContent(text=as_json(summary))]
    images = 0
    for output in result.outputs:
        if output.mime in IMAGE_MIMES and images < MAX_IMAGES:
            content.append(types.ImageContent(data=output.data, mime_type=output.mime))
            images += 1
        elif output.mime == "text/plain" and output.is_result:
            content.append(types.TextContent(text=cut(output.data, MAX_TEXT_OUTPUT_CHARS)))
    content.extend(artifact_link(a, absolute) for a in result.artifacts)
    artifacts = [
        {**a.model_dump(mode="json"), "url": absolute(a.url) or artifact_uri(a.id)} for a in result.artifacts
    ]
    return types.CallToolResult(
        content=content,
        structured_content={**summary, "artifacts": artifacts},
        is_error=not result.ok,
    )
