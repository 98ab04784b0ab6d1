"""A database that goes away: health 503, API 503 DATABASE_UNAVAILABLE, and recovery without a restart.

The app talks to PostgreSQL through a small TCP proxy that the test stops (closing every open connection)
and starts again on the same port, the way a database restart or a network cut looks from the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from lgurban.app import create_app
from lgurban.db.migrate import upgrade
from lgurban.settings import Settings
from tests.conftest import free_port, wait_until
from tests.factories import api_client, post_thread

PG_HOST, PG_PORT = "127.0.0.1", 5432


class TcpProxy:
    """Forwards 127.0.0.1:<port> to PostgreSQL; `stop()` drops every connection, `start()` listens again.

    In `hang` mode it accepts connections and never answers (a database that is there but stuck).
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.hang = False
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port, reuse_address=True)

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for w in list(self._writers):
            w.transport.abort()
        for t in list(self._tasks):
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()
        self._server = None

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # type: ignore[arg-type]
        self._writers.add(client_w)
        try:
            if self.hang:
                await asyncio.Event().wait()
            server_r, server_w = await asyncio.open_connection(PG_HOST, PG_PORT)
            self._writers.add(server_w)
            await asyncio.gather(self._pipe(client_r, server_w), self._pipe(server_r, client_w))
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            for w in (client_w, locals().get("server_w")):
                if w is not None:
                    self._writers.discard(w)
                    w.transport.abort()
            self._tasks.discard(task)  # type: ignore[arg-type]

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.transport.abort()


@pytest.fixture
async def proxy() -> AsyncIterator[TcpProxy]:
    p = TcpProxy(free_port())
    await p.start()
    yield p
    if p._server is not None:
        await p.stop()


