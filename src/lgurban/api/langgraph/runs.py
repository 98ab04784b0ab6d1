"""LangGraph's runs API over LG-Urban's own runs: the run manager (lgurban.agent.runs) starts, follows and
cancels them exactly as for POST /api/threads/{id}/messages, so locks, quotas and the stored history are
the same; only the stream's shape differs (lgurban.api.langgraph.stream)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response, status
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from lgurban.agent.history import list_messages
from lgurban.agent.run.bus import BusEvent, InProcessBus, with_keepalive
from lgurban.api.chat import SSE_HEADERS, EventStream
from lgurban.api.deps import AppServices, ResourcesDep, SessionDep
from lgurban.api.langgraph.assistants import find_assistant
from lgurban.api.langgraph.convert import ASSISTANT_ID, Conversation, question_of, run_status, stamp
from lgurban.api.langgraph.deps import LangGraphThread, LangGraphUser
from lgurban.api.langgraph.schemas import KNOWN_STREAM_MODES, STREAM_MODES, LgRunCreate, LgRunOut, RunStatus
from lgurban.api.langgraph.state import ACTIVE, current_state
from lgurban.api.langgraph.stream import StreamMapper, final_values, lg_sse
from lgurban.api.responses import COMMON, errors
from lgurban.db.models import Run, Thread
from lgurban.errors import BadRequest, NotSupported, RunNotFound

router = APIRouter(responses=errors(*COMMON, 409, 429))

_SSE: dict[int | str, dict[str, Any]] = {
    200: {"description": "LangGraph API server-sent events (metadata, values, updates, messages, end)"}
}
_STATUS_OF = {"pending": (), "running": ACTIVE, "success": ("done",), "error": ("error",)}
_STATUS_OF |= {"interrupted": ("cancelled",), "timeout": ()}


def run_out(run: Run) -> LgRunOut:
    return LgRunOut(
        run_id=str(run.id),
        thread_id=str(run.thread_id),
        assistant_id=ASSISTANT_ID,
        created_at=stamp(run.started_at) or "",
        updated_at=stamp(run.finished_at or run.heartbeat_at) or "",
        status=run_status(run.status),  # type: ignore[arg-type]
        metadata={},
    )


async def _start(
    resources: AppServices, session: SessionDep, thread: Thread, user_id: uuid.UUID, body: LgRunCreate
) -> uuid.UUID:
    """Check the request, then start the run as the chat API does (409 while one runs, 429 over quota)."""
    body.check_supported()
    find_assistant(body.assistant_id)
    content = question_of(body.input)
    if (asked := body.checkpoint_asked) is not None:
        head = (await current_state(resources, session, thread)).checkpoint.checkpoint_id
        if asked != head:  # the head itself is what a run continues from anyway (agent-chat-ui sends it)
            raise NotSupported(
                "running from an earlier checkpoint (a branch) is not supported, only from the thread's "
                f"latest ({head}); the last exchange can be edited or regenerated through /api"
            )
    await session.commit()
    started = await resources.agent.start(
        thread_id=thread.id, user_id=user_id, content=content, client_message_id=None
    )
    return started.run_id


async def _get_run(session: SessionDep, thread: Thread, run_id: uuid.UUID) -> Run:
    run = await session.get(Run, run_id)
    if run is None or run.thread_id != thread.id:
        raise RunNotFound(f"run {run_id} not found on thread {thread.id}")
    return run


def _events(
    resources: AppServices, thread_id: uuid.UUID, run_id: uuid.UUID
) -> AsyncIterator[BusEvent | None]:
    """The run's events from its first: live when it runs here, else through the bus or the database."""
    agent = resources.agent
    active = agent.active_run(thread_id)
    if active is not None and active.id == run_id:
        return agent.events(active)
    if isinstance(agent.bus, InProcessBus) and agent.bus.has(run_id):  # ended here a moment ago: same ids
        return with_keepalive(agent.bus.subscribe(run_id), resources.settings.agent_keepalive_s)
    return agent.follow(thread_id=thread_id, run_id=run_id)


