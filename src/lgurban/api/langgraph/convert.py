"""LG-Urban's own records in LangGraph's shapes: stored messages as LangChain message dicts, run and thread
statuses, a thread's metadata, and the graph input a run is given.

The `messages` table is the source: the web app and the LangGraph endpoints show the same conversation,
with the same message ids. An exchange replaced by an edit or a regenerate (issue 19) is not in the values,
as the model does not see it.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from lgurban.agent.events import MessageOut
from lgurban.api.chat import MessageIn
from lgurban.db.models import Thread
from lgurban.errors import BadRequest, NotSupported

ASSISTANT_ID = "analyst"
GRAPH_ID = "analyst"
AGENT_NODE, TOOLS_NODE = "agent", "tools"  # the analyst graph's nodes (lgurban.agent.graph)

RUN_STATUS = {"running": "running", "cancelling": "running", "done": "success", "error": "error"}
RUN_STATUS |= {"cancelled": "interrupted"}  # LangGraph's name for a run stopped on request
RUN_STATUS |= {"waiting": "interrupted"}  # a report draft waiting for the user's approval (issue 15)


def run_status(status: str) -> str:
    return RUN_STATUS.get(status, "error")


def stamp(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def thread_metadata(thread: Any) -> dict[str, Any]:
    """What a LangGraph client filters on (agent-chat-ui: graph_id or assistant_id), and the title."""
    return {"graph_id": GRAPH_ID, "assistant_id": ASSISTANT_ID, "title": thread.title}


def metadata_matches(wanted: dict[str, Any] | None, metadata: dict[str, Any]) -> bool:
    return all(metadata.get(key) == value for key, value in (wanted or {}).items())


def lc_message(message: MessageOut) -> dict[str, Any]:
    """A stored message as LangChain serialises it (what LangGraph's API returns in `values`)."""
    base: dict[str, Any] = {
        "content": message.content,
        "additional_kwargs": {},
        "response_metadata": {},
        "name": None,
        "id": str(message.id),
        "example": False,
    }
    if message.role == "user":
        return {**base, "type": "human"}
    if message.role == "tool":
        meta = message.meta or {}
        artifacts = [a.model_dump(mode="json") for a in message.artifacts]
        return {
            **base,
            "type": "tool",
            "name": message.tool_name,
            "tool_call_id": message.tool_call_id or "",
            "status": "success" if meta.get("ok", True) else "error",
            "artifact": {"artifacts": artifacts} if artifacts else None,
        }
    calls = message.tool_calls or []
    usage = (message.meta or {}).get("usage")
    return {
        **base,
        "type": "ai",
        "tool_calls": [
            {"name": c.get("name"), "args": c.get("args") or {}, "id": c.get("id"), "type": "tool_call"}
            for c in calls
            if "invalid_args" not in c
        ],
        "invalid_tool_calls": [
            {"name": c.get("name"), "args": c.get("invalid_args"), "id": c.get("id"), "error": None}
            for c in calls
            if "invalid_args" in c
        ],
        "usage_metadata": usage if isinstance(usage, dict) else None,
    }


def tool_call_chunks(message: MessageOut) -> list[dict[str, Any]]:
    """The tool calls of a streamed answer, as the last chunk of its message carries them."""
    return [
        {
            "name": c.get("name"),
            "args": json.dumps(c.get("args") or {}),
            "id": c.get("id"),
            "index": i,
            "type": "tool_call_chunk",
        }
        for i, c in enumerate(message.tool_calls or [])
        if "invalid_args" not in c
    ]


class Conversation:
    """The messages the model sees, folded in order: a resend drops the exchange it replaces."""

    def __init__(self, messages: list[MessageOut] | None = None) -> None:
        self.messages: list[MessageOut] = []
        for message in messages or []:
            self.add(message)

    def add(self, message: MessageOut) -> bool:
        """Fold one message in; False when it was already there."""
        if any(m.id == message.id for m in self.messages):
            return False
        replaces = (message.meta or {}).get("replaces") if message.role == "user" else None
        if replaces:
            at = next((i for i, m in enumerate(self.messages) if str(m.id) == replaces), None)
            if at is not None:
                del self.messages[at:]
        self.messages.append(message)
        return True

    def values(self) -> dict[str, Any]:
        return {"messages": [lc_message(m) for m in self.messages]}


def question_of(given: dict[str, Any] | None) -> str:
    """The user's question in a run's `input` ({"messages": [{"role": "user", "content": ...}]})."""
    messages = (given or {}).get("messages")
    if isinstance(messages, dict):
        messages = [messages]
    if not isinstance(messages, list) or not messages:
        raise BadRequest('input must be {"messages": [{"role": "user", "content": "..."}]}')
    if len(messages) > 1:
        raise NotSupported("a run takes one new user message (the thread keeps the earlier ones)")
    message = messages[0]
    if not isinstance(message, dict):
        raise BadRequest("input.messages[0] must be an object with role and content")
    role = message.get("role") or message.get("type")
    if role not in ("user", "human"):
        raise NotSupported("the input message must be a user (human) message")
    content = message.get("content")
    if isinstance(content, list):
        parts = [p for p in content if isinstance(p, dict) and p.get("type", "text") == "text"]
        if len(parts) != len(content):
            raise NotSupported("only text content is supported in a run's input")
        content = "".join(str(p.get("text", "")) for p in parts)
    if not isinstance(content, str):
        raise BadRequest("input.messages[0].content must be text")
    try:
        return MessageIn(content=content).content
    except ValidationError as exc:
        raise BadRequest(f"input.messages[0].content: {exc.errors()[0]['msg']}") from None


def checkpoint(thread_id: uuid.UUID, checkpoint_id: uuid.UUID | None) -> dict[str, Any]:
    ident = str(checkpoint_id) if checkpoint_id is not None else None
    return {"thread_id": str(thread_id), "checkpoint_ns": "", "checkpoint_id": ident, "checkpoint_map": None}


def thread_base(thread: Thread | Any, status: str) -> dict[str, Any]:
    return {
        "thread_id": str(thread.id),
        "created_at": stamp(thread.created_at),
        "updated_at": stamp(thread.updated_at),
        "metadata": thread_metadata(thread),
        "status": status,
        "interrupts": {},
    }
