"""Chat endpoints: history, sending a message (an SSE stream of the run), cancel, state, re-attach.

Re-attaching after a dropped connection (for the web app): `GET /api/threads/{id}/runs/active/events`
streams the thread's running run from its first event (or after `Last-Event-ID` / `?after=N`: every event
carries an `id:` line with its number); 204 when nothing runs. A run keeps going without any client.
A frame is `id: <seq>`, `event: <type>`, `data: <the event as JSON, type and agent included>`; the events are
the `ChatEvent` union of lgurban.agent.events, published in /openapi.json as components.schemas.ChatEvent.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Header, Query, Response, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, RootModel, field_validator, model_validator

from lgurban.agent.events import ChatEvent as AnyChatEvent
from lgurban.agent.events import MessageOut
from lgurban.agent.history import list_messages
from lgurban.agent.report import pending_draft
from lgurban.agent.runs import BusEvent, Resend
from lgurban.api.deps import CurrentUser, OwnedThread, ResourcesDep, SessionDep
from lgurban.api.responses import COMMON, errors, json_response
from lgurban.api.schemas import STRICT_BODY, UserText

router = APIRouter(tags=["chat"], responses=errors(*COMMON, 409))

MAX_MESSAGE_CHARS = 100_000
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


class MessageIn(BaseModel):
    model_config = STRICT_BODY

    content: UserText = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)
    client_message_id: UserText | None = Field(default=None, min_length=1, max_length=100)

    @field_validator("content")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the message is empty")
        if len(value.encode()) > MAX_MESSAGE_CHARS:
            raise ValueError(f"the message is larger than {MAX_MESSAGE_CHARS:,} bytes")
        return value


class ChatEvent(RootModel[AnyChatEvent]):
    """One event of a run's stream (the `data:` of an SSE frame; `event:` repeats its `type`)."""


class EventStream(StreamingResponse):
    """An SSE response (its media type puts the ChatEvent schema under text/event-stream in /openapi.json)."""

    media_type = "text/event-stream"


class MessageList(BaseModel):
    items: list[MessageOut]


class ContextOut(BaseModel):
    tokens_used: int
    context_window: int


class ApprovalOut(BaseModel):
    """A report draft waiting for the user's approval (issue 15)."""

    draft: str


class StateOut(BaseModel):
    context: ContextOut
    running: bool
    run_id: uuid.UUID | None
    approval: ApprovalOut | None = None  # a report draft waiting: resume with POST .../runs/resume


class ResumeIn(BaseModel):
    """The user's answer to a report draft: approve it, replace it with `text` (then asked again), or reject
    it."""

    model_config = STRICT_BODY

    decision: Literal["approve", "edit", "reject"]
    text: UserText | None = Field(default=None, max_length=MAX_MESSAGE_CHARS)

    @model_validator(mode="after")
    def _edit_has_text(self) -> ResumeIn:
        if self.decision == "edit" and not (self.text or "").strip():
            raise ValueError("an edit needs `text`: the report's new Markdown")
        return self


class CancelOut(BaseModel):
    run_id: uuid.UUID | None


def install_event_schema(app: FastAPI) -> None:
    """Make /openapi.json say that each SSE frame carries a ChatEvent (components.schemas.ChatEvent)."""
    base = app.openapi

    def openapi() -> dict[str, Any]:
        schema = base()  # FastAPI's document, cached on the app: fix it in place once
        for operation in (op for item in schema.get("paths", {}).values() for op in item.values()):
            for status_code, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if not status_code.startswith("2") and "text/event-stream" in content:
                    content["application/json"] = content.pop("text/event-stream")  # errors are JSON
                    content["application/json"].get("schema", {}).pop("type", None)
                    continue
                stream = content.get("text/event-stream", {}).get("schema", {})
                if "$ref" in stream:
                    stream.pop("type", None)  # FastAPI's default for a non-JSON body; the $ref says it all
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def sse_frame(item: BusEvent) -> str:
    """One SSE frame: `id:` its seq, `event:` its type, `data:` the whole event (type and agent included)."""
    return f"id: {item.seq}\nevent: {item.event.type}\ndata: {item.event.model_dump_json()}\n\n"


