"""Schema set-up from several processes at the same instant on a fresh database: the app's migrations and
the checkpointer's tables are made once, the others wait and find them (no duplicate-table errors)."""

from __future__ import annotations

import asyncio
import multiprocessing
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import psycopg
import pytest

from lgurban.agent.checkpointer import open_checkpointer
from lgurban.db.migrate import upgrade
from lgurban.settings import Settings
from tests.scale.conftest import drop_pg_database, fresh_pg_database

WORKERS = 4


def _upgrade_at_once(url: str, data_dir: str, barrier: Any) -> None:
    settings = Settings(environment="test", database_url=url, data_dir=Path(data_dir), _env_file=None)  # type: ignore[call-arg]
    barrier.wait(timeout=60)
    upgrade(settings)


@pytest.mark.parametrize("backend", ["postgres", "sqlite"])
def test_migrations_started_together_all_succeed(tmp_path: Path, backend: str) -> None:
    url = fresh_pg_database() if backend == "postgres" else f"sqlite:///{tmp_path / 'data' / 'app.sqlite'}"
    try:
        ctx = multiprocessing.get_context("spawn")
        barrier = ctx.Barrier(WORKERS)
        procs = [
            ctx.Process(target=_upgrade_at_once, args=(url, str(tmp_path / "data"), barrier))
            for _ in range(WORKERS)
        ]
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=120)
        assert [p.exitcode for p in procs] == [0] * WORKERS
    finally:
        if backend == "postgres":
            drop_pg_database(url)


async def test_checkpointer_setups_started_together_all_succeed(tmp_path: Path) -> None:
    url = fresh_pg_database()
    try:
        settings = Settings(environment="test", database_url=url, data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]

        async def one() -> None:
            async with AsyncExitStack() as stack:
                await stack.enter_async_context(open_checkpointer(settings))

        await asyncio.gather(*(one() for _ in range(WORKERS)))
        with psycopg.connect(url.replace("+asyncpg", "")) as conn:
            tables = {r[0] for r in conn.execute("select tablename from pg_tables where schemaname='public'")}
        assert {"checkpoints", "checkpoint_writes", "checkpoint_migrations"} <= tables
    finally:
        drop_pg_database(url)
