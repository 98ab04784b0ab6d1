"""Thread state and history in LangGraph's shape, read from LG-Urban's `messages` and `runs` tables.

A checkpoint here is the end of one run: its id is the run's id, its values the conversation as it stood
when that run's last message was stored, its parent the run before. The newest is the thread's state.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban.agent.events import MessageOut
from lgurban.agent.history import list_messages
from lgurban.agent.services import Services
from lgurban.api.langgraph.convert import Conversation, checkpoint, run_status, stamp
from lgurban.api.langgraph.schemas import LgCheckpoint, LgThreadStateOut
from lgurban.db.models import Message, Run, Thread, utcnow

ACTIVE = ("running", "cancelling")


async def thread_statuses(
    session: AsyncSession, thread_ids: Iterable[uuid.UUID], *, stale_after_s: float
) -> dict[uuid.UUID, str]:
    """busy while a run is active (its heartbeat fresh, as the run lock counts it), error when the last run
    failed, else idle."""
    ids = list(thread_ids)
    statuses = dict.fromkeys(ids, "idle")
    if not ids:
        return statuses
    rows = await session.execute(
        select(Run.thread_id, Run.status, Run.heartbeat_at)
        .where(Run.thread_id.in_(ids))
        .order_by(Run.started_at)
    )
    fresh_after = utcnow() - timedelta(seconds=stale_after_s)
    last: dict[uuid.UUID, str] = {}
    for thread_id, status, heartbeat_at in rows:
        last[thread_id] = status
        if status in ACTIVE and heartbeat_at > fresh_after:
            statuses[thread_id] = "busy"
    for thread_id, status in last.items():
        if statuses[thread_id] != "busy" and status == "error":
            statuses[thread_id] = "error"
    return statuses


async def conversation(resources: Services, session: AsyncSession, thread_id: uuid.UUID) -> Conversation:
    messages = await list_messages(resources=resources, session=session, thread_id=thread_id)
    return Conversation(messages)


async def history(resources: Services, session: AsyncSession, thread: Thread) -> list[LgThreadStateOut]:
    """One state per run that stored messages, newest first."""
    messages = await list_messages(resources=resources, session=session, thread_id=thread.id)
    runs = (
        await session.execute(select(Run).where(Run.thread_id == thread.id).order_by(Run.started_at))
    ).scalars()
    run_end, position = await _positions(session, thread.id)
    ended = [r for r in runs if r.id in run_end]
    states: list[LgThreadStateOut] = []
    parent: uuid.UUID | None = None
    for step, run in enumerate(ended):
        # the newest state is everything stored (a fork's copies included)
        upto = messages if run is ended[-1] else [m for m in messages if position[m.id] <= run_end[run.id]]
        states.append(_state(thread.id, run, parent, Conversation(upto), step))
        parent = run.id
    return states[::-1]


def empty_state(thread_id: uuid.UUID, messages: list[MessageOut]) -> LgThreadStateOut:
    """A thread no run has written to yet (or whose messages came from a fork)."""
    return LgThreadStateOut(
        values=Conversation(messages).values(),
        checkpoint=LgCheckpoint(**checkpoint(thread_id, None)),
        parent_checkpoint=None,
        metadata={},
        created_at=None,
    )


def _state(
    thread_id: uuid.UUID, run: Run, parent: uuid.UUID | None, convo: Conversation, step: int
) -> LgThreadStateOut:
    running = run.status in ACTIVE
    return LgThreadStateOut(
        values=convo.values(),
        next=["agent"] if running else [],
        checkpoint=LgCheckpoint(**checkpoint(thread_id, run.id)),
        parent_checkpoint=LgCheckpoint(**checkpoint(thread_id, parent)) if parent else None,
        metadata={
            "source": "loop",
            "step": step,
            "run_id": str(run.id),
            "run_status": run_status(run.status),
        },
        created_at=stamp(run.finished_at or run.heartbeat_at),
    )


async def _positions(
    session: AsyncSession, thread_id: uuid.UUID
) -> tuple[dict[uuid.UUID, int], dict[uuid.UUID, int]]:
    """The position of each run's last message, and of each message."""
    rows = await session.execute(
        select(Message.id, Message.run_id, Message.seq).where(Message.thread_id == thread_id)
    )
    run_end: dict[uuid.UUID, int] = {}
    position: dict[uuid.UUID, int] = {}
    for message_id, run_id, seq in rows:
        position[message_id] = seq
        if run_id is not None:
            run_end[run_id] = max(seq, run_end.get(run_id, seq))
    return run_end, position


async def current_state(resources: Services, session: AsyncSession, thread: Thread) -> LgThreadStateOut:
    states = await history(resources, session, thread)
    if states:
        return states[0]
    return empty_state(
        thread.id, await list_messages(resources=resources, session=session, thread_id=thread.id)
    )
