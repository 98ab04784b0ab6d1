"""How Modal behaves (issue 21), modelled by the fake transport, and the backend living with it: an exec that
never ends, named sandboxes found again after a restart, a stopped sandbox's NotFoundError, the 2 MiB stdin
buffer, Volume reloads, detach, concurrent downloads. Each test fails against the old fake's assumptions."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import modal.exception
import pytest

from lgurban.sandbox.manager import SandboxManager
from lgurban.sandbox.modal_backend import ModalBackend
from tests.conftest import wait_until
from tests.fakes.modal_fake import FakeModal, FakeSandbox, running_processes
from tests.sandbox.conftest import sandbox_settings


@pytest.fixture
def fake(tmp_path: Path) -> FakeModal:
    return FakeModal(tmp_path / "modal")


def modal_manager(tmp_path: Path, fake: FakeModal, **overrides: Any) -> SandboxManager:
    settings = sandbox_settings(
        tmp_path / "data", sandbox_backend="modal", sandbox_exec_timeout_s=20, **overrides
    )
    return SandboxManager(settings, ModalBackend(settings, sdk=fake))


@pytest.fixture
async def manager(tmp_path: Path, fake: FakeModal) -> AsyncIterator[SandboxManager]:
    m = modal_manager(tmp_path, fake)
    await m.start()
    yield m
    await m.close()


async def prepared(m: SandboxManager) -> ModalBackend:
    backend = m.backend
    assert isinstance(backend, ModalBackend)  # start() returned: the app and image are looked up
    return backend


async def test_fake_idle_timeout_never_fires_while_an_exec_runs(fake: FakeModal) -> None:
    """Modal's idle_timeout counts only while nothing runs: the driver's exec never ends, so it won't fire."""
    app = await fake.App.lookup.aio("a", create_if_missing=True)
    image = fake.Image.debian_slim()
    busy = await fake.Sandbox.create.aio(app=app, image=image, idle_timeout=1)
    idle = await fake.Sandbox.create.aio(app=app, image=image, idle_timeout=1)
    proc = await busy.exec.aio("python", "-c", "import sys; sys.stdin.read()")
    await wait_until(lambda: idle.returncode is not None, timeout=10)
    assert busy.returncode is None and proc.returncode is None  # > idle_timeout later, still running
    await busy.terminate.aio()


async def test_idle_sandboxes_are_ended_by_the_managers_own_clock(tmp_path: Path, fake: FakeModal) -> None:
    m = modal_manager(tmp_path, fake, sandbox_idle_timeout_s=0.5)
    await m.start()
    try:
        assert (await m.execute(uuid.uuid4(), "1")).ok
        [create] = fake.calls_to("Sandbox.create")
        assert "idle_timeout" not in create.kwargs and create.kwargs["timeout"] > 0  # the hard cap
        await wait_until(lambda: fake.sandboxes[0].returncode is not None, timeout=15)
        assert m.live_count() == 0 and fake.running() == []
    finally:
        await m.close()


async def test_restart_finds_live_sandboxes_by_tag_and_ends_them(tmp_path: Path, fake: FakeModal) -> None:
    """A crashed API left sandboxes running: the next process ends them (their driver's stdio is not
    reachable from a new client) and the thread's next cell runs in a fresh one; none is left billed."""
    old = modal_manager(tmp_path / "old", fake)
    await old.start()
    threads = [uuid.uuid4(), uuid.uuid4()]
    for tid in threads:
        assert (await old.execute(tid, "x = 1")).ok
    assert len(fake.running()) == 2  # `old` is never closed: the process died

    client = FakeModal(tmp_path / "modal2")
    client.adopt(fake)  # a new client of the same Modal account
    new = modal_manager(tmp_path / "new", client)
    await new.start()
    try:
        backend = await prepared(new)
        assert fake.running() == []
        assert sorted(backend.reaped) == sorted(sb.object_id for sb in fake.sandboxes)
        after = await new.execute(threads[0], "'x' in globals()")
        assert after.ok and after.outputs[0].data == "False"
        assert [sb.name for sb in fake.running()] == [f"t-{threads[0]}"]
    finally:
        await new.close()
        await old.close()
    assert fake.running() == [] and running_processes(fake).running == 0


async def test_a_thread_sandbox_still_running_under_its_name_is_ended_before_a_new_one(
    tmp_path: Path, fake: FakeModal
) -> None:
    """Modal names are unique among running sandboxes: the old one is found by name, ended, then replaced."""
    new = modal_manager(tmp_path / "new", fake)
    await new.start()
    await prepared(new)
    old = modal_manager(tmp_path / "old", fake)  # started after `new` reaped: a leftover it did not see
    await old.start()
    tid = uuid.uuid4()
    try:
        assert (await old.execute(tid, "1")).ok
        first = fake.sandboxes[-1]
        assert (await new.execute(tid, "2")).ok
        assert first.returncode is not None
        assert [sb.object_id for sb in fake.running()] == [fake.sandboxes[-1].object_id]
        assert fake.calls_to("Sandbox.from_name")[-1].args[1] == f"t-{tid}"
    finally:
        await new.close()
        await old.close()


