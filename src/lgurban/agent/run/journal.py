"""The message journal: a run's rows in the `messages` table, and what an interrupted run left to carry over.

The run holds the thread (lgurban.agent.run.lease), so it owns the next seq and each message is one INSERT;
a killed server loses at most the step in flight.
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from lgurban.agent.events import MessageOut
from lgurban.agent.history import message_out, next_seq
from lgurban.db.models import Message, Run, utcnow
from lgurban.db.session import uncancelled

NOT_FINISHED = "Not finished: the run stopped before this tool returned."


class MessageWriter(Protocol):
    """Where the stream translator stores messages (Journal; a list in the unit tests)."""

    async def write(
        self,
        *,
        role: str,
        content: str,
        tool_calls: list[dict[str, Any]] | None = None,
        tool_call_id: str | None = None,
        tool_name: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> MessageOut: ...


class Journal:
    """Appends one run's messages after its user message."""

    def __init__(
        self, engine: AsyncEngine, *, thread_id: uuid.UUID, run_id: uuid.UUID, next_seq: int
    ) -> None:
        self.engine = engine
        self.thread_id = thread_id
        self.run_id = run_id
        self.next_seq = next_seq

    async def write(
        self,
        *,
        role: str,
        content: str,
        tool_calls: list[dict[str, Any]] | None = None,
        tool_call_id: str | None = None,
        tool_name: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> MessageOut:
        """Append one message: a single INSERT at the run's next seq."""
        row = Message(
            id=uuid.uuid4(),
            thread_id=self.thread_id,
            run_id=self.run_id,
            seq=self.next_seq,
            created_at=utcnow(),
            role=role,
            content=content,
            tool_calls=tool_calls,
            tool_call_id=tool_call_id,
            tool_name=tool_name,
            meta=meta,
        )
        columns = {c.key: getattr(row, c.key) for c in Message.__table__.columns}
        await uncancelled(self._insert(columns))
        return message_out(row)

    async def _insert(self, columns: dict[str, Any]) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(insert(Message), [columns])
        self.next_seq += 1


async def store_user_message(
    session: AsyncSession,
    *,
    thread_id: uuid.UUID,
    run_id: uuid.UUID,
    content: str,
    client_message_id: str | None,
    meta: dict[str, Any] | None = None,
) -> Message:
    """The run's first message, in the session that took the thread (so both commit together)."""
    row = Message(
        thread_id=thread_id,
        run_id=run_id,
        seq=await next_seq(session=session, thread_id=thread_id),
        role="user",
        content=content,
        meta={**(meta or {}), **({"client_message_id": client_message_id} if client_message_id else {})}
        or None,
    )
    session.add(row)
    await session.flush()
    return row


def dangling_calls(messages: list[BaseMessage]) -> list[tuple[str, str]]:
    """(id, name) of the tool calls in the graph state that have no answer."""
    answered = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
    return [
        (c["id"], c["name"] or "tool")
        for m in messages
        if isinstance(m, AIMessage)
        for c in [*m.tool_calls, *m.invalid_tool_calls]  # OpenAI wants an answer to both kinds
        if c["id"] and c["id"] not in answered
    ]


async def carry_over(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    state: list[BaseMessage],
    thread_id: uuid.UUID,
    run_id: uuid.UUID,
) -> list[BaseMessage]:
    """What the graph state lacks from an interrupted run, to go in before the new message.

    A tool call without its answer (the run was stopped or its server died) gets the answer stored in
    the messages table, or a note; the partial text of a stopped model step is added as said. Giving them
    as input (rather than patching the checkpoint) keeps the next model call valid on every saver."""
    if not state:
        return []
    rows = await _previous_run_messages(sessionmaker, thread_id=thread_id, run_id=run_id)
    known = {m.id for m in state}
    stored = {r.tool_call_id: r.content for r in rows if r.role == "tool" and r.tool_call_id}
    carried: list[BaseMessage] = [
        ToolMessage(content=stored.get(call) or NOT_FINISHED, tool_call_id=call, name=name, status="error")
        for call, name in dangling_calls(state)
    ]
    carried += [
        AIMessage(content=r.content, id=str(r.id))
        for r in rows
        if r.role == "assistant" and (r.meta or {}).get("partial") and str(r.id) not in known
    ]
    return carried


async def _previous_run_messages(
    sessionmaker: async_sessionmaker[AsyncSession], *, thread_id: uuid.UUID, run_id: uuid.UUID
) -> list[Message]:
    async with sessionmaker() as session:
        previous = (
            await session.execute(
                select(Run.id)
                .where(Run.thread_id == thread_id, Run.id != run_id)
                .order_by(Run.started_at.desc())
                .limit(1)
            )
        ).scalar_one_or_none()
        if previous is None:
            return []
        found = await session.execute(select(Message).where(Message.run_id == previous).order_by(Message.seq))
        return list(found.scalars())
