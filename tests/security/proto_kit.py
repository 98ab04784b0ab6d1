"""What the protocol and download tests share: the app in-process with a real local sandbox, the server's
peak memory, and the prelude hostile cells use to reach the driver's own protocol channel."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from lgurban.app import create_app

# Cell code that finds the driver's protocol channel and the id of the running request through the garbage
# collector, as an attacker would: `raw` writes bytes on the channel, `msg` one protocol message.
FIND_DRIVER = """
import gc, json, os
ch = next(o for o in gc.get_objects() if type(o).__name__ == "Channel" and hasattr(o, "out_fd"))
drv = next(o for o in gc.get_objects() if type(o).__name__ == "Driver" and hasattr(o, "running"))
rid = drv.running
def raw(data):
    with ch.lock:
        view = memoryview(data)
        while view:
            view = view[os.write(ch.out_fd, view):]
def msg(**m):
    raw((json.dumps({"id": rid, "v": 1, **m}) + "\\n").encode())
"""


def _status_kb(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise AssertionError(f"{key} not in /proc/self/status")


class PeakRss:
    """Growth of this process's peak resident memory (VmHWM) over its RSS at entry, in MB.

    The app runs in this process (ASGI in-process), so this is the server's memory."""

    growth_mb: float = 0.0

    def __enter__(self) -> PeakRss:
        self.base_kb = _status_kb("VmRSS")
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
        return self

    def __exit__(self, *exc: object) -> None:
        self.growth_mb = (_status_kb("VmHWM") - self.base_kb) / 1024


@contextlib.asynccontextmanager
async def running_app(settings: Any) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=300) as c:
            yield application, c


class LoopLag:
    """The longest the event loop went without running a 10 ms ticker, while the block ran."""

    def __init__(self) -> None:
        self.max_s = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.01)
            now = time.monotonic()
            self.max_s = max(self.max_s, now - last - 0.01)
            last = now

    async def __aenter__(self) -> LoopLag:
        self._task = asyncio.create_task(self._tick())
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


async def new_thread(client: httpx.AsyncClient) -> str:
    r = await client.post("/api/threads", json={"title": "hostile"})
    assert r.status_code in (200, 201), r.text
    return str(r.json()["id"])


async def execute(client: httpx.AsyncClient, thread_id: str, code: str, **extra: Any) -> httpx.Response:
    return await client.post(f"/api/threads/{thread_id}/execute", json={"code": code, **extra})
