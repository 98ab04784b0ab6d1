"""The report draft a thread's checkpoint waits on (issue 15), read straight from the checkpointer: the
pending writes of its latest checkpoint hold the interrupt the report_approval node raised, until a resume
answers it. No graph (and so no model configuration) is needed to ask."""

from __future__ import annotations

import uuid
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.types import Interrupt

INTERRUPT_CHANNEL = "__interrupt__"


async def pending_draft(checkpointer: BaseCheckpointSaver[Any] | None, thread_id: uuid.UUID) -> str | None:
    """The draft waiting for approval on the thread, or None when nothing waits."""
    if checkpointer is None:
        return None
    found = await checkpointer.aget_tuple(
        {"configurable": {"thread_id": str(thread_id), "checkpoint_ns": ""}}
    )
    if found is None:
        return None
    # an answer whose run failed before the node finished (a RESUME write beside it) leaves it waiting: the
    # next resume answers it again, as LangGraph's own state says
    for _task, channel, value in found.pending_writes or []:
        if channel != INTERRUPT_CHANNEL:
            continue
        for item in value if isinstance(value, list | tuple) else [value]:
            payload = item.value if isinstance(item, Interrupt) else None
            if isinstance(payload, dict) and isinstance(payload.get("draft"), str):
                return payload["draft"]
    return None
