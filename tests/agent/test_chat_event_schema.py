"""/openapi.json publishes the chat stream's events (components.schemas.ChatEvent) for the web app's types."""

from __future__ import annotations

import json
import typing
import uuid
from typing import Any

import httpx

from lgurban.agent import events
from lgurban.agent.run.bus import BusEvent
from lgurban.api.chat import sse_frame
from lgurban.app import create_app


def _event_types() -> set[str]:
    union = typing.get_args(events.ChatEvent)[0]
    return {member.model_fields["type"].default for member in typing.get_args(union)}


async def test_openapi_has_chat_event_with_every_event_type(settings_factory: Any) -> None:
    app = create_app(settings_factory())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        doc = (await http.get("/openapi.json")).json()
    chat_event = doc["components"]["schemas"]["ChatEvent"]
    mapping = chat_event["discriminator"]["mapping"]
    assert chat_event["discriminator"]["propertyName"] == "type"
    assert set(mapping) == _event_types() == {
        "run_started", "token", "tool_start", "tool_output", "tool_end", "plan",
        "artifact", "context", "message", "answer_check", "review", "approval_required", "error", "done",
    }  # fmt: skip
    for ref in mapping.values():
        member = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert {"type", "agent"} <= set(member["properties"])
    stream = doc["paths"]["/api/threads/{thread_id}/messages"]["post"]["responses"]["200"]["content"]
    assert stream == {"text/event-stream": {"schema": {"$ref": "#/components/schemas/ChatEvent"}}}
    attach = doc["paths"]["/api/threads/{thread_id}/runs/active/events"]["get"]["responses"]["200"]
    assert attach["content"] == stream


def test_an_sse_frame_carries_the_whole_event() -> None:
    run_id = uuid.uuid4()
    frame = sse_frame(BusEvent(7, events.DoneEvent(run_id=run_id, status="cancelled")))
    head, data = frame.removesuffix("\n\n").rsplit("\n", 1)
    assert head == "id: 7\nevent: done"
    parsed = json.loads(data.removeprefix("data: "))
    assert parsed == {"type": "done", "agent": "analyst", "run_id": str(run_id), "status": "cancelled"}
