"""LangGraph's threads API over LG-Urban's own threads (lgurban.threads): the same rows, owner-scoped."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse
from sqlalchemy import select

from lgurban import threads as service
from lgurban.agent.history import list_messages
from lgurban.api.deps import ResourcesDep, SessionDep
from lgurban.api.langgraph.convert import Conversation, metadata_matches, thread_base, thread_metadata
from lgurban.api.langgraph.deps import LangGraphThread, LangGraphUser
from lgurban.api.langgraph.schemas import (
    LgHistoryIn,
    LgThreadCreate,
    LgThreadFound,
    LgThreadOut,
    LgThreadSearch,
    LgThreadStateOut,
)
from lgurban.api.langgraph.state import current_state, history, thread_statuses
from lgurban.api.responses import COMMON, errors
from lgurban.api.threads import delete_thread as api_delete
from lgurban.db.models import Message, Thread
from lgurban.errors import BadRequest, Conflict

router = APIRouter(responses=errors(*COMMON, 409))

MAX_TITLE = 200


@router.post("/threads", response_model=LgThreadOut)
async def create_thread(
    body: LgThreadCreate, user: LangGraphUser, session: SessionDep, resources: ResourcesDep
) -> LgThreadOut:
    """A new thread of the caller's (metadata.title becomes its title; other metadata is not kept)."""
    title = (body.metadata or {}).get("title")
    if title is not None and (not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE):
        raise BadRequest(f"metadata.title must be text of 1 to {MAX_TITLE} characters")
    thread_id = body.thread_id
    if thread_id is not None and (existing := await session.get(Thread, thread_id)) is not None:
        if existing.owner_id == user.id and body.if_exists == "do_nothing":
            return await _thread_out(resources, session, existing, values={"messages": []})
        raise Conflict(f"thread {thread_id} already exists")
    thread = await service.create_thread(
        session=session, owner=user, title=title, config={}, thread_id=thread_id
    )
    return LgThreadOut(**thread_base(thread, "idle"), values={"messages": []})


@router.get("/threads/{thread_id}", response_model=LgThreadOut)
async def get_thread(thread: LangGraphThread, session: SessionDep, resources: ResourcesDep) -> LgThreadOut:
    """One of the caller's threads, with its values (the conversation)."""
    messages = await list_messages(resources=resources, session=session, thread_id=thread.id)
    return await _thread_out(resources, session, thread, values=Conversation(messages).values())


@router.post("/threads/search", response_model=list[LgThreadFound])
async def search_threads(
    body: LgThreadSearch, user: LangGraphUser, session: SessionDep, resources: ResourcesDep
) -> JSONResponse:
    """The caller's (unarchived) threads matching metadata / ids / status, sorted and paged."""
    t = Thread.__table__.c
    query = select(Thread.__table__).where(t.owner_id == user.id, t.archived_at.is_(None))
    if body.ids is not None:
        query = query.where(t.id.in_(body.ids))
    rows = [
        r for r in (await session.execute(query)).all() if metadata_matches(body.metadata, thread_metadata(r))
    ]
    statuses = await thread_statuses(session, [r.id for r in rows], stale_after_s=_stale_s(resources))
    if body.status is not None:
        rows = [r for r in rows if statuses[r.id] == body.status]
    key = {"thread_id": lambda r: str(r.id), "status": lambda r: statuses[r.id]}.get(
        body.sort_by, lambda r: getattr(r, body.sort_by)
    )
    rows.sort(key=key, reverse=body.sort_order == "desc")
    page = rows[body.offset : body.offset + body.limit]
    wanted = set(body.select or LgThreadOut.model_fields)
    values = await _values_of(resources, session, [r.id for r in page]) if "values" in wanted else {}
    out = []
    for row in page:
        item = {**thread_base(row, statuses[row.id]), "values": values.get(row.id)}
        out.append({k: v for k, v in item.items() if k in wanted})
    return JSONResponse(out)  # only the selected keys: not passed through the all-optional model


@router.get("/threads/{thread_id}/state", response_model=LgThreadStateOut)
async def get_state(
    thread: LangGraphThread, session: SessionDep, resources: ResourcesDep
) -> LgThreadStateOut:
    """The thread's current state: the conversation, and the last run as its checkpoint."""
    return await current_state(resources, session, thread)


@router.get("/threads/{thread_id}/state/{checkpoint_id}", response_model=LgThreadStateOut)
async def get_state_at(
    checkpoint_id: str, thread: LangGraphThread, session: SessionDep, resources: ResourcesDep
) -> LgThreadStateOut:
    """The state at one checkpoint (the end of one run; its id is the run's id)."""
    for state in await history(resources, session, thread):
        if state.checkpoint.checkpoint_id == checkpoint_id:
            return state
    raise BadRequest(f"checkpoint {checkpoint_id!r} is not one of this thread's")


@router.post("/threads/{thread_id}/history", response_model=list[LgThreadStateOut])
async def get_history(
    body: LgHistoryIn, thread: LangGraphThread, session: SessionDep, resources: ResourcesDep
) -> list[LgThreadStateOut]:
    """The thread's past states, newest first: one per run (`before`, `checkpoint`, `metadata`, `limit`)."""
    states = await history(resources, session, thread)
    before = body.before if isinstance(body.before, str) or body.before is None else body.before.checkpoint_id
    start = body.checkpoint.checkpoint_id if body.checkpoint else None
    for cut, inclusive in ((before, False), (start, True)):
        if cut:
            at = next((i for i, s in enumerate(states) if s.checkpoint.checkpoint_id == cut), None)
            if at is None:
                raise BadRequest(f"checkpoint {cut!r} is not one of this thread's")
            states = states[at if inclusive else at + 1 :]
    states = [s for s in states if metadata_matches(body.metadata, s.metadata)]
    return states[: body.limit]


@router.delete("/threads/{thread_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_thread(
    thread: LangGraphThread, user: LangGraphUser, session: SessionDep, resources: ResourcesDep
) -> None:
    """Delete the thread as DELETE /api/threads/{id} does (messages, checkpoints, sandbox, workspace)."""
    await api_delete(thread.id, user, session, resources)


def _stale_s(resources: ResourcesDep) -> float:
    return float(resources.settings.agent_stale_run_s)


async def _thread_out(
    resources: ResourcesDep, session: Any, thread: Any, *, values: dict[str, Any]
) -> LgThreadOut:
    statuses = await thread_statuses(session, [thread.id], stale_after_s=_stale_s(resources))
    return LgThreadOut(**thread_base(thread, statuses[thread.id]), values=values)


async def _values_of(
    resources: ResourcesDep, session: SessionDep, thread_ids: list[uuid.UUID]
) -> dict[uuid.UUID, dict[str, Any]]:
    """Each thread's conversation (read only for the threads of the page that have messages)."""
    if not thread_ids:
        return {}
    found = await session.execute(
        select(Message.thread_id).where(Message.thread_id.in_(thread_ids)).group_by(Message.thread_id)
    )
    with_messages = {row[0] for row in found}
    out: dict[uuid.UUID, dict[str, Any]] = {tid: {"messages": []} for tid in thread_ids}
    for tid in with_messages:
        out[tid] = Conversation(
            await list_messages(resources=resources, session=session, thread_id=tid)
        ).values()
    return out
