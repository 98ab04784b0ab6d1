"""Engine and session factory. Made in the app's lifespan (or a CLI command), never at import."""

from __future__ import annotations

import asyncio
import json
import ssl
import time
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from lgurban.db.pg_connect import DatabaseTLSError, describe_tls_failure, split_url
from lgurban.db.text import clean_json, clean_text, has_bad_chars
from lgurban.settings import Settings


def make_engine(settings: Settings) -> AsyncEngine:
    """An async engine for DATABASE_URL: SQLite in WAL mode with foreign keys, or PostgreSQL via asyncpg."""
    url = settings.resolved_database_url
    # waiting longer than this for a free pooled connection answers 503 instead of queueing for 30 s
    kwargs: dict[str, Any] = {"pool_timeout": settings.db_connect_timeout_s}
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs["pool_size"] = settings.db_pool_size
        kwargs["max_overflow"] = settings.db_pool_size
        # ops (issue 12): libpq's sslrootcert, connect_timeout, … become asyncpg connect_args
        url, connect_args = split_url(url)
        kwargs["connect_args"] = {"timeout": settings.db_connect_timeout_s, **connect_args}
        kwargs["pool_recycle"] = 1800
    # api (issue 17): no write fails on text from a sandbox or a model (NUL, lone surrogates → U+FFFD)
    kwargs["json_serializer"] = _clean_json_dumps
    engine = create_async_engine(url, **kwargs)
    event.listen(engine.sync_engine, "before_cursor_execute", _clean_parameters, retval=True)
    if url.startswith("sqlite"):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        _ping_idle_connections(engine, settings.db_ping_after_idle_s)
        _explain_tls_failures(engine, settings.resolved_database_url)
    return engine


def _explain_tls_failures(engine: AsyncEngine, url: str) -> None:
    """A refused server certificate says which DATABASE_URL parameter to fix (and stays a 503)."""

    @event.listens_for(engine.sync_engine, "do_connect")
    def _connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        try:
            return dialect.connect(*cargs, **cparams)
        except ssl.SSLError as exc:
            raise DatabaseTLSError(describe_tls_failure(exc, url)) from exc


# A server that restarted leaves dead connections in the pool. pool_pre_ping would test every checkout, a
# round trip that doubled the cost of a short request; a connection used in the last DB_PING_AFTER_IDLE_S is
# trusted instead; one that fails anyway gives DATABASE_UNAVAILABLE and makes the pool drop the rest.
def _ping_idle_connections(engine: AsyncEngine, idle_s: float) -> None:
    pool_events = engine.sync_engine.pool

    @event.listens_for(pool_events, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(pool_events, "checkout")
    def _checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        last = record.info.get("checked_in_at")
        if last is not None and time.monotonic() - last < idle_s:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:
            raise DisconnectionError("pooled connection is dead") from exc
        if not alive:
            raise DisconnectionError("pooled connection is dead")


def _clean_json_dumps(value: Any) -> str:
    return json.dumps(clean_json(value))


def _clean_row(row: Any) -> Any:
    if isinstance(row, tuple | list):
        if any(isinstance(v, str) and has_bad_chars(v) for v in row):
            return type(row)(clean_text(v) if isinstance(v, str) else v for v in row)
    elif isinstance(row, dict) and any(isinstance(v, str) and has_bad_chars(v) for v in row.values()):
        return {k: clean_text(v) if isinstance(v, str) else v for k, v in row.items()}
    return row


def _clean_parameters(
    _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, executemany: bool
) -> tuple[str, Any]:
    """The last guard before the driver: text PostgreSQL (NUL) or UTF-8 (lone surrogates) cannot take."""
    if executemany and isinstance(parameters, list):
        return statement, [_clean_row(p) for p in parameters]
    return statement, _clean_row(parameters)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def session_scope(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session that commits on success and rolls back on error."""
    async with sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


T = TypeVar("T")


async def uncancelled(write: Awaitable[T]) -> T:
    """Run a database write to its end even when the caller is cancelled, then let the cancel through.

    A cancel that lands inside a driver call leaves SQLAlchemy's connection to the garbage collector with its
    transaction open: on SQLite its write lock stays until a gc run, and every other writer waits out its busy
    timeout ("database is locked" after 30 s, seen in CI when a run was cancelled during a write).
    """
    task = asyncio.ensure_future(write)
    cancelled = False
    while True:
        try:
            result = await asyncio.shield(task)
            break
        except asyncio.CancelledError:
            if task.done():
                raise  # the write itself was cancelled
            cancelled = True  # the caller was: finish the write first
        except Exception:
            if cancelled:
                raise asyncio.CancelledError from None
            raise
    if cancelled:
        raise asyncio.CancelledError
    return result


def is_connection_failure(exc: BaseException) -> bool:
    """The database is unreachable, stuck or its pool exhausted (503 and retry), not a bad statement."""
    # PoolTimeout: no pooled connection came free within DB_CONNECT_TIMEOUT_S (a stuck or overloaded DB)
    if isinstance(exc, OperationalError | ConnectionError | TimeoutError | PoolTimeout | DisconnectionError):
        return True
    if isinstance(exc, DBAPIError):
        return bool(exc.connection_invalidated) or isinstance(exc.orig, ConnectionError | OSError)
    return isinstance(exc, OSError) and "connect" in str(exc).lower()
