"""Chat endpoints: history, sending a message (an SSE stream of the run), cancel, state, re-attach.

Re-attaching after a dropped connection (for the web app): `GET /api/threads/{id}/runs/active/events`
streams the thread's running run from its first event (or after `Last-Event-ID` / `?after=N`: every event
carries an `id:` line with its number); 204 when nothing runs. A run keeps going without any client.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from lgurban.agent.history import list_messages
from lgurban.agent.runs import RunEvent, RunManager
from lgurban.api.deps import CurrentUser, OwnedThread, ResourcesDep, SessionDep
from lgurban.resources import Resources

router = APIRouter(tags=["chat"])

MAX_MESSAGE_CHARS = 100_000
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)
    client_message_id: str | None = Field(default=None, min_length=1, max_length=100)

    @field_validator("content")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the message is empty")
        if len(value.encode()) > MAX_MESSAGE_CHARS:
            raise ValueError(f"the message is larger than {MAX_MESSAGE_CHARS:,} bytes")
        return value


class MessageOut(BaseModel):
    id: uuid.UUID
    role: str
    content: str
    tool_calls: list[dict[str, Any]] | None = None
    tool_call_id: str | None = None
    tool_name: str | None = None
    meta: dict[str, Any] | None = None
    run_id: uuid.UUID | None = None
    artifacts: list[dict[str, Any]]
    created_at: str


class MessageList(BaseModel):
    items: list[MessageOut]


class ContextOut(BaseModel):
    tokens_used: int
    context_window: int


class StateOut(BaseModel):
    context: ContextOut
    running: bool
    run_id: uuid.UUID | None


class CancelOut(BaseModel):
    run_id: uuid.UUID | None


def _agent(resources: Resources) -> RunManager:
    return resources.agent


async def _sse(events: AsyncIterator[RunEvent | None]) -> AsyncIterator[str]:
    async for item in events:
        yield ": keepalive\n\n" if item is None else item.sse()


def _stream(events: AsyncIterator[RunEvent | None]) -> StreamingResponse:
    return StreamingResponse(_sse(events), media_type="text/event-stream", headers=SSE_HEADERS)


@router.get("/api/threads/{thread_id}/messages", response_model=MessageList)
async def get_messages(
    thread_id: uuid.UUID, _thread: OwnedThread, session: SessionDep, resources: ResourcesDep
) -> dict[str, Any]:
    """The thread's history, oldest first, with tool calls, outputs and artifacts."""
    items = await list_messages(resources=resources, session=session, thread_id=thread_id)
    return {"items": items}


@router.post(
    "/api/threads/{thread_id}/messages",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "the run's events"}},
)
async def post_message(
    thread_id: uuid.UUID,
    body: MessageIn,
    user: CurrentUser,
    _thread: OwnedThread,
    session: SessionDep,
    resources: ResourcesDep,
) -> StreamingResponse:
    """Send a message: the answer is the run's event stream. The run goes on if the client leaves."""
    agent = _agent(resources)
    await session.commit()
    started = await agent.start(
        thread_id=thread_id, user_id=user.id, content=body.content, client_message_id=body.client_message_id
    )
    if started.active is not None:
        return _stream(agent.events(started.active))
    return _stream(agent.replay(thread_id=thread_id, run_id=started.run_id))


@router.get(
    "/api/threads/{thread_id}/runs/active/events",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "the running run's events"},
        204: {"description": "no run is active on this thread"},
    },
)
async def attach(
    thread_id: uuid.UUID,
    thread: OwnedThread,
    resources: ResourcesDep,
    after: Annotated[int | None, Query(ge=0)] = None,
    last_event_id: Annotated[str | None, Header()] = None,
) -> Response:
    """Re-attach to the running run's stream (after a reconnect), from the start or after an event id."""
    agent = _agent(resources)
    if after is None:
        after = int(last_event_id) if last_event_id and last_event_id.isdigit() else 0
    active = agent.active_run(thread_id)
    if active is not None:
        return _stream(agent.events(active, after))
    state = await agent.state(thread=thread)
    if state["running"]:  # running on another replica: follow it through the database
        return _stream(agent.replay(thread_id=thread_id, run_id=uuid.UUID(state["run_id"])))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/api/threads/{thread_id}/runs/cancel", status_code=status.HTTP_202_ACCEPTED, response_model=CancelOut
)
async def cancel_run(thread_id: uuid.UUID, _thread: OwnedThread, resources: ResourcesDep) -> CancelOut:
    """Stop the thread's run; running code is interrupted and what was produced is kept."""
    agent = _agent(resources)
    return CancelOut(run_id=await agent.cancel(thread_id=thread_id))


@router.get("/api/threads/{thread_id}/state", response_model=StateOut)
async def thread_state(thread: OwnedThread, resources: ResourcesDep) -> dict[str, Any]:
    """Context usage and whether a run is going."""
    agent = _agent(resources)
    return await agent.state(thread=thread)