async def test_a_stopped_sandbox_gives_notes_not_errors(manager: SandboxManager, fake: FakeModal) -> None:
    """Modal stopped it (hard timeout, memory): file calls raise NotFoundError("Sandbox is unavailable");
    the workspace falls back to the Volume and the next cell says the variables were lost."""
    tid = uuid.uuid4()
    assert (await manager.execute(tid, "open('artifacts/a.txt', 'w').write('a')")).ok
    sandbox: FakeSandbox = fake.sandboxes[0]
    sandbox.expire()
    with pytest.raises(modal.exception.NotFoundError, match="Sandbox is unavailable"):
        await sandbox.filesystem.list_files.aio("/workspace")
    ws = manager.workspace(tid)
    assert [f.path for f in await ws.list_files()] == ["artifacts/a.txt"]
    assert (await ws.local_path("artifacts/a.txt")).read_text() == "a"
    again = await manager.execute(tid, "1")
    assert again.ok
    assert any("variables" in note for note in again.notes), again.notes


async def test_the_driver_stopping_with_its_sandbox_says_so_and_the_next_cell_rebuilds_the_variables(
    manager: SandboxManager, fake: FakeModal
) -> None:
    tid = uuid.uuid4()
    assert (await manager.execute(tid, "x = 1")).ok
    fake.sandboxes[0].expire()
    crashed = await manager.execute(tid, "'x' in globals()")
    assert crashed.error is not None and crashed.error.name == "SandboxCrashed"
    assert "Modal sandbox stopped" in crashed.error.value and "Variables were lost" in crashed.error.value
    again = await manager.execute(tid, "'x' in globals()")
    assert again.ok and again.outputs[0].data == "True"  # `x = 1` re-run in the new sandbox
    assert any("restored by re-running" in n for n in again.notes), again.notes


async def test_stdin_writes_over_two_mib_are_chunked(manager: SandboxManager, fake: FakeModal) -> None:
    """Modal's stdin buffer holds 2 MiB between drains (BufferError beyond): a 3 MiB cell still goes."""
    big = "x = '" + "a" * (3 * 1024 * 1024) + "'\nlen(x)"
    result = await manager.execute(uuid.uuid4(), big)
    assert result.ok and result.outputs[0].data == str(3 * 1024 * 1024), result.error
    writer = fake.sandboxes[0].processes[0].stdin
    with pytest.raises(BufferError):
        writer.write(b"a" * (2 * 1024 * 1024 + 1))


async def test_a_file_put_while_the_sandbox_starts_is_seen_inside(
    manager: SandboxManager, fake: FakeModal, tmp_path: Path
) -> None:
    """The Volume is mounted as the sandbox starts: a file put into it after that needs reload_volumes()."""
    tid = uuid.uuid4()
    src = tmp_path / "late.csv"
    src.write_text("late\n")

    async def put_during_startup(sandbox: FakeSandbox) -> None:
        fake.on_create = None
        await manager.workspace(tid).put_file("datasets/late.csv", src)

    fake.on_create = put_during_startup
    seen = await manager.execute(tid, "open('datasets/late.csv').read()")
    assert seen.ok and seen.outputs[0].data == "'late\\n'", seen.error
    assert fake.calls_to("Sandbox.reload_volumes")


async def test_terminated_sandboxes_are_detached(manager: SandboxManager, fake: FakeModal) -> None:
    tid = uuid.uuid4()
    assert (await manager.execute(tid, "1")).ok
    await manager.restart(tid)
    await wait_until(lambda: not fake.sandboxes[0].attached)
    with pytest.raises(modal.exception.ClientClosed):
        await fake.sandboxes[0].poll.aio()


async def test_concurrent_downloads_of_one_file_from_the_volume(
    manager: SandboxManager, fake: FakeModal
) -> None:
    tid = uuid.uuid4()
    size = 1024 * 1024
    assert (await manager.execute(tid, f"open('artifacts/big.bin', 'wb').write(b'z' * {size})")).ok
    await manager.restart(tid)  # no sandbox: downloads read the Volume (Volume.read_file, in chunks)
    ws = manager.workspace(tid)
    paths = await asyncio.gather(*(ws.local_path("artifacts/big.bin") for _ in range(4)))
    assert all(p.read_bytes() == b"z" * size for p in paths)
    assert fake.calls_to("Volume.read_file")
