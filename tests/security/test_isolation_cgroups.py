"""Findings 5, 6 and 8: each sandbox has its own memory, pids and CPU cgroup; processes left busy after a
cell are stopped after a grace period; a fork bomb leaves no zombie behind."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import psutil
import pytest

from lgurban.sandbox.local import LocalBackend, LocalProcess
from lgurban.sandbox.manager import SandboxManager
from tests.conftest import wait_until
from tests.sandbox.conftest import local_backend, sandbox_processes, sandbox_settings

MEMORY_MB = 256


@pytest.fixture(scope="module")
async def small(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[SandboxManager]:
    settings = sandbox_settings(
        tmp_path_factory.mktemp("cg"),
        sandbox_memory_mb=MEMORY_MB,
        sandbox_background_grace_s=1.0,
        sandbox_exec_timeout_s=20,
    )
    m = SandboxManager(settings, local_backend(settings))
    await m.start()
    yield m
    await m.close()


FOUR_CHILDREN = (
    "import os, time\n"
    "pids = []\n"
    "for _ in range(4):\n"
    "    pid = os.fork()\n"
    "    if pid == 0:\n"
    f"        block = b'x' * int(0.6 * {MEMORY_MB} * 2**20)  # written, so resident\n"
    "        time.sleep(2)\n"
    "        os._exit(0)\n"
    "    pids.append(pid)\n"
    "codes = [os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in pids]\n"
    "print(codes)\n"
)


async def test_memory_limit_holds_for_all_processes_of_a_sandbox(small: SandboxManager) -> None:
    other, hog = uuid.uuid4(), uuid.uuid4()
    assert (await small.execute(other, "kept = 'still here'")).ok
    res = await small.execute(hog, FOUR_CHILDREN)
    # 4 × 0.6 × the limit cannot all live at once: some were OOM-killed (or the whole sandbox was)
    survived = res.stdout.count("0") if res.ok else 0
    assert res.ok is False or "-9" in res.stdout, res.stdout
    assert survived < 4
    res = await small.execute(other, "kept")
    assert res.ok and res.outputs[0].data == "'still here'"


def _procs(backend: LocalBackend) -> list[psutil.Process]:
    return sandbox_processes(backend)


async def test_background_work_is_stopped_after_the_grace(small: SandboxManager) -> None:
    tid = uuid.uuid4()
    code = (
        "import os, threading\n"
        "def spin():\n"
        "    while True:\n"
        "        pass\n"
        "threading.Thread(target=spin, daemon=True).start()\n"
        "if os.fork() == 0:\n"
        "    spin()\n"
        "'started'"
    )
    res = await small.execute(tid, code)
    assert res.ok, res.error
    backend = small.backend
    assert isinstance(backend, LocalBackend)

    def cpu() -> float:
        total = 0.0
        for p in _procs(backend):
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
        return total

    await wait_until(lambda: _stopped(backend), timeout=15)
    before = cpu()
    await asyncio.sleep(1.5)
    assert cpu() - before < 0.1  # nothing runs between cells any more
    res = await small.execute(tid, "'next'")
    assert res.ok and any("background" in n for n in res.notes), res.notes


def _stopped(backend: LocalBackend) -> bool:
    return any(Path(p).read_text().strip() == "FROZEN" for p in _freezer_states(backend))


def _freezer_states(backend: LocalBackend) -> list[str]:
    return [str(p) for cg in backend.cgroups for p in cg.glob("*/freezer.state")]


async def test_fork_bomb_leaves_no_zombies(small: SandboxManager) -> None:
    tid = uuid.uuid4()
    res = await small.execute(tid, "import os\nwhile True:\n    os.fork()", timeout_s=5)
    assert not res.ok
    res = await small.execute(tid, "'alive'")
    assert res.ok, res.error
    backend = small.backend
    assert isinstance(backend, LocalBackend)

    proc = small._live[tid].proc
    assert isinstance(proc, LocalProcess)
    pids_cg = next(cg for cg in proc.cgroups if cg.parent.parent.name == "pids")

    def members() -> list[psutil.Process]:
        return [psutil.Process(int(p)) for p in (pids_cg / "cgroup.procs").read_text().split()]

    def settled() -> bool:
        try:
            ps = members()
            return len(ps) <= 3 and all(p.status() != psutil.STATUS_ZOMBIE for p in ps)
        except psutil.Error:
            return False

    # after the grace the leftovers are killed and reaped: only C (outside), pid 1 and the driver remain
    await wait_until(settled, timeout=15)
