"""Issue 14, "Fails today": a cell whose caller went away, and a cell whose thread was deleted under it."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
from fastapi import FastAPI

from tests.conftest import wait_until

SLEEP = "import time\ntime.sleep(40)"


def _running(app: FastAPI, thread_id: str) -> bool:
    live = app.state.resources.sandboxes._live.get(uuid.UUID(thread_id))
    return live is not None and live.running is not None


async def test_a_closed_execute_connection_interrupts_its_cell(live_server: Any) -> None:
    """Regression: a 40 s sleep abandoned after 3 s held the thread: the next `1 + 1` answered after 44 s."""
    app: FastAPI = live_server.server.config.app
    async with httpx.AsyncClient(base_url=live_server.url, timeout=60) as c:
        thread = (await c.post("/api/threads", json={})).json()["id"]
        assert (await c.post(f"/api/threads/{thread}/execute", json={"code": "x = 41"})).json()["ok"]
        async with httpx.AsyncClient(base_url=live_server.url, timeout=60) as doomed:
            cell = asyncio.create_task(doomed.post(f"/api/threads/{thread}/execute", json={"code": SLEEP}))
            await wait_until(lambda: _running(app, thread), timeout=30)
            await asyncio.sleep(1.0)  # the ~1 s a user waits before giving up (not a wait for an effect)
            cell.cancel()  # closes that connection
        started = time.monotonic()
        r = await c.post(f"/api/threads/{thread}/execute", json={"code": "x + 1"})
        took = time.monotonic() - started
        assert r.status_code == 200 and r.json()["outputs"][0]["data"] == "42", r.text  # variables kept
        assert took < 4.0, f"the next cell waited {took:.1f} s for the abandoned one"


async def test_deleting_the_thread_during_a_cell_answers_that_cell(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """Regression: the in-flight /execute answered 500 (a foreign-key error while recording the cell)."""
    thread = (await client.post("/api/threads", json={})).json()["id"]
    cell = asyncio.create_task(client.post(f"/api/threads/{thread}/execute", json={"code": SLEEP}))
    await wait_until(lambda: _running(app, thread), timeout=30)
    assert (await client.delete(f"/api/threads/{thread}")).status_code == 204
    started = time.monotonic()
    r = await asyncio.wait_for(cell, 10)
    assert time.monotonic() - started < 5.0
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is False and body["error"]["name"] == "SandboxStopped", body
    assert "stopped" in body["error"]["value"] and "deleted" in body["error"]["value"], body
    assert (await client.get(f"/api/threads/{thread}")).status_code == 404
