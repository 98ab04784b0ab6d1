"""Edit-and-resend of the last question and regenerate of the last answer (issue 19), both as new runs.

The old exchange stays in the `messages` table (the new user message's meta says which one it `replaces`),
so the web app can show the earlier version. The model must not see it: the new run's graph state is the
state as it was just before the replaced question (everything before it in the checkpoint, the summary of
that time), followed by the new question.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.messages import BaseMessage, HumanMessage, RemoveMessage
from langgraph.graph.message import REMOVE_ALL_MESSAGES
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban.db.models import Message
from lgurban.errors import MessageNotFound, NotLastAnswer, NotLastUserMessage

ResendKind = Literal["edit", "regenerate"]


@dataclass(frozen=True)
class Resend:
    """What a new run replaces: the thread's last question (`replaces`), asked again or edited."""

    kind: ResendKind
    message_id: uuid.UUID  # the message the client named (the last question, or an answer to it)
    replaces: uuid.UUID | None = None  # set by `check`: the last user message

    def meta(self) -> dict[str, str]:
        return {"replaces": str(self.replaces), "resend": self.kind}


async def check(session: AsyncSession, *, thread_id: uuid.UUID, resend: Resend) -> tuple[Resend, str]:
    """The resend with the question it replaces, and that question's text (404/400 when it cannot be)."""
    named = await session.get(Message, resend.message_id)
    if named is None or named.thread_id != thread_id:
        raise MessageNotFound("this message is not in the thread")
    last_user = (
        await session.execute(
            select(Message)
            .where(Message.thread_id == thread_id, Message.role == "user")
            .order_by(Message.seq.desc())
            .limit(1)
        )
    ).scalar_one()
    if resend.kind == "edit" and named.id != last_user.id:
        raise NotLastUserMessage("only the last question can be edited and sent again")
    if resend.kind == "regenerate" and (named.role != "assistant" or named.seq < last_user.seq):
        raise NotLastAnswer("only the answer to the last question can be regenerated")
    return Resend(resend.kind, resend.message_id, last_user.id), last_user.content


async def graph_input(
    graph: Any, config: dict[str, Any], values: dict[str, Any], replaces: uuid.UUID, human: HumanMessage
) -> dict[str, Any] | None:
    """The input that makes the state "before `replaces`, then `human`"; None when the state never had it."""
    messages: list[BaseMessage] = list(values.get("messages", []))
    at = next((i for i, m in enumerate(messages) if m.id == str(replaces)), None)
    if at is None:
        return None  # that run stopped before the graph took its question: nothing to take back
    base = messages[:at]
    update: dict[str, Any] = {"messages": [RemoveMessage(id=REMOVE_ALL_MESSAGES), *base, human]}
    if "summary" in values:
        update["summary"], update["summary_until"] = await _summary_before(graph, config, values, base)
    return update


async def _summary_before(
    graph: Any, config: dict[str, Any], values: dict[str, Any], base: list[BaseMessage]
) -> tuple[str | None, str | None]:
    """The summary that covered only `base` (a later one may have summarised the replaced exchange)."""
    ids = {m.id for m in base}
    until = values.get("summary_until")
    if until is None or until in ids:
        return values.get("summary"), until
    async for snapshot in graph.aget_state_history(config):
        older = (snapshot.values or {}).get("summary_until")
        if older is None or older in ids:
            return (snapshot.values or {}).get("summary"), older
    return None, None
