"""Thread service: every query is scoped to the owner; another user's thread does not exist."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban.db.models import Thread, User, utcnow
from lgurban.db.search import Match, find_matches, search_page
from lgurban.errors import BadRequest, ThreadNotFound

CONFIG_FIELDS = ("model", "temperature", "system_prompt", "context_window", "reviewer")


async def create_thread(
    *,
    session: AsyncSession,
    owner: User,
    title: str | None,
    config: dict[str, Any],
    thread_id: uuid.UUID | None = None,
) -> Thread:
    """A new thread of `owner`'s (with the id given, when a client chose it: the LangGraph API lets it)."""
    thread = Thread(owner_id=owner.id, title=title or "New thread", title_is_auto=title is None)
    if thread_id is not None:
        thread.id = thread_id
    for key, value in config.items():
        setattr(thread, key, value)
    session.add(thread)
    await session.flush()
    return thread


async def get_thread(*, session: AsyncSession, owner: User, thread_id: uuid.UUID) -> Thread:
    thread = (
        await session.execute(select(Thread).where(Thread.id == thread_id, Thread.owner_id == owner.id))
    ).scalar_one_or_none()
    if thread is None:
        raise ThreadNotFound(f"thread {thread_id} not found")
    return thread


def encode_cursor(thread: Thread | Row[Any]) -> str:
    raw = f"{thread.updated_at.isoformat()}|{thread.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, ident = raw.split("|", 1)
        return datetime.fromisoformat(stamp), uuid.UUID(ident)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("cursor is not one this server gave out") from exc


async def list_threads(
    *,
    session: AsyncSession,
    owner: User,
    limit: int,
    cursor: str | None,
    include_archived: bool,
    q: str | None = None,
) -> tuple[list[Row[Any]], str | None, dict[uuid.UUID, Match]]:
    """Newest activity first, keyset-paginated on (updated_at, id); with `q`, only the threads whose
    title or user/assistant messages hold every word of it (full text, lgurban.db.search), each with
    where it matched.

    Returns plain rows (same attribute names as Thread): a page is read-only, and skipping the ORM's
    identity map halves the cost of a 50-thread page.
    """
    t = Thread.__table__.c
    query = select(Thread.__table__).where(t.owner_id == owner.id)
    if not include_archived:
        query = query.where(t.archived_at.is_(None))
    dialect = session.get_bind().dialect.name
    if cursor:
        stamp, ident = decode_cursor(cursor)
        query = query.where(or_(t.updated_at < stamp, and_(t.updated_at == stamp, t.id < ident)))
    query = query.order_by(t.updated_at.desc(), t.id.desc())
    rows = await search_page(session, query, q or "", limit)
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    page = rows[:limit]
    found = await find_matches(session, dialect, q, page) if q else {}
    return page, next_cursor, found


async def update_thread(
    *,
    session: AsyncSession,
    owner: User,
    thread_id: uuid.UUID,
    title: str | None = None,
    archived: bool | None = None,
    config: dict[str, Any] | None = None,
) -> Thread:
    thread = await get_thread(session=session, owner=owner, thread_id=thread_id)
    if title is not None:
        thread.title = title
        thread.title_is_auto = False
    if archived is not None:
        thread.archived_at = (thread.archived_at or utcnow()) if archived else None
    for key, value in (config or {}).items():
        setattr(thread, key, value)
    thread.updated_at = utcnow()
    await session.flush()
    return thread


async def delete_thread(*, session: AsyncSession, owner: User, thread_id: uuid.UUID) -> None:
    """Delete the thread row; messages, runs, executions and artifact rows follow (ON DELETE CASCADE)."""
    thread = await get_thread(session=session, owner=owner, thread_id=thread_id)
    await session.execute(delete(Thread).where(Thread.id == thread.id))


async def touch_thread(*, session: AsyncSession, thread_id: uuid.UUID) -> None:
    """Mark activity so the thread moves to the top of the list."""
    thread = await session.get(Thread, thread_id)
    if thread is not None:
        thread.updated_at = utcnow()
