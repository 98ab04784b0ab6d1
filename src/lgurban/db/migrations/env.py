"""Alembic environment: async engine from the URL the caller put in the config attributes."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from lgurban.db.fts import is_fts_object
from lgurban.db.models import Base
from lgurban.db.pg_connect import split_url

config = context.config
target_metadata = Base.metadata


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    """Autogenerate looks past the full-text search objects migrations 0009 and 0010 made by hand."""
    return not (type_ in ("table", "index", "column") and is_fts_object(name))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str) -> None:
    connect_args: dict[str, object] = {}
    if url.startswith("postgresql"):  # ops (issue 12): libpq parameters (sslrootcert, …) → asyncpg
        url, connect_args = split_url(url)
    engine = create_async_engine(url, poolclass=pool.NullPool, connect_args=connect_args)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


def run_migrations_online() -> None:
    url = str(config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url"))
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(_run_async(url))
    else:  # pragma: no cover - called from inside a running loop: run in a helper thread
        import threading

        t = threading.Thread(target=lambda: asyncio.run(_run_async(url)))
        t.start()
        t.join()


run_migrations_online()
