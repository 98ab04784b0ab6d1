"""Issue 17, finding 8a: SANDBOX_MAX_LIVE held exactly under concurrency (45 live had been seen with 32).

Twelve threads send their first cell at once against a cap of 4: never more than 4 sandboxes exist (the
manager's count and the processes on the machine, sampled all along), the others wait for a slot (an idle
sandbox is evicted, least recently used first) and every cell answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from pathlib import Path

import psutil

from lgurban.errors import SandboxUnavailable
from lgurban.sandbox.local import LocalBackend
from lgurban.sandbox.manager import SandboxManager
from tests.conftest import wait_until
from tests.sandbox.conftest import local_backend, sandbox_processes, sandbox_settings

CAP = 4


def _live_sandboxes(backend: LocalBackend) -> int:
    """Sandboxes with a running process (each has its own uid on a root host); the dead are not counted."""
    uids = set()
    for p in sandbox_processes(backend):
        with contextlib.suppress(psutil.Error):
            if p.status() != psutil.STATUS_ZOMBIE:
                uids.add(p.info["uids"].real)
    return len(uids)


async def test_the_cap_holds_when_many_first_cells_arrive_at_once(tmp_path: Path) -> None:
    settings = sandbox_settings(tmp_path, sandbox_max_live=CAP, sandbox_transport_timeout_s=60)
    backend = local_backend(settings, user_namespace=False)  # one uid per sandbox: countable from outside
    manager = SandboxManager(settings, backend)
    await manager.start()
    peak = {"manager": 0, "processes": 0}
    stop = asyncio.Event()

    async def sample() -> None:
        while not stop.is_set():
            peak["manager"] = max(peak["manager"], manager.live_count())
            peak["processes"] = max(peak["processes"], _live_sandboxes(backend))
            await asyncio.sleep(0.01)

    sampler = asyncio.create_task(sample())
    try:
        threads = [uuid.uuid4() for _ in range(3 * CAP)]
        cells = [manager.execute(t, f"import time\ntime.sleep(0.3)\n{i}") for i, t in enumerate(threads)]
        results = await asyncio.gather(*cells)
        assert [r.outputs[-1].data for r in results] == [str(i) for i in range(len(threads))]
        assert manager.live_count() <= CAP
    finally:
        stop.set()
        await sampler
        await manager.close()
    assert peak["manager"] <= CAP and peak["processes"] <= CAP, peak
    assert peak["processes"] == CAP  # the sampler did see the sandboxes


async def test_a_full_house_of_busy_sandboxes_waits_then_says_so(tmp_path: Path) -> None:
    settings = sandbox_settings(tmp_path, sandbox_max_live=1, sandbox_transport_timeout_s=1)
    manager = SandboxManager(settings, local_backend(settings))
    await manager.start()
    try:
        first = uuid.uuid4()
        busy = asyncio.create_task(manager.execute(first, "import time\ntime.sleep(8)"))
        await wait_until(lambda: manager.live_count() == 1, timeout=30)
        try:
            await manager.execute(uuid.uuid4(), "1")
            raise AssertionError("a second sandbox started over the cap")
        except SandboxUnavailable as exc:
            assert "SANDBOX_MAX_LIVE" in str(exc)
        await manager.interrupt(first)
        await busy
        assert (await manager.execute(uuid.uuid4(), "2")).ok  # the idle one makes room
    finally:
        await manager.close()
