"""A run cancelled in the middle of a database write must not leave the database locked for everyone else.

Found in CI: a run cancelled during a write left SQLAlchemy's connection to the garbage collector with its
transaction open, so the SQLite write lock stayed and the run's own end waited out the 30 s busy timeout
("database is locked"); on PostgreSQL the same leak keeps the row locks.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from typing import Any

import pytest
from sqlalchemy import event, update
from sqlalchemy.ext.asyncio import AsyncEngine

from lgurban.agent.run.journal import Journal
from lgurban.agent.run.lease import RunLease
from lgurban.db.models import Run, Thread, User
from lgurban.db.session import make_engine, make_sessionmaker, session_scope, uncancelled
from lgurban.settings import Settings

LOCK_WAIT_S = 1.0


def _short_lock_wait(engine: AsyncEngine, url: str) -> None:
    """Give up on a held lock after LOCK_WAIT_S instead of the product's 30 s (runs after its own pragmas)."""

    @event.listens_for(engine.sync_engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        if url.startswith("sqlite"):
            cur.execute(f"PRAGMA busy_timeout={int(LOCK_WAIT_S * 1000)}")
        else:
            cur.execute(f"SET lock_timeout = {int(LOCK_WAIT_S * 1000)}")
        cur.close()


async def _cancel_at_random(make: Any, rounds: int, check: Any) -> list[float]:
    """Start `make()`, cancel it a random few ms in, then time `check()`; the slow checks' durations."""
    rng = random.Random(7)
    slow = []
    for _ in range(rounds):
        task = asyncio.ensure_future(make())
        await asyncio.sleep(rng.random() * 0.004)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        started = time.monotonic()
        try:
            await check()
        except Exception:
            slow.append(time.monotonic() - started)
    return slow


async def test_cancelled_run_writes_leave_no_lock(settings: Settings) -> None:
    engine = make_engine(settings)
    _short_lock_wait(engine, settings.resolved_database_url)
    sessionmaker = make_sessionmaker(engine)
    async with session_scope(sessionmaker) as session:
        user = User(name=f"u-{uuid.uuid4().hex[:8]}")
        session.add(user)
        await session.flush()
        thread = Thread(owner_id=user.id)
        session.add(thread)
        await session.flush()
        run = Run(thread_id=thread.id, user_id=user.id)
        session.add(run)
    lease = RunLease(sessionmaker, stale_after_s=7, heartbeat_s=0.0005)  # beats as fast as it can
    rng = random.Random(11)
    journal = Journal(engine, thread_id=thread.id, run_id=run.id, next_seq=1)

    async def heartbeat_then_end() -> None:
        beat = asyncio.ensure_future(lease.keep(run.id, on_cancel=asyncio.sleep))
        try:
            await asyncio.sleep(0.001 + rng.random() * 0.003)
        finally:
            beat.cancel()  # what the run does when it ends
            await asyncio.gather(beat, return_exceptions=True)
        await journal.write(role="assistant", content="partial")
        await lease.release(run_id=run.id, thread_id=thread.id, status="cancelled", error=None, tokens_used=3)

    async def another_writer() -> None:
        async with session_scope(sessionmaker) as session:
            await session.execute(update(Thread).where(Thread.id == thread.id).values(title="still writable"))
            await session.execute(update(Run).where(Run.id == run.id).values(status="running"))

    try:
        slow = await _cancel_at_random(heartbeat_then_end, 150, another_writer)
    finally:
        await engine.dispose()
    assert slow == [], f"{len(slow)} of 150 writes after a cancel waited out the lock ({LOCK_WAIT_S} s)"


async def test_uncancelled_finishes_the_write_then_cancels() -> None:
    done = asyncio.Event()

    async def write() -> int:
        await asyncio.sleep(0.05)
        done.set()
        return 1

    task = asyncio.ensure_future(uncancelled(write()))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert done.is_set()  # the write ran to its end before the cancel went through
    assert await uncancelled(write()) == 1
