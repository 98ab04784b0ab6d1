"""Thread statuses on /langgraph from the runs table (both databases): busy only while a run's heartbeat
is fresh (as the run lock counts it), error after a failed run, else idle."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lgurban.api.langgraph.state import thread_statuses
from lgurban.db.models import Run, utcnow
from lgurban.db.session import make_engine, make_sessionmaker, session_scope
from lgurban.settings import Settings
from tests.factories import make_thread


@pytest.fixture
async def sessionmaker(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(settings)
    yield make_sessionmaker(engine)
    await engine.dispose()


async def test_busy_error_and_idle(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    now = utcnow()
    threads = [await make_thread(sessionmaker) for _ in range(5)]
    runs = [
        [("running", now)],  # a live run
        [("running", now - timedelta(minutes=10))],  # its server died: the lock no longer counts it
        [("done", now), ("error", now)],  # the last run failed
        [("error", now), ("done", now)],  # a failure, then a good run
        [],  # never ran
    ]
    async with session_scope(sessionmaker) as session:
        for thread, its_runs in zip(threads, runs, strict=True):
            for i, (status, beat) in enumerate(its_runs):
                started = now - timedelta(minutes=20 - i)
                session.add(Run(thread_id=thread.id, status=status, started_at=started, heartbeat_at=beat))
    async with sessionmaker() as session:
        got = await thread_statuses(session, [t.id for t in threads], stale_after_s=60)
    assert [got[t.id] for t in threads] == ["busy", "idle", "error", "idle", "idle"]