async def _mapper(
    resources: AppServices, thread_id: uuid.UUID, run_id: uuid.UUID, modes: list[str]
) -> StreamMapper:
    """A mapper that knows the conversation before the run (for `values`)."""
    async with resources.sessionmaker() as session:
        messages = await list_messages(resources=resources, session=session, thread_id=thread_id)
    before = Conversation([m for m in messages if m.run_id != run_id])
    return StreamMapper(thread_id=thread_id, run_id=run_id, modes=modes, before=before)


def _location(thread_id: uuid.UUID, run_id: uuid.UUID) -> dict[str, str]:
    return {"Content-Location": f"/langgraph/threads/{thread_id}/runs/{run_id}"}


async def _stream(
    resources: AppServices,
    thread_id: uuid.UUID,
    run_id: uuid.UUID,
    modes: list[str],
    *,
    after: int = 0,
    cancel_on_disconnect: bool = False,
) -> EventStream:
    mapper = await _mapper(resources, thread_id, run_id, modes)
    body = lg_sse(_events(resources, thread_id, run_id), mapper, after=after)
    if cancel_on_disconnect:
        body = _cancelling(body, resources, thread_id, run_id)
    return EventStream(body, headers={**SSE_HEADERS, **_location(thread_id, run_id)})


async def _cancelling(
    body: AsyncIterator[str], resources: AppServices, thread_id: uuid.UUID, run_id: uuid.UUID
) -> AsyncIterator[str]:
    """on_disconnect="cancel": a client that leaves before the end stops the run."""
    ended = False
    try:
        async for frame in body:
            ended = ended or "event: end\n" in frame
            yield frame
    finally:
        active = resources.agent.active_run(thread_id)
        if not ended and active is not None and active.id == run_id:
            await asyncio.shield(resources.agent.cancel(thread_id=thread_id))


def _json_when_done(
    resources: AppServices, thread_id: uuid.UUID, run_id: uuid.UUID, mapper: StreamMapper
) -> StreamingResponse:
    """The final values as JSON once the run ends; a newline (JSON whitespace) every keepalive meanwhile,
    so that no proxy drops a long wait."""

    async def body() -> AsyncIterator[bytes]:
        events = _events(resources, thread_id, run_id)
        done: asyncio.Future[dict[str, Any]] = asyncio.ensure_future(final_values(events, mapper))
        try:
            while not done.done():
                await asyncio.wait({done}, timeout=resources.settings.agent_keepalive_s)
                if not done.done():
                    yield b"\n"
            yield json.dumps(done.result()).encode()
        finally:
            done.cancel()

    return StreamingResponse(body(), media_type="application/json", headers=_location(thread_id, run_id))


@router.post("/threads/{thread_id}/runs", response_model=LgRunOut)
async def create_run(
    body: LgRunCreate,
    thread: LangGraphThread,
    user: LangGraphUser,
    session: SessionDep,
    resources: ResourcesDep,
    response: Response,
) -> LgRunOut:
    """Start a background run on the thread; follow it with join / join_stream, stop it with cancel."""
    run_id = await _start(resources, session, thread, user.id, body)
    response.headers.update(_location(thread.id, run_id))
    async with resources.sessionmaker() as fresh:
        run = await fresh.get(Run, run_id)
    assert run is not None
    return run_out(run)


@router.post("/threads/{thread_id}/runs/stream", response_class=EventStream, responses=_SSE)
async def stream_run(
    body: LgRunCreate,
    thread: LangGraphThread,
    user: LangGraphUser,
    session: SessionDep,
    resources: ResourcesDep,
) -> EventStream:
    """Start a run and stream it (modes: values, updates, messages-tuple, custom)."""
    run_id = await _start(resources, session, thread, user.id, body)
    return await _stream(
        resources, thread.id, run_id, body.modes, cancel_on_disconnect=body.on_disconnect == "cancel"
    )


