"""LangGraph's checkpointer for the deployment: SQLite next to the app database, or PostgreSQL.

    async with open_checkpointer(settings) as saver:   # tables created (saver.setup()) on entry
        graph = build_graph(..., checkpointer=saver)
        await delete_thread_checkpoints(saver, thread_id)   # thread cleanup

settings.resolved_checkpoint_url is a file path (SQLite: DATA_DIR/checkpoints.sqlite unless
LANGGRAPH_CHECKPOINT_DB_URL says otherwise) or a postgresql:// URL (psycopg, a small connection pool).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver

from lgurban.db.migrate import LOCK_POLL_S, SCHEMA_LOCK_KEY, file_lock
from lgurban.settings import Settings, sqlite_file, to_libpq_url

POOL_MAX_SIZE = 10


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://", "postgresql+"))


@asynccontextmanager
async def open_checkpointer(settings: Settings) -> AsyncIterator[BaseCheckpointSaver[Any]]:
    """The saver for this deployment, its tables set up; closed on exit."""
    url = settings.resolved_checkpoint_url
    if is_postgres_url(url):
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
        from psycopg.rows import dict_row
        from psycopg_pool import AsyncConnectionPool

        pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
            to_libpq_url(url),
            # ops (issue 12): a connection the server dropped (failover, restart) is replaced, not handed out
            check=AsyncConnectionPool.check_connection,
            min_size=1,
            max_size=POOL_MAX_SIZE,
            kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
            open=False,
        )
        await pool.open(wait=True, timeout=max(settings.db_connect_timeout_s, 5.0))
        try:
            pg = AsyncPostgresSaver(pool)
            # replicas starting together on a fresh database: one creates the tables, the others wait
            async with pool.connection() as conn:
                # try-lock polled, not a waiting pg_advisory_lock: see lgurban.db.migrate.schema_lock
                while not await _try_lock(conn):  # noqa: ASYNC110 - polling a database lock
                    await asyncio.sleep(LOCK_POLL_S)
                try:
                    await pg.setup()
                finally:
                    await conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK_KEY,))
            yield pg
        finally:
            await pool.close()
    else:
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

        path = sqlite_file(url)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        async with AsyncSqliteSaver.from_conn_string(path) as lite:
            if path == ":memory:":
                await lite.setup()
            else:
                with file_lock(Path(path + ".lock")):  # several processes on one file: one sets it up
                    await lite.setup()
            yield lite


async def _try_lock(conn: Any) -> bool:
    row = await (
        await conn.execute("SELECT pg_try_advisory_lock(%s) AS taken", (SCHEMA_LOCK_KEY,))
    ).fetchone()
    return bool(row["taken"])


async def delete_thread_checkpoints(saver: BaseCheckpointSaver[Any], thread_id: uuid.UUID | str) -> None:
    """Drop every checkpoint (and pending write) of the thread."""
    await saver.adelete_thread(str(thread_id))


async def check(saver: BaseCheckpointSaver[Any]) -> str:
    """Health: "ok" when the saver answers a read."""
    try:
        await saver.aget_tuple({"configurable": {"thread_id": "health-check", "checkpoint_ns": ""}})
    except Exception as exc:  # reported on /api/health, not raised
        return f"checkpointer: {type(exc).__name__}: {exc}"[:200]
    return "ok"
