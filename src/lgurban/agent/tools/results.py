"""What every tool returns: (content the model reads, extra for the UI), bounded; errors turned into data."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict, is_dataclass
from functools import wraps
from typing import Any

from lgurban.errors import AppError

# (content, artifact): `content` goes to the model, `artifact` ({"ok", "summary", ...}) only to the UI
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


def plain(value: Any) -> Any:
    """A service result as JSON-ready data: pydantic models and dataclasses become dicts."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return value


def as_text(value: Any, limit: int = MAX_TOOL_CHARS) -> str:
    """A JSON rendering of a service result, bounded."""
    text = json.dumps(
        plain(value), ensure_ascii=False, default=lambda v: plain(v) if v is not plain(v) else str(v)
    )
    if len(text) <= limit:
        return text
    return cut(text, limit) + f"\n(result cut: {len(text)} characters in all)"


def error(message: str, **extra: Any) -> ToolResult:
    """A failed call as data: content starting with "Error", artifact {"ok": False, ...}."""
    return f"Error: {message}", {"ok": False, "summary": message[:200], **extra}


def guard(fn: Callable[..., Awaitable[ToolResult]]) -> Callable[..., Awaitable[ToolResult]]:
    """Domain errors become data the model reads and can act on."""

    @wraps(fn)
    async def wrapper(*args: Any, **kwargs: Any) -> ToolResult:
        try:
            return await fn(*args, **kwargs)
        except AppError as exc:
            return error(f"{exc.code}: {exc.message}")
        except (ValueError, KeyError, TypeError) as exc:
            return error(f"{type(exc).__name__}: {exc}")

    return wrapper