@router.post("/threads/{thread_id}/runs/wait")
async def wait_run(
    body: LgRunCreate,
    thread: LangGraphThread,
    user: LangGraphUser,
    session: SessionDep,
    resources: ResourcesDep,
) -> StreamingResponse:
    """Start a run and answer with the thread's final values when it ends."""
    run_id = await _start(resources, session, thread, user.id, body)
    mapper = await _mapper(resources, thread.id, run_id, [])
    return _json_when_done(resources, thread.id, run_id, mapper)


@router.get("/threads/{thread_id}/runs", response_model=list[LgRunOut])
async def list_runs(
    thread: LangGraphThread,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 10,
    offset: Annotated[int, Query(ge=0)] = 0,
    status: RunStatus | None = None,
) -> list[LgRunOut]:
    """The thread's runs, newest first."""
    query = select(Run).where(Run.thread_id == thread.id)
    if status is not None:
        query = query.where(Run.status.in_(_STATUS_OF[status]))
    query = query.order_by(Run.started_at.desc()).offset(offset).limit(limit)
    return [run_out(r) for r in (await session.execute(query)).scalars()]


@router.get("/threads/{thread_id}/runs/{run_id}", response_model=LgRunOut)
async def get_run(run_id: uuid.UUID, thread: LangGraphThread, session: SessionDep) -> LgRunOut:
    """One run of the thread (a cancelled one reads `interrupted`)."""
    return run_out(await _get_run(session, thread, run_id))


@router.post(
    "/threads/{thread_id}/runs/{run_id}/cancel",
    status_code=status.HTTP_202_ACCEPTED,
    responses={204: {"description": "with wait=1: the run has ended"}},
)
async def cancel_run(
    run_id: uuid.UUID,
    thread: LangGraphThread,
    session: SessionDep,
    resources: ResourcesDep,
    wait: bool = False,
    action: Annotated[str, Query(max_length=20)] = "interrupt",
) -> Response:
    """Stop the run (what it produced is kept; it reads `interrupted`); with wait=1 answer once it ended."""
    if action != "interrupt":
        raise NotSupported("cancel action: only 'interrupt' is supported (not 'rollback')")
    run = await _get_run(session, thread, run_id)
    await session.commit()
    if run.status in ACTIVE:
        await resources.agent.cancel(thread_id=thread.id)
    if not wait:
        return Response(status_code=status.HTTP_202_ACCEPTED)
    async for _ in _events(resources, thread.id, run_id):
        pass
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/threads/{thread_id}/runs/{run_id}/join")
async def join_run(
    run_id: uuid.UUID, thread: LangGraphThread, session: SessionDep, resources: ResourcesDep
) -> StreamingResponse:
    """Wait for the run to end; the thread's final values."""
    await _get_run(session, thread, run_id)
    mapper = await _mapper(resources, thread.id, run_id, [])
    return _json_when_done(resources, thread.id, run_id, mapper)


@router.get("/threads/{thread_id}/runs/{run_id}/stream", response_class=EventStream, responses=_SSE)
async def join_stream(
    run_id: uuid.UUID,
    thread: LangGraphThread,
    session: SessionDep,
    resources: ResourcesDep,
    stream_mode: Annotated[list[str] | None, Query(max_length=4)] = None,
    cancel_on_disconnect: bool = False,
    last_event_id: Annotated[str | None, Header()] = None,
) -> EventStream:
    """Stream a run that was started already (after `Last-Event-ID` when given), to its end."""
    await _get_run(session, thread, run_id)
    modes = [m for m in stream_mode or [] if m] or list(STREAM_MODES)
    if unknown := [m for m in modes if m not in KNOWN_STREAM_MODES]:
        raise BadRequest(f"stream_mode {unknown[0]!r} is not a LangGraph stream mode")
    after = int(last_event_id) if last_event_id and last_event_id.isdigit() else 0
    return await _stream(
        resources, thread.id, run_id, modes, after=after, cancel_on_disconnect=cancel_on_disconnect
    )