@pytest.fixture
def migrated_pg(pg_database: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    upgrade(Settings(environment="test", database_url=pg_database, data_dir=tmp_path_factory.mktemp("m")))
    return pg_database


@pytest.fixture
async def proxied_client(migrated_pg: str, proxy: TcpProxy, tmp_path) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    dbname = migrated_pg.rpartition("/")[2]
    url = f"postgresql://postgres@127.0.0.1:{proxy.port}/{dbname}"
    settings = Settings(
        environment="test",
        data_dir=tmp_path / "data",
        database_url=url,
        db_connect_timeout_s=0.5,
        _env_file=None,
    )  # type: ignore[call-arg]
    app: FastAPI = create_app(settings)
    async with app.router.lifespan_context(app):
        async with api_client(app) as c:
            yield c


def _assert_db_unavailable(r: httpx.Response) -> None:
    assert r.status_code == 503, r.text
    assert r.json() == {
        "error": {"code": "DATABASE_UNAVAILABLE", "message": "The database is not answering; retry shortly."}
    }


async def _assert_all_down(client: httpx.AsyncClient, thread_id: str) -> None:
    health = await client.get("/api/health")
    assert health.status_code == 503
    assert health.json()["status"] == "degraded"
    assert health.json()["checks"]["db"].startswith("unavailable")
    assert "postgres" not in health.text  # no URL, no credentials in the reason
    _assert_db_unavailable(await client.get("/api/threads"))
    _assert_db_unavailable(await client.get(f"/api/threads/{thread_id}"))
    _assert_db_unavailable(await client.post("/api/threads", json={"title": "while down"}))
    _assert_db_unavailable(await client.patch(f"/api/threads/{thread_id}", json={"title": "while down"}))


async def _assert_recovered(client: httpx.AsyncClient, thread_id: str) -> None:
    async def healthy() -> bool:  # pools reconnect with a backoff of their own: a few seconds at most
        return (await client.get("/api/health")).status_code == 200

    await wait_until(healthy, timeout=15)
    r = await client.get(f"/api/threads/{thread_id}")
    assert r.status_code == 200, r.text
    assert r.json()["title"] == "before"
    assert (await client.post("/api/threads", json={"title": "after"})).status_code == 201


async def test_database_stops_and_comes_back(proxied_client, proxy, caplog) -> None:  # type: ignore[no-untyped-def]
    client = proxied_client
    assert (await client.get("/api/health")).json()["checks"]["db"] == "ok"
    thread_id = (await post_thread(client, title="before"))["id"]

    await proxy.stop()  # pooled connections are cut, new ones refused
    with caplog.at_level(logging.WARNING):
        await _assert_all_down(client, thread_id)
    assert not [r for r in caplog.records if r.exc_info], "a connection failure is not an unhandled error"

    await proxy.start()
    await _assert_recovered(client, thread_id)


async def test_database_that_hangs_times_out_as_unavailable(proxied_client, proxy) -> None:  # type: ignore[no-untyped-def]
    client = proxied_client
    thread_id = (await post_thread(client, title="before"))["id"]
    await proxy.stop()
    proxy.hang = True
    await proxy.start()
    loop = asyncio.get_running_loop()
    started = loop.time()
    _assert_db_unavailable(await client.get("/api/threads"))
    assert loop.time() - started < 5  # bounded by DB_CONNECT_TIMEOUT_S, not forever
    assert (await client.get("/api/health")).status_code == 503

    await proxy.stop()
    proxy.hang = False
    await proxy.start()
    await _assert_recovered(client, thread_id)


async def test_a_connection_cut_mid_session_counts_as_unavailable(migrated_pg, proxy) -> None:  # type: ignore[no-untyped-def]
    """What asyncpg/SQLAlchemy raise when a checked-out connection dies is mapped to 503, not 500."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from lgurban.api.errors import _is_connection_failure
    from lgurban.db.session import make_engine

    dbname = migrated_pg.rpartition("/")[2]
    engine = make_engine(
        Settings(
            environment="test",
            database_url=f"postgresql://postgres@127.0.0.1:{proxy.port}/{dbname}",
            _env_file=None,
        )  # type: ignore[call-arg]
    )
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            await proxy.stop()
            with pytest.raises(DBAPIError) as caught:
                await conn.execute(text("SELECT 1"))
        assert _is_connection_failure(caught.value), repr(caught.value)
    finally:
        await engine.dispose()


async def _client_for(settings: Settings) -> tuple[FastAPI, httpx.AsyncClient]:
    app = create_app(settings)
    return app, api_client(app)


@pytest.mark.parametrize(("ping_after_idle_s", "first_after_restart"), [(0.0, 200), (3600.0, 503)])
async def test_restart_while_idle(  # type: ignore[no-untyped-def]
    migrated_pg, proxy, tmp_path, ping_after_idle_s: float, first_after_restart: int
) -> None:
    """An idle pooled connection is tested before use; a recently used one is trusted, and if the server
    restarted in between, that one request fails with 503 and the pool heals for the next."""
    dbname = migrated_pg.rpartition("/")[2]
    settings = Settings(
        environment="test",
        data_dir=tmp_path / "data",
        database_url=f"postgresql://postgres@127.0.0.1:{proxy.port}/{dbname}",
        db_ping_after_idle_s=ping_after_idle_s,
        _env_file=None,
    )  # type: ignore[call-arg]
    app, client = await _client_for(settings)
    async with app.router.lifespan_context(app), client:
        assert (await client.get("/api/threads")).status_code == 200
        await proxy.stop()  # no request while it is down
        await proxy.start()
        first = await client.get("/api/threads")
        assert first.status_code == first_after_restart, first.text
        if first.status_code == 503:
            assert first.json()["error"]["code"] == "DATABASE_UNAVAILABLE"
        assert (await client.get("/api/threads")).status_code == 200


async def test_a_busy_pool_answers_503_quickly_and_recovers(migrated_pg, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """All pooled connections held (a stuck database): 503 after DB_CONNECT_TIMEOUT_S, not 500 after 30 s."""
    settings = Settings(
        environment="test",
        data_dir=tmp_path / "data",
        database_url=migrated_pg,
        db_pool_size=1,  # one connection plus one overflow
        db_connect_timeout_s=0.3,
        _env_file=None,
    )  # type: ignore[call-arg]
    app, client = await _client_for(settings)
    async with app.router.lifespan_context(app), client:
        assert (await client.get("/api/threads")).status_code == 200
        engine = app.state.resources.engine
        held = [await engine.connect(), await engine.connect()]
        try:
            loop = asyncio.get_running_loop()
            started = loop.time()
            _assert_db_unavailable(await client.get("/api/threads"))
            assert loop.time() - started < 3
        finally:
            for conn in held:
                await conn.close()
        assert (await client.get("/api/threads")).status_code == 200
