"""GET .../state and the run-attach route use the request's own database connection (issue 18).

They used to take a second pooled connection while the request's first was still held: once every
connection was held by a request waiting for a second one, the pool deadlocked until its timeout and
answered 503 DATABASE_UNAVAILABLE (seen at 32 clients on SQLite in bench/api.py). Both databases."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI

from lgurban.app import create_app
from tests.factories import api_client, post_thread

CONCURRENT = 40  # more than SQLite's pool (5 + 10 overflow) and PostgreSQL's here (1 + 1)
# The pool wait: long enough that 40 requests served two at a time on a loaded CI machine all get a connection
# (1 s made it flaky there), while a deadlock still ends every request waiting for a second one in a 503.
POOL_WAIT_S = 20.0


@pytest.fixture
async def small_pool_app(settings_factory) -> AsyncIterator[FastAPI]:  # type: ignore[no-untyped-def]
    application = create_app(settings_factory(db_pool_size=1, db_connect_timeout_s=POOL_WAIT_S))
    async with application.router.lifespan_context(application):
        yield application


async def test_many_concurrent_state_reads_all_answer(small_pool_app: FastAPI) -> None:
    async with api_client(small_pool_app) as client:
        thread = (await post_thread(client, title="state"))["id"]
        paths = [f"/api/threads/{thread}/state", f"/api/threads/{thread}/runs/active/events"]
        answers = await asyncio.gather(*(client.get(paths[i % 2]) for i in range(CONCURRENT)))
    states = answers[0::2]
    assert [r.status_code for r in states] == [200] * len(states), states[0].text
    assert states[0].json() == {
        "context": {
            "tokens_used": 0,
            "context_window": small_pool_app.state.resources.settings.llm_context_window,
        },
        "running": False,
        "run_id": None,
        "approval": None,  # no report draft waits (issue 15)
    }
    assert [r.status_code for r in answers[1::2]] == [204] * len(states)  # no run: nothing to attach to
