"""Quotas through the API (issue 13): a user whose every sandbox slot is busy gets 429 QUOTA_EXCEEDED at once,
naming the limit; another user's cells run meanwhile; nothing is half-done (no execution recorded)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from lgurban.app import create_app
from tests.conftest import wait_until
from tests.factories import api_client, make_user, post_thread

WAIT_FOR_GO = """
import os, time
open('started', 'w').close()
deadline = time.monotonic() + 60
while not os.path.exists('go') and time.monotonic() < deadline:
    time.sleep(0.05)
'done'
"""


@pytest.fixture
async def app(settings_factory) -> AsyncIterator[FastAPI]:  # type: ignore[no-untyped-def]
    settings = settings_factory(auth_mode="token", sandbox_max_live=8, sandbox_max_per_user=2)
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


def _file(app: FastAPI, thread_id: str, name: str) -> Path:
    path: Path = app.state.resources.workspace(uuid.UUID(thread_id)).resolve(name)
    return path


async def test_a_user_at_her_sandbox_limit_gets_429_and_another_user_does_not(app: FastAPI) -> None:
    sessionmaker = app.state.resources.sessionmaker
    alice = api_client(app, (await make_user(sessionmaker)).token)
    bob = api_client(app, (await make_user(sessionmaker)).token)
    async with alice, bob:
        busy = [(await post_thread(alice, title=f"busy {i}"))["id"] for i in range(2)]
        cells = [
            asyncio.create_task(
                alice.post(f"/api/threads/{t}/execute", json={"code": WAIT_FOR_GO}, timeout=90)
            )
            for t in busy
        ]
        await wait_until(lambda: all(_file(app, t, "started").exists() for t in busy), timeout=60)
        third = (await post_thread(alice, title="third"))["id"]
        r = await alice.post(f"/api/threads/{third}/execute", json={"code": "1 + 1"})
        assert r.status_code == 429, r.text
        error = r.json()["error"]
        assert error["code"] == "QUOTA_EXCEEDED" and "SANDBOX_MAX_PER_USER=2" in error["message"]
        assert (await alice.get(f"/api/threads/{third}/executions")).json()["items"] == []
        theirs = (await post_thread(bob, title="bob"))["id"]
        r = await bob.post(f"/api/threads/{theirs}/execute", json={"code": "6 * 7"})
        assert r.status_code == 200 and r.json()["outputs"][-1]["data"] == "42"
        for t in busy:
            _file(app, t, "go").write_text("")
        for done in await asyncio.gather(*cells):
            assert done.status_code == 200 and done.json()["ok"], done.text
        # a sandbox of hers is idle now: it makes room
        r = await alice.post(f"/api/threads/{third}/execute", json={"code": "1 + 1"})
        assert r.status_code == 200 and r.json()["outputs"][-1]["data"] == "2"