async def _sse(events: AsyncIterator[BusEvent | None]) -> AsyncIterator[str]:
    async for item in events:
        yield ": keepalive\n\n" if item is None else sse_frame(item)


def _stream(events: AsyncIterator[BusEvent | None]) -> EventStream:
    return EventStream(_sse(events), headers=SSE_HEADERS)


@router.get("/api/threads/{thread_id}/messages", response_model=MessageList)
async def get_messages(
    thread_id: uuid.UUID, _thread: OwnedThread, session: SessionDep, resources: ResourcesDep
) -> MessageList:
    """The thread's history, oldest first, with tool calls, outputs and artifacts."""
    items = await list_messages(resources=resources, session=session, thread_id=thread_id)
    return MessageList(items=items)


@router.post(
    "/api/threads/{thread_id}/messages",
    response_class=EventStream,
    responses={200: {"model": ChatEvent, "description": "the run's events, one ChatEvent per SSE frame"}},
)
async def post_message(
    thread_id: uuid.UUID,
    body: MessageIn,
    user: CurrentUser,
    _thread: OwnedThread,
    session: SessionDep,
    resources: ResourcesDep,
) -> EventStream:
    """Send a message: the answer is the run's event stream. The run goes on if the client leaves."""
    agent = resources.agent
    await session.commit()
    started = await agent.start(
        thread_id=thread_id, user_id=user.id, content=body.content, client_message_id=body.client_message_id
    )
    if started.active is not None:
        return _stream(agent.events(started.active))
    return _stream(agent.follow(thread_id=thread_id, run_id=started.run_id))


class EditIn(MessageIn):
    """The last question's new text (issue 19: edit and send again)."""


class RegenerateIn(BaseModel):
    model_config = STRICT_BODY

    client_message_id: UserText | None = Field(default=None, min_length=1, max_length=100)


_RESEND: dict[int | str, dict[str, Any]] = {
    200: {"model": ChatEvent, "description": "the new run's events, one ChatEvent per SSE frame"},
    400: {"description": "NOT_LAST_USER_MESSAGE / NOT_LAST_ANSWER: only the last exchange can be redone"},
    404: {"description": "THREAD_NOT_FOUND or MESSAGE_NOT_FOUND"},
}


@router.post(
    "/api/threads/{thread_id}/messages/{message_id}/edit", response_class=EventStream, responses=_RESEND
)
async def edit_message(
    thread_id: uuid.UUID,
    message_id: uuid.UUID,
    body: EditIn,
    user: CurrentUser,
    _thread: OwnedThread,
    session: SessionDep,
    resources: ResourcesDep,
) -> EventStream:
    """Send the last question again with new text, as a new run; the earlier exchange stays in the
    history (the new user message's `meta.replaces` names the question it replaces), unseen by the model."""
    await session.commit()
    resend = Resend("edit", message_id)
    return await _start(resources, thread_id, user.id, body.content, body.client_message_id, resend)


@router.post(
    "/api/threads/{thread_id}/messages/{message_id}/regenerate",
    response_class=EventStream,
    responses=_RESEND,
)
async def regenerate(
    thread_id: uuid.UUID,
    message_id: uuid.UUID,
    user: CurrentUser,
    _thread: OwnedThread,
    session: SessionDep,
    resources: ResourcesDep,
    body: RegenerateIn | None = None,
) -> EventStream:
    """A new answer to the last question (`message_id`: an assistant message of that answer), as a new run;
    the earlier answer stays in the history (`meta.replaces`) but the model does not see it."""
    await session.commit()
    resend = Resend("regenerate", message_id)
    cmid = body.client_message_id if body else None
    return await _start(resources, thread_id, user.id, None, cmid, resend)


