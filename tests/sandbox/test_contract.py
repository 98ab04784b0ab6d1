"""The sandbox `Backend` contract (lgurban/sandbox/backend.py), run through the session manager against every
implementation: the local backend (bubblewrap + fork server) and the Modal backend on its fake transport.

What only one backend does (fork-server death, isolation probing, Modal's Volume and SDK calls) stays in
test_manager.py, test_hostile.py and test_modal_backend.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from lgurban.errors import FileNotFoundInWorkspace
from lgurban.sandbox.backend import Backend, SandboxProcess
from lgurban.sandbox.local import LocalProcess
from lgurban.sandbox.manager import SandboxManager
from lgurban.sandbox.modal_backend import ModalBackend, ModalProcess
from lgurban.sandbox.types import StreamChunk
from tests.conftest import wait_until
from tests.fakes.modal_fake import FakeModal
from tests.sandbox.conftest import local_backend, sandbox_processes, sandbox_settings

BACKENDS = ["local", "modal"]


@dataclass
class Kit:
    """One backend under test, with what the contract needs to see from outside it."""

    manager: SandboxManager
    live_sandboxes: Callable[[], int]  # sandboxes of this backend whose processes still run
    stop_from_outside: Callable[[SandboxProcess], Awaitable[None]]  # the platform ends one (OOM, timeout)
    spawned: list[uuid.UUID] = field(default_factory=list)  # every Backend.spawn call, in order

    def spawns(self, thread_id: uuid.UUID) -> int:
        return self.spawned.count(thread_id)


def _count_spawns(backend: Backend, spawned: list[uuid.UUID]) -> None:
    original = backend.spawn

    async def spawn(thread_id: uuid.UUID) -> SandboxProcess:
        spawned.append(thread_id)
        return await original(thread_id)

    backend.spawn = spawn  # type: ignore[method-assign]


def _local_kit(root: Path) -> Kit:
    settings = sandbox_settings(root)
    backend = local_backend(settings, user_namespace=False)  # own uid per sandbox: countable from outside

    def live() -> int:
        return len({p.info["uids"].real for p in sandbox_processes(backend)})

    async def stop(proc: SandboxProcess) -> None:
        assert isinstance(proc, LocalProcess)
        await backend.kill_pid(proc.pid)  # behind the manager's back, as the kernel's OOM killer would

    return Kit(SandboxManager(settings, backend), live, stop)


def _modal_kit(root: Path) -> Kit:
    fake = FakeModal(root / "modal")
    settings = sandbox_settings(root / "data", sandbox_backend="modal", sandbox_exec_timeout_s=20)

    def live() -> int:
        return sum(1 for sb in fake.sandboxes if sb.returncode is None or not sb.stopped.is_set())

    async def stop(proc: SandboxProcess) -> None:
        assert isinstance(proc, ModalProcess)
        [sandbox] = [sb for sb in fake.sandboxes if f"modal:{sb.object_id}" == proc.external_id]
        sandbox.expire()  # what Modal does at the sandbox's timeout or memory limit

    return Kit(SandboxManager(settings, ModalBackend(settings, sdk=fake)), live, stop)


@contextlib.asynccontextmanager
async def started(kind: str, root: Path) -> AsyncIterator[Kit]:
    kit = _local_kit(root) if kind == "local" else _modal_kit(root)
    _count_spawns(kit.manager.backend, kit.spawned)
    await kit.manager.start()
    try:
        yield kit
    finally:
        await kit.manager.close()


@pytest.fixture(scope="module", params=BACKENDS)
async def kit(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Kit]:
    """One backend for the module (the local fork server is warmed once); each test uses new threads."""
    async with started(request.param, tmp_path_factory.mktemp(request.param)) as k:
        yield k


@pytest.fixture
async def tid(kit: Kit) -> AsyncIterator[uuid.UUID]:
    """A new thread; its sandbox and workspace are removed afterwards (the kit outlives the test)."""
    thread_id = uuid.uuid4()
    yield thread_id
    await kit.manager.remove(thread_id)


async def test_state_persists_in_one_sandbox_per_thread(kit: Kit, tid: uuid.UUID) -> None:
    first = await kit.manager.execute(tid, "x = 41\nprint('set')")
    assert first.ok and first.stdout == "set\n"
    second = await kit.manager.execute(tid, "x + 1")
    assert second.ok, second.error
    assert [(o.mime, o.data) for o in second.outputs] == [("text/plain", "42")]
    assert kit.spawns(tid) == 1  # the thread's sandbox is reused


async def test_execution_count_and_the_cells_value(kit: Kit, tid: uuid.UUID) -> None:
    first = await kit.manager.execute(tid, "import matplotlib.pyplot as plt\nplt.plot([1, 2])\n'value'")
    assert first.ok, first.error
    assert [(o.mime, o.bundle, o.is_result) for o in first.outputs] == [
        ("text/plain", 0, True),  # the last expression is the cell's value
        ("image/png", 1, False),  # a figure is shown, not returned
        ("text/plain", 1, False),  # with its text, as the inline backend shows it
    ]
    second = await kit.manager.execute(tid, "y = 1")
    assert first.execution_count is not None and second.execution_count == first.execution_count + 1
    assert second.outputs == []
    await kit.manager.restart(tid)
    assert (await kit.manager.execute(tid, "1")).execution_count == 1  # a fresh interpreter counts again


async def test_output_streams_while_the_cell_runs(kit: Kit, tid: uuid.UUID) -> None:
    chunks: list[StreamChunk] = []

    async def on_output(chunk: StreamChunk) -> None:
        chunks.append(chunk)

    code = (
        "import sys, time\nfor i in range(3):\n    print(i, flush=True); time.sleep(0.15)\n"
        "print('e', file=sys.stderr)"
    )
    result = await kit.manager.execute(tid, code, on_output=on_output)
    assert result.ok and result.stdout == "0\n1\n2\n" and result.stderr == "e\n"
    assert len([c for c in chunks if c.stream == "stdout"]) >= 2  # streamed, not one block at the end
    assert "".join(c.text for c in chunks if c.stream == "stdout") == "0\n1\n2\n"


async def test_interrupt_keeps_variables(kit: Kit, tid: uuid.UUID) -> None:
    assert (await kit.manager.execute(tid, "kept = 5")).ok
    first = asyncio.Event()

    async def on_output(chunk: StreamChunk) -> None:
        first.set()

    code = "import time\nprint('start', flush=True)\nfor i in range(600):\n    time.sleep(0.05)"
    task = asyncio.create_task(kit.manager.execute(tid, code, on_output=on_output))
    await asyncio.wait_for(first.wait(), 10)  # output arrives while the cell still runs
    assert not task.done()
    await kit.manager.interrupt(tid)
    res = await asyncio.wait_for(task, 10)
    assert res.error is not None and res.error.name == "KeyboardInterrupt" and res.stdout == "start\n"
    res = await kit.manager.execute(tid, "kept")
    assert res.ok and res.outputs[0].data == "5" and res.notes == []


async def test_cancelling_the_caller_interrupts_the_cell(kit: Kit, tid: uuid.UUID) -> None:
    await kit.manager.execute(tid, "kept = 5")
    task = asyncio.create_task(kit.manager.execute(tid, "import time\ntime.sleep(60)"))
    await asyncio.sleep(0.5)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    started_at = time.monotonic()
    res = await kit.manager.execute(tid, "kept")  # would wait out the 60 s sleep had the cell not stopped
    assert res.ok and res.outputs[0].data == "5"
    assert time.monotonic() - started_at < 5


async def test_timeout_interrupts_and_keeps_variables(kit: Kit, tid: uuid.UUID) -> None:
    assert (await kit.manager.execute(tid, "kept = 'still here'")).ok
    stuck = await kit.manager.execute(tid, "while True:\n    pass", timeout_s=1)
    assert not stuck.ok and stuck.error is not None and stuck.error.name == "TimeoutError"
    assert "interrupted" in stuck.error.value and "variables from earlier cells are kept" in stuck.error.value
    assert (await kit.manager.execute(tid, "kept")).outputs[0].data == "'still here'"


async def test_ignored_interrupt_replaces_the_sandbox_and_keeps_files(kit: Kit, tid: uuid.UUID) -> None:
    assert (await kit.manager.execute(tid, "w = 1\nopen('artifacts/before.txt', 'w').write('b')")).ok
    code = (
        "import time\nwhile True:\n    try:\n        time.sleep(10)\n"
        "    except KeyboardInterrupt:\n        pass"
    )
    started_at = time.monotonic()
    stuck = await kit.manager.execute(tid, code, timeout_s=0.5)
    assert time.monotonic() - started_at < 10
    assert stuck.error is not None and stuck.error.name == "TimeoutError"
    assert "did not stop when interrupted" in stuck.error.value and "restarted" in stuck.error.value
    after = await kit.manager.execute(tid, "open('artifacts/before.txt').read()")
    assert after.outputs[0].data == "'b'" and kit.spawns(tid) == 2
    await wait_until(lambda: kit.live_sandboxes() == 1)  # the stuck sandbox itself was stopped, not just left


async def test_sandbox_stopped_from_outside_is_replaced_with_a_note(kit: Kit, tid: uuid.UUID) -> None:
    assert (await kit.manager.execute(tid, "v = 1\nopen('datasets/f.txt', 'w').write('x')")).ok
    live = kit.manager._live[tid]
    await kit.stop_from_outside(live.proc)
    await asyncio.wait_for(live.client.closed.wait(), 5)  # the host notices the channel closed
    result = await kit.manager.execute(tid, "import os\nos.path.exists('datasets/f.txt'), v")
    assert result.ok and result.outputs[0].data == "(True, 1)"  # files kept, variables re-built
    assert result.notes and "variables were restored by re-running the 1 earlier cell" in result.notes[0]
    assert kit.spawns(tid) == 2


async def test_a_crash_in_the_cell_is_reported_and_the_next_cell_starts_fresh(
    kit: Kit, tid: uuid.UUID
) -> None:
    assert (await kit.manager.execute(tid, "a = 1")).ok
    crashed = await kit.manager.execute(tid, "import os\nos._exit(3)")
    assert crashed.error is not None and crashed.error.name == "SandboxCrashed"
    assert "exited with code 3" in crashed.error.value
    assert (
        "Variables were lost" in crashed.error.value
        and "files in the workspace are kept" in crashed.error.value
    )
    again = await kit.manager.execute(tid, "a + 1")
    assert again.ok and again.outputs[0].data == "2"  # the crashing cell is not re-run, the one before is
    assert any("restored by re-running the 1 earlier cell" in n for n in again.notes), again.notes


async def test_workspace_files_go_both_ways(kit: Kit, tid: uuid.UUID, tmp_path: Path) -> None:
    ws = kit.manager.workspace(tid)
    src = tmp_path / "in.csv"
    src.write_text("a,b\n1,2\n3,4\n")
    put = await ws.put_file("datasets/in.csv", src)  # before the thread has a sandbox
    assert put.path == "datasets/in.csv" and put.size == src.stat().st_size
    read = await kit.manager.execute(
        tid, "import pandas as pd\ndf = pd.read_csv('datasets/in.csv')\nint(df.a.sum())"
    )
    assert read.ok and read.outputs[0].data == "4", read.error
    src.write_text("late\n")
    await ws.put_file("datasets/late.txt", src)  # while it runs: the running code sees it at once
    late = await kit.manager.execute(tid, "open('datasets/late.txt').read()")
    assert late.outputs[0].data == "'late\\n'"
    made = await kit.manager.execute(tid, "df.to_csv('artifacts/out.csv', index=False)")
    assert made.ok, made.error
    [art] = made.files  # reported with the hash of what was written
    assert art.path == "artifacts/out.csv"
    data = (await ws.local_path("artifacts/out.csv")).read_bytes()
    assert data == b"a,b\n1,2\n3,4\n"
    assert hashlib.sha256(data).hexdigest() == art.sha256
    assert b"".join([chunk async for chunk in ws.open_read("artifacts/out.csv")]) == data
    listed = {f.path: f.size for f in await ws.list_files()}
    assert listed == {"datasets/in.csv": 12, "datasets/late.txt": 5, "artifacts/out.csv": len(data)}
    with pytest.raises(FileNotFoundInWorkspace):
        await ws.local_path("artifacts/missing.csv")


async def test_restart_keeps_files_and_drops_variables(kit: Kit, tid: uuid.UUID) -> None:
    ws = kit.manager.workspace(tid)
    assert (await kit.manager.execute(tid, "y = 5\nopen('artifacts/keep.txt', 'w').write('kept')")).ok
    await kit.manager.restart(tid)
    # the host sees the file with no sandbox running (Modal: after the stopped sandbox's Volume commit)
    assert {f.path for f in await ws.list_files()} == {"artifacts/keep.txt"}
    assert (await ws.local_path("artifacts/keep.txt")).read_text() == "kept"
    after = await kit.manager.execute(tid, "print(open('artifacts/keep.txt').read())\ny")
    assert after.stdout == "kept\n" and after.error is not None and after.error.name == "NameError"
    assert after.notes == [] and kit.spawns(tid) == 2  # a restart asked for is not a loss to report
    await wait_until(lambda: kit.live_sandboxes() == 1)


@pytest.mark.parametrize("kind", BACKENDS)
async def test_close_leaves_nothing_running(kind: str, tmp_path: Path) -> None:
    async with started(kind, tmp_path) as k:
        for _ in range(2):
            assert (await k.manager.execute(uuid.uuid4(), "1")).ok
        assert k.live_sandboxes() == 2
        assert (await k.manager.check()).startswith("ok")
    await wait_until(lambda: k.live_sandboxes() == 0, timeout=10)
    assert k.manager.live_count() == 0
