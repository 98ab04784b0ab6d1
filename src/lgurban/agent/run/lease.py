"""The run row as the thread's lock: taking it, keeping it fresh (heartbeat), releasing it, finding it.

Every API replica sees the `runs` table, so a run with status running (or cancelling) and a fresh heartbeat
holds its thread everywhere; a run whose heartbeat stopped (its server died) no longer blocks the thread.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lgurban.db.models import Run, Thread, utcnow
from lgurban.db.session import session_scope, uncancelled
from lgurban.errors import RunInProgress, ThreadArchived

log = logging.getLogger(__name__)

ACTIVE = ("running", "cancelling")


@dataclass(frozen=True)
class Taken:
    """The answer of `RunLease.take`: the run row, and whether it is new (False: same client_message_id)."""

    run: Run
    created: bool


class RunLease:
    """The runs table as lock: one active run per thread, across replicas."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], *, stale_after_s: float, heartbeat_s: float
    ) -> None:
        self.sessionmaker = sessionmaker
        self.stale_after_s = stale_after_s
        self.heartbeat_s = heartbeat_s

    async def take(
        self,
        session: AsyncSession,
        *,
        thread_id: uuid.UUID,
        user_id: uuid.UUID | None,
        client_message_id: str | None,
        live_here: Callable[[uuid.UUID], bool],
    ) -> Taken:
        """A new running run for the thread, or the run already made for this client_message_id."""
        # UPDATE first: the SQLite write lock / PostgreSQL row lock serialises starts across replicas
        touched = await session.execute(
            update(Thread)
            .where(Thread.id == thread_id)
            .values(updated_at=utcnow())
            .returning(Thread.archived_at)
        )
        archived_at = touched.scalar_one()
        if client_message_id:
            existing = (
                await session.execute(
                    select(Run).where(Run.thread_id == thread_id, Run.client_message_id == client_message_id)
                )
            ).scalar_one_or_none()
            if existing is not None:
                return Taken(existing, created=False)
        if archived_at is not None:
            raise ThreadArchived("this thread is archived; unarchive it to continue the conversation")
        await self._refuse_if_running(session, thread_id, live_here)
        run = Run(thread_id=thread_id, user_id=user_id, client_message_id=client_message_id)
        session.add(run)
        await session.flush()
        return Taken(run, created=True)

    async def _refuse_if_running(
        self, session: AsyncSession, thread_id: uuid.UUID, live_here: Callable[[uuid.UUID], bool]
    ) -> None:
        """409 while a live run holds the thread; a run whose heartbeat stopped is marked failed instead."""
        rows = (
            await session.execute(select(Run).where(Run.thread_id == thread_id, Run.status.in_(ACTIVE)))
        ).scalars()
        for row in rows:
            if live_here(row.id) or row.heartbeat_at > self._stale_before():
                raise RunInProgress("a run is already active on this thread; wait for it or cancel it")
            row.status, row.finished_at = "error", utcnow()
            row.error_code = "RUN_INTERRUPTED"
            row.error_message = "the server running this run stopped; what it had stored is kept"

    def _stale_before(self) -> Any:
        return utcnow() - timedelta(seconds=self.stale_after_s)

    async def keep(self, run_id: uuid.UUID, on_cancel: Callable[[], Awaitable[Any]]) -> None:
        """Heartbeat until cancelled: keep the lock fresh; call `on_cancel` when another replica asks."""
        while True:
            await asyncio.sleep(self.heartbeat_s)
            try:
                status = await uncancelled(self._beat(run_id))  # the run's end cancels this loop
                if status == "cancelling":
                    await on_cancel()
            except Exception:  # the database may be briefly away; the next beat retries
                log.warning("heartbeat of run %s failed", run_id, exc_info=True)

    async def _beat(self, run_id: uuid.UUID) -> str | None:
        async with session_scope(self.sessionmaker) as session:
            return (
                await session.execute(
                    update(Run).where(Run.id == run_id).values(heartbeat_at=utcnow()).returning(Run.status)
                )
            ).scalar_one_or_none()

    async def release(
        self,
        *,
        run_id: uuid.UUID,
        thread_id: uuid.UUID,
        status: str,
        error: tuple[str, str] | None,
        tokens_used: int | None,
    ) -> None:
        """Record the run's end (and the thread's context usage): the thread is free."""
        await uncancelled(self._release(run_id, thread_id, status, error, tokens_used))

    async def _release(
        self,
        run_id: uuid.UUID,
        thread_id: uuid.UUID,
        status: str,
        error: tuple[str, str] | None,
        tokens_used: int | None,
    ) -> None:
        async with session_scope(self.sessionmaker) as session:
            await session.execute(
                update(Run)
                .where(Run.id == run_id)
                .values(
                    status=status,
                    finished_at=utcnow(),
                    error_code=error[0] if error else None,
                    error_message=error[1] if error else None,
                )
            )
            values: dict[str, Any] = {"updated_at": utcnow()}
            if tokens_used is not None:
                values["tokens_used"] = tokens_used
            await session.execute(update(Thread).where(Thread.id == thread_id).values(**values))

    async def holder(self, thread_id: uuid.UUID, session: AsyncSession | None = None) -> uuid.UUID | None:
        """The run holding the thread (on any replica, heartbeat fresh), if any.

        A request that holds a session passes it: a second pooled connection per request deadlocks the
        pool once every connection is held by a request waiting for another (503 at 32 clients on SQLite).
        """
        query = select(Run.id).where(
            Run.thread_id == thread_id, Run.status.in_(ACTIVE), Run.heartbeat_at > self._stale_before()
        )
        if session is not None:
            return (await session.execute(query)).scalar_one_or_none()
        async with self.sessionmaker() as own:
            return (await own.execute(query)).scalar_one_or_none()

    async def is_live(self, run_id: uuid.UUID) -> bool:
        """Whether the run is still active with a fresh heartbeat (its replica is alive)."""
        async with self.sessionmaker() as session:
            found = await session.execute(
                select(Run.id).where(
                    Run.id == run_id, Run.status.in_(ACTIVE), Run.heartbeat_at > self._stale_before()
                )
            )
            return found.scalar_one_or_none() is not None

    async def ask_cancel(self, thread_id: uuid.UUID) -> uuid.UUID | None:
        """Mark the thread's running run cancelling: the replica running it stops it at its next heartbeat."""
        return await uncancelled(self._ask_cancel(thread_id))

    async def _ask_cancel(self, thread_id: uuid.UUID) -> uuid.UUID | None:
        async with session_scope(self.sessionmaker) as session:
            row = (
                await session.execute(
                    select(Run).where(Run.thread_id == thread_id, Run.status == "running").limit(1)
                )
            ).scalar_one_or_none()
            if row is None:
                return None
            row.status = "cancelling"
            return row.id
