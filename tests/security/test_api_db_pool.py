"""Finding 3 of issue 17: long cells hold no database connection, so they cannot starve other requests;
a cell that finished while the database was away is recorded when it is back, and answered.

Real sandboxes (bubblewrap), both databases; the cells wait on a file the test writes into their
workspace, so "all of them are running now" is known, not guessed."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from lgurban.app import create_app
from lgurban.settings import Settings
from tests.api.test_database_down import TcpProxy, migrated_pg, proxy  # noqa: F401 (fixtures)
from tests.conftest import wait_until
from tests.factories import api_client, make_user, post_thread

CELLS = 24
# waits (at most 60 s) for the test to write `go` into the workspace, after saying it started
CELL = """
import os, time
open('started', 'w').close()
deadline = time.monotonic() + 60
while not os.path.exists('go') and time.monotonic() < deadline:
    time.sleep(0.05)
print('done')
"""
SANDBOX = {
    "sandbox_exec_timeout_s": 90,
    "sandbox_memory_mb": 400,
    "sandbox_max_live": CELLS + 4,
    "sandbox_max_per_user": 0,  # one user's 24 cells at once: this test is about the pool, not quotas
    "sandbox_max_processes": 32,
    "db_connect_timeout_s": 2.0,
}


def _workspace_file(app: FastAPI, thread_id: str, name: str) -> Path:
    path: Path = app.state.resources.workspace(uuid.UUID(thread_id)).resolve(name)
    return path


async def _start_cells(app: FastAPI, client: httpx.AsyncClient) -> tuple[list[str], list[Any]]:
    threads = [(await post_thread(client, title=f"long {i}"))["id"] for i in range(CELLS)]
    tasks = [
        asyncio.create_task(client.post(f"/api/threads/{t}/execute", json={"code": CELL}, timeout=120))
        for t in threads
    ]
    await wait_until(
        lambda: (
            all(_workspace_file(app, t, "started").exists() for t in threads) or any(t.done() for t in tasks)
        ),
        timeout=120,
    )
    assert not any(t.done() for t in tasks), [t.result().text for t in tasks if t.done()][:1]
    return threads, tasks


async def _finish(app: FastAPI, threads: list[str], tasks: list[Any]) -> None:
    for t in threads:
        _workspace_file(app, t, "go").write_text("")
    results = await asyncio.gather(*tasks)
    for r in results:
        assert r.status_code == 200, r.text
        assert r.json()["ok"] and r.json()["stdout"] == "done\n"


async def _answers_fast(client: httpx.AsyncClient, path: str) -> None:
    started = time.monotonic()
    r = await client.get(path, timeout=30)
    assert r.status_code == 200, r.text
    assert time.monotonic() - started < 2.0, f"{path} took {time.monotonic() - started:.1f} s"


@pytest.fixture
async def app(settings_factory, request: pytest.FixtureRequest) -> AsyncIterator[FastAPI]:  # type: ignore[no-untyped-def,override]
    application = create_app(settings_factory(auth_mode=request.param, **SANDBOX))
    async with application.router.lifespan_context(application):
        yield application


@pytest.mark.parametrize("app", ["token", "local"], indirect=True)
async def test_long_cells_do_not_hold_the_pool(app: FastAPI) -> None:
    token_mode = app.state.resources.settings.auth_mode == "token"
    sessionmaker = app.state.resources.sessionmaker
    alice = api_client(app, (await make_user(sessionmaker)).token if token_mode else None)
    bob = api_client(app, (await make_user(sessionmaker)).token if token_mode else None)
    async with alice, bob:
        threads, tasks = await _start_cells(app, alice)
        try:
            for _ in range(3):  # every request of another user (the same user in local mode) still answers
                await _answers_fast(bob, "/api/threads")
                await _answers_fast(bob, "/api/health")
                await _answers_fast(alice, f"/api/threads/{threads[0]}/executions")
        finally:
            await _finish(app, threads, tasks)


@pytest.fixture
async def proxied_app(migrated_pg: str, proxy: TcpProxy, tmp_path: Path) -> AsyncIterator[FastAPI]:  # noqa: F811
    dbname = migrated_pg.rpartition("/")[2]
    settings = Settings(
        environment="test",
        data_dir=tmp_path / "data",
        database_url=f"postgresql://postgres@127.0.0.1:{proxy.port}/{dbname}",
        _env_file=None,
        **{**SANDBOX, "db_connect_timeout_s": 0.5},  # type: ignore[arg-type]
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


async def test_a_cell_that_ends_while_the_database_is_away_is_recorded_when_it_is_back(
    proxied_app: FastAPI,
    proxy: TcpProxy,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = proxied_app
    async with api_client(app) as client:
        thread = (await post_thread(client, title="outage"))["id"]
        task = asyncio.create_task(
            client.post(f"/api/threads/{thread}/execute", json={"code": CELL}, timeout=120)
        )
        await wait_until(lambda: _workspace_file(app, thread, "started").exists() or task.done(), timeout=60)
        assert not task.done(), task.result().text
        await proxy.stop()  # the database goes away while the cell runs
        with caplog.at_level(logging.WARNING):
            _workspace_file(app, thread, "go").write_text("")
            await wait_until(lambda: "not recorded yet" in caplog.text or task.done(), timeout=30)
        assert not task.done(), task.result().text
        await proxy.start()
        r = await task
        assert r.status_code == 200, r.text
        assert r.json()["stdout"] == "done\n"
        items = (await client.get(f"/api/threads/{thread}/executions")).json()["items"]
        assert [i["id"] for i in items] == [r.json()["id"]]
