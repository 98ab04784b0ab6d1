"""The user-facing chat history (the `messages` table): written as a run goes, read by the messages API."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban.db.models import Artifact, Message
from lgurban.resources import Resources

MAX_META_OUTPUT_CHARS = 64 * 1024


async def next_seq(*, session: AsyncSession, thread_id: uuid.UUID) -> int:
    """The next position in the thread (one writer per thread at a time: the run lock)."""
    current = (
        await session.execute(select(func.max(Message.seq)).where(Message.thread_id == thread_id))
    ).scalar_one_or_none()
    return int(current or 0) + 1


def message_out(row: Message, artifacts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A stored message in the API shape."""
    return {
        "id": str(row.id),
        "role": row.role,
        "content": row.content,
        "tool_calls": row.tool_calls,
        "tool_call_id": row.tool_call_id,
        "tool_name": row.tool_name,
        "meta": row.meta,
        "run_id": str(row.run_id) if row.run_id else None,
        "artifacts": artifacts or [],
        "created_at": row.created_at.isoformat(),
    }


async def artifact_out(resources: Resources, row: Artifact) -> dict[str, Any]:
    """An artifact in the API shape (with a fresh signed URL from the artifact service), plus its call."""
    if resources.artifacts is not None:
        out = (await resources.artifacts.to_out(row)).model_dump(mode="json")
    else:
        out = {
            "id": str(row.id),
            "thread_id": str(row.thread_id),
            "filename": row.filename,
            "mime": row.mime,
            "size": row.size,
            "sha256": row.sha256,
            "created_at": row.created_at.isoformat(),
            "url": f"/api/artifacts/{row.id}/download",
        }
    out["execution_id"] = str(row.execution_id) if row.execution_id else None
    out["tool_call_id"] = row.tool_call_id
    return out


async def list_messages(
    *,
    resources: Resources,
    session: AsyncSession,
    thread_id: uuid.UUID,
    run_id: uuid.UUID | None = None,
) -> list[dict[str, Any]]:
    """The thread's messages oldest first, each tool message with the artifacts its call produced."""
    query = select(Message).where(Message.thread_id == thread_id)
    if run_id is not None:
        query = query.where(Message.run_id == run_id)
    rows = list((await session.execute(query.order_by(Message.seq))).scalars())
    call_ids = {r.tool_call_id for r in rows if r.role == "tool" and r.tool_call_id}
    by_call: dict[str, list[dict[str, Any]]] = {}
    if call_ids:
        found = await session.execute(
            select(Artifact)
            .where(Artifact.thread_id == thread_id, Artifact.tool_call_id.in_(call_ids))
            .order_by(Artifact.created_at, Artifact.id)
        )
        for art in found.scalars():
            by_call.setdefault(art.tool_call_id or "", []).append(await artifact_out(resources, art))
    return [message_out(r, by_call.get(r.tool_call_id or "", []) if r.role == "tool" else []) for r in rows]


def bounded(text: str, limit: int = MAX_META_OUTPUT_CHARS) -> str:
    """Keep the end of a long output, saying how much was cut."""
    if len(text) <= limit:
        return text
    return f"[… {len(text) - limit:,} earlier characters not kept]\n" + text[-limit:]
