"""Issue 14, the Notebook panel: `/execute` with `Accept: text/event-stream` streams the cell's output."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from lgurban.app import create_app
from tests.factories import api_client, make_user

SSE = {"Accept": "text/event-stream"}
# prints, then waits for a file the test writes (through the upload API) once it has seen the first chunk
WAITS = (
    "import os, time\n"
    "x = 41\n"
    "print('first', flush=True)\n"
    "while not os.path.exists('go'):\n"
    "    time.sleep(0.02)\n"
    "print('second')\n"
    "x + 1"
)


async def _frames(resp: httpx.Response) -> AsyncIterator[tuple[str, Any]]:
    """(event, data) of each SSE frame of a streamed response, as they arrive."""
    event, data = "", list[str]()
    async for line in resp.aiter_lines():
        if line == "":
            if event:
                yield event, json.loads("\n".join(data))
            event, data = "", list[str]()
        elif line.startswith("event: "):
            event = line[len("event: ") :]
        elif line.startswith("data: "):
            data.append(line[len("data: ") :])


async def test_output_arrives_while_the_cell_runs(live_server: Any) -> None:
    async with httpx.AsyncClient(base_url=live_server.url, timeout=60) as c:
        thread = (await c.post("/api/threads", json={})).json()["id"]
        seen: list[tuple[str, Any]] = []
        url = f"/api/threads/{thread}/execute"
        async with c.stream("POST", url, json={"code": WAITS}, headers=SSE) as resp:
            assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/event-stream")
            async for event, data in _frames(resp):
                seen.append((event, data))
                if event == "output" and "first" in data["text"] and len(seen) == 1:
                    # the cell is still waiting for `go`: this chunk came before its end
                    up = await c.post(
                        f"/api/threads/{thread}/files", files={"file": ("go", b"")}, data={"path": "go"}
                    )
                    assert up.status_code == 201, up.text
        events = [e for e, _ in seen]
        assert events[0] == "output" and events[-1] == "result" and events.count("result") == 1, events
        assert set(events[:-1]) == {"output"}
        result = seen[-1][1]
        assert result["ok"] and result["stdout"] == "first\nsecond\n", result
        assert result["outputs"][0]["data"] == "42" and result["execution_count"] == 1
        assert "".join(d["text"] for e, d in seen if e == "output") == result["stdout"]
        assert all(d["stream"] == "stdout" for e, d in seen if e == "output")
        # the plain JSON form is unchanged, and the streamed cell was recorded like any other
        r = await c.post(url, json={"code": "x"})
        assert r.status_code == 200 and r.json()["outputs"][0]["data"] == "41", r.text
        items = (await c.get(f"/api/threads/{thread}/executions")).json()["items"]
        assert items[0]["id"] == result["id"]


async def test_a_closed_stream_interrupts_its_cell_and_the_stream_is_capped(
    live_server_factory: Any, settings_factory: Any
) -> None:
    server = live_server_factory(settings_factory(sandbox_output_limit_bytes=4096))
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as c:
        thread = (await c.post("/api/threads", json={})).json()["id"]
        url = f"/api/threads/{thread}/execute"
        long_cell = "y = 7\nprint('started', flush=True)\nimport time\ntime.sleep(40)"
        async with c.stream("POST", url, json={"code": long_cell}, headers=SSE) as resp:
            async for event, data in _frames(resp):
                assert event == "output" and "started" in data["text"]
                break  # the user presses Interrupt: the connection closes
        started = time.monotonic()
        r = await c.post(url, json={"code": "y * 6"})
        assert r.status_code == 200 and r.json()["outputs"][0]["data"] == "42", r.text  # variables kept
        assert time.monotonic() - started < 4.0

        chatty = "import time\nwhile True:\n    print('z', flush=True)\n    time.sleep(0.005)"
        async with c.stream("POST", url, json={"code": chatty}, headers=SSE) as resp:
            async for event, _ in _frames(resp):
                assert event == "output"
                break  # closed while the cell keeps printing
        started = time.monotonic()
        r = await c.post(url, json={"code": "y"})
        assert r.status_code == 200 and r.json()["outputs"][0]["data"] == "7", r.text
        assert time.monotonic() - started < 4.0

        flood = "for i in range(2000):\n    print('line %04d' % i)"
        async with c.stream("POST", url, json={"code": flood}, headers=SSE) as resp:
            seen = [f async for f in _frames(resp)]
        streamed = "".join(d["text"] for e, d in seen if e == "output")
        result = seen[-1][1]
        assert seen[-1][0] == "result" and len(streamed.encode()) <= 4096, len(streamed)
        assert streamed.startswith("line 0000\n") and result["stdout"].startswith(streamed)
        assert "bytes truncated]" in result["stdout"][len(streamed) :], result["stdout"][-200:]


@pytest.fixture
async def token_app(settings_factory: Any) -> AsyncIterator[FastAPI]:
    application = create_app(settings_factory(auth_mode="token"))
    async with application.router.lifespan_context(application):
        yield application


async def test_bad_input_and_other_users_threads(token_app: FastAPI) -> None:
    alice_user = await make_user(token_app.state.resources.sessionmaker)
    bob_user = await make_user(token_app.state.resources.sessionmaker)
    async with api_client(token_app, alice_user.token) as alice, api_client(token_app, bob_user.token) as bob:
        thread = (await alice.post("/api/threads", json={})).json()["id"]
        url = f"/api/threads/{thread}/execute"
        for bad in ({"code": 1}, {"code": "1", "timeout_s": -1}, {"code": "1", "extra": True}, {}):
            r = await alice.post(url, json=bad, headers=SSE)
            assert r.status_code == 422 and r.json()["error"]["code"] == "VALIDATION_ERROR", (bad, r.text)
        r = await bob.post(url, json={"code": "1"}, headers=SSE)
        assert r.status_code == 404 and r.json()["error"]["code"] == "THREAD_NOT_FOUND", r.text
        r = await alice.post(f"/api/threads/{uuid.uuid4()}/execute", json={"code": "1"}, headers=SSE)
        assert r.status_code == 404, r.text
        spec = (await alice.get("/openapi.json")).json()
        ok = spec["paths"]["/api/threads/{thread_id}/execute"]["post"]["responses"]["200"]["content"]
        assert set(ok) == {"application/json", "text/event-stream"}
        assert "output" in ok["text/event-stream"]["schema"]["description"]