async def _start(
    resources: Any,
    thread_id: uuid.UUID,
    user_id: uuid.UUID | None,
    content: str | None,
    client_message_id: str | None,
    resend: Resend,
) -> EventStream:
    agent = resources.agent
    started = await agent.start(
        thread_id=thread_id,
        user_id=user_id,
        content=content,
        client_message_id=client_message_id,
        resend=resend,
    )
    if started.active is not None:
        return _stream(agent.events(started.active))
    return _stream(agent.follow(thread_id=thread_id, run_id=started.run_id))


@router.get(
    "/api/threads/{thread_id}/runs/active/events",
    response_class=EventStream,
    responses={
        200: {"model": ChatEvent, "description": "the running run's events, one ChatEvent per SSE frame"},
        204: {"description": "no run is active on this thread"},
    },
)
async def attach(
    thread_id: uuid.UUID,
    thread: OwnedThread,
    resources: ResourcesDep,
    session: SessionDep,
    after: Annotated[int | None, Query(ge=0)] = None,
    last_event_id: Annotated[str | None, Header()] = None,
) -> Response:
    """Re-attach to the running run's stream (after a reconnect), from the start or after an event id."""
    agent = resources.agent
    if after is None:
        after = int(last_event_id) if last_event_id and last_event_id.isdigit() else 0
    active = agent.active_run(thread_id)
    if active is not None:
        return _stream(agent.events(active, after))
    state = await agent.state(thread=thread, session=session)
    if state.run_id is not None:  # running on another replica: follow it (shared bus, else the database)
        return _stream(agent.follow(thread_id=thread_id, run_id=state.run_id, after=after))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/api/threads/{thread_id}/runs/resume",
    response_class=EventStream,
    responses={
        200: {"model": ChatEvent, "description": "the resumed run's events, one ChatEvent per SSE frame"},
        409: {"description": "NO_PENDING_APPROVAL: no report draft waits; RUN_IN_PROGRESS: a run is going"},
        422: {"description": "VALIDATION_ERROR: an unknown decision, or an edit without text"},
    },
)
async def resume_run(
    thread_id: uuid.UUID,
    body: ResumeIn,
    user: CurrentUser,
    _thread: OwnedThread,
    session: SessionDep,
    resources: ResourcesDep,
) -> EventStream:
    """Answer the report draft the thread waits on (issue 15): approve (a Markdown and an HTML artifact are
    stored), edit (the draft becomes `text` and is shown for approval again) or reject (nothing is stored)."""
    agent = resources.agent
    await session.commit()
    decision = body.model_dump(exclude_none=True)
    started = await agent.resume(thread_id=thread_id, user_id=user.id, decision=decision)
    assert started.active is not None  # a resume always starts its run here
    return _stream(agent.events(started.active))


@router.post(
    "/api/threads/{thread_id}/runs/cancel", status_code=status.HTTP_202_ACCEPTED, response_model=CancelOut
)
async def cancel_run(thread_id: uuid.UUID, _thread: OwnedThread, resources: ResourcesDep) -> CancelOut:
    """Stop the thread's run; running code is interrupted and what was produced is kept."""
    agent = resources.agent
    return CancelOut(run_id=await agent.cancel(thread_id=thread_id))


@router.get("/api/threads/{thread_id}/state", response_model=StateOut)
async def thread_state(thread: OwnedThread, resources: ResourcesDep, session: SessionDep) -> Response:
    """Context usage and whether a run is going."""
    agent = resources.agent
    state = await agent.state(thread=thread, session=session)  # the request's connection, not a second
    context = ContextOut(tokens_used=state.tokens_used, context_window=state.context_window)
    draft = None if state.running else await pending_draft(agent.checkpointer, thread.id)
    approval = ApprovalOut(draft=draft) if draft is not None else None
    return json_response(
        StateOut(context=context, running=state.running, run_id=state.run_id, approval=approval)
    )
