"""The user-facing chat history (the `messages` table): written as a run goes, read by the messages API."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban.agent.events import MessageOut
from lgurban.agent.services import Services
from lgurban.artifacts.models import ArtifactOut
from lgurban.db.models import Artifact, Message

MAX_META_OUTPUT_CHARS = 64 * 1024


async def next_seq(*, session: AsyncSession, thread_id: uuid.UUID) -> int:
    """The next position in the thread (one writer per thread at a time: the run lock)."""
    current = (
        await session.execute(select(func.max(Message.seq)).where(Message.thread_id == thread_id))
    ).scalar_one_or_none()
    return int(current or 0) + 1


def message_out(row: Message, artifacts: list[ArtifactOut] | None = None) -> MessageOut:
    """A stored message in the API shape (an answer's receipts and review, kept in `meta`, at the top
    level)."""
    meta = dict(row.meta) if row.meta else None
    receipts = meta.pop("receipts", []) if meta else []
    unverified = meta.pop("unverified", []) if meta else []
    review = meta.pop("review", None) if meta else None
    return MessageOut(
        id=row.id,
        role=row.role,
        content=row.content,
        tool_calls=row.tool_calls,
        tool_call_id=row.tool_call_id,
        tool_name=row.tool_name,
        meta=meta or None,
        run_id=row.run_id,
        artifacts=artifacts or [],
        created_at=row.created_at.isoformat(),
        receipts=receipts,
        unverified=unverified,
        review=review,
    )


async def artifact_out(resources: Services, row: Artifact) -> ArtifactOut:
    """An artifact as the artifact service gives it (a fresh signed URL, the cell and call that made it)."""
    return await resources.artifacts.to_out(row)


async def list_messages(
    *,
    resources: Services,
    session: AsyncSession,
    thread_id: uuid.UUID,
    run_id: uuid.UUID | None = None,
) -> list[MessageOut]:
    """The thread's messages oldest first, each tool message with the artifacts its call produced."""
    query = select(Message).where(Message.thread_id == thread_id)
    if run_id is not None:
        query = query.where(Message.run_id == run_id)
    rows = list((await session.execute(query.order_by(Message.seq))).scalars())
    call_ids = {key for r in rows if (key := _artifacts_key(r))}
    by_call: dict[str, list[ArtifactOut]] = {}
    if call_ids:
        found = await session.execute(
            select(Artifact)
            .where(Artifact.thread_id == thread_id, Artifact.tool_call_id.in_(call_ids))
            .order_by(Artifact.created_at, Artifact.id)
        )
        for art in found.scalars():
            by_call.setdefault(art.tool_call_id or "", []).append(await artifact_out(resources, art))
    return [message_out(r, by_call.get(_artifacts_key(r) or "", [])) for r in rows]


def _artifacts_key(row: Message) -> str | None:
    """The call a message's artifacts were recorded under: a tool message's own; a report writer's message
    names it in meta.artifacts_call (issue 15)."""
    if row.role == "tool":
        return row.tool_call_id
    if row.role == "assistant" and isinstance(row.meta, dict):
        key = row.meta.get("artifacts_call")
        return key if isinstance(key, str) else None
    return None


def bounded(text: str, limit: int = MAX_META_OUTPUT_CHARS) -> str:
    """Keep the end of a long output, saying how much was cut."""
    if len(text) <= limit:
        return text
    return f"[… {len(text) - limit:,} earlier characters not kept]\n" + text[-limit:]
