"""A run's ChatEvents (lgurban.agent.events, from the run manager's bus) as LangGraph API SSE events.

`metadata` first ({run_id, attempt}), then, by the stream modes asked for:
- `values`: the whole conversation after each stored message (the input message first);
- `updates`: `{"agent": {"messages": [ai]}}` / `{"tools": {"messages": [tool]}}` per stored message;
- `messages-tuple`: SSE event `messages`, data `[message chunk, metadata]`: each token as an
  `AIMessageChunk`, the tool calls as the last chunk of their answer, each tool result as a `tool` message;
- `custom`: LG-Urban's own live events (tool_start, tool_output, tool_end, artifact, context) as they are.
LangGraph's other modes are accepted and send nothing. A failed run sends `error` {error, message};
every stream ends with `end` {run_id, status}.
Every frame has `id:` (the bus event's seq), so a client may re-join after it (Last-Event-ID).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

from lgurban.agent.events import (
    ChatEvent,
    DoneEvent,
    ErrorEvent,
    MessageEvent,
    TokenEvent,
)
from lgurban.agent.run.bus import BusEvent
from lgurban.api.langgraph.convert import (
    AGENT_NODE,
    ASSISTANT_ID,
    GRAPH_ID,
    TOOLS_NODE,
    Conversation,
    lc_message,
    run_status,
    tool_call_chunks,
)

CUSTOM_TYPES = frozenset({"tool_start", "tool_output", "tool_end", "artifact", "context"})
Frame = tuple[str, Any]


def sse(event: str, data: Any, ident: int | None = None) -> str:
    head = f"id: {ident}\n" if ident is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


class StreamMapper:
    """One run's events → LangGraph SSE events, keeping the conversation for `values`."""

    def __init__(
        self, *, thread_id: uuid.UUID, run_id: uuid.UUID, modes: list[str], before: Conversation
    ) -> None:
        self.thread_id, self.run_id = thread_id, run_id
        self.modes = set(modes)
        self.convo = before
        self.step = 0
        self.chunk_id: str | None = None  # the id of the answer being streamed (its tokens' message id)
        self.error: ErrorEvent | None = None

    def frames(self, event: ChatEvent) -> list[Frame]:
        if isinstance(event, TokenEvent):
            return self._token(event.text)
        if isinstance(event, MessageEvent):
            return self._message(event)
        if isinstance(event, ErrorEvent):
            self.error = event
            return []
        if isinstance(event, DoneEvent):
            return self._done(event)
        if "custom" in self.modes and event.type in CUSTOM_TYPES:
            return [("custom", event.model_dump(mode="json"))]
        return []

    def _meta(self, node: str) -> dict[str, Any]:
        return {
            "run_id": str(self.run_id),
            "thread_id": str(self.thread_id),
            "assistant_id": ASSISTANT_ID,
            "graph_id": GRAPH_ID,
            "langgraph_node": node,
            "langgraph_step": self.step,
        }

    def _token(self, text: str) -> list[Frame]:
        if self.chunk_id is None:
            self.step += 1
            self.chunk_id = f"run-{self.run_id}-{self.step}"
        if "messages-tuple" not in self.modes:
            return []
        return [("messages", [_chunk(self.chunk_id, text), self._meta(AGENT_NODE)])]

    def _message(self, event: MessageEvent) -> list[Frame]:
        message = event.message
        if not self.convo.add(message):
            return []  # seen already (a replay after the live stream)
        out: list[Frame] = []
        as_dict = lc_message(message)
        partial = bool((message.meta or {}).get("partial"))
        if message.role == "assistant" and not partial:
            if self.chunk_id is None:
                self.step += 1
            if "messages-tuple" in self.modes:
                out.append(("messages", [self._answer(message, as_dict), self._meta(AGENT_NODE)]))
            if "updates" in self.modes:
                out.append(("updates", {AGENT_NODE: {"messages": [as_dict]}}))
            self.chunk_id = None
        elif message.role == "tool":
            if "messages-tuple" in self.modes:
                out.append(("messages", [as_dict, self._meta(TOOLS_NODE)]))
            if "updates" in self.modes:
                out.append(("updates", {TOOLS_NODE: {"messages": [as_dict]}}))
        if "values" in self.modes:
            out.append(("values", self.convo.values()))
        return out

    def _answer(self, message: Any, as_dict: dict[str, Any]) -> dict[str, Any]:
        """The end of a streamed answer (its tool calls, no text again), or the whole answer if it was not."""
        if self.chunk_id is None:
            return as_dict
        last = _chunk(self.chunk_id, "")
        last.update(tool_calls=as_dict["tool_calls"], tool_call_chunks=tool_call_chunks(message))
        last["response_metadata"] = {"finish_reason": "tool_calls" if message.tool_calls else "stop"}
        last["usage_metadata"] = as_dict["usage_metadata"]
        return last

    def _done(self, event: DoneEvent) -> list[Frame]:
        out: list[Frame] = []
        if event.status == "error":
            error = self.error or ErrorEvent(code="INTERNAL_ERROR", message="the run failed")
            out.append(("error", {"error": error.code, "message": error.message}))
        out.append(("end", {"run_id": str(event.run_id), "status": run_status(event.status)}))
        return out


def _chunk(ident: str, text: str) -> dict[str, Any]:
    return {
        "content": text,
        "additional_kwargs": {},
        "response_metadata": {},
        "type": "AIMessageChunk",
        "name": None,
        "id": ident,
        "example": False,
        "tool_calls": [],
        "invalid_tool_calls": [],
        "tool_call_chunks": [],
        "usage_metadata": None,
    }


async def lg_sse(
    events: AsyncIterator[BusEvent | None], mapper: StreamMapper, *, after: int = 0
) -> AsyncIterator[str]:
    """The SSE body: `metadata`, the mapped events (those after `after` sent), keepalive comments."""
    if after == 0:
        yield sse("metadata", {"run_id": str(mapper.run_id), "attempt": 1})
    async for item in events:
        if item is None:
            yield ": keepalive\n\n"
            continue
        frames = mapper.frames(item.event)  # folded even when not sent: `values` needs what came before
        # the end always goes out: a run replayed from the database is numbered anew, it may not reach `after`
        if item.seq > after or isinstance(item.event, DoneEvent):
            for name, data in frames:
                yield sse(name, data, item.seq)


async def final_values(events: AsyncIterator[BusEvent | None], mapper: StreamMapper) -> dict[str, Any]:
    """Follow the run to its end: the final conversation, or LangGraph's `__error__` when it failed."""
    async for item in events:
        if item is not None:
            mapper.frames(item.event)
            if isinstance(item.event, DoneEvent) and item.event.status == "error":
                error = mapper.error or ErrorEvent(code="INTERNAL_ERROR", message="the run failed")
                return {"__error__": {"error": error.code, "message": error.message}}
    return mapper.convo.values()
