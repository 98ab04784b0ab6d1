"""The Modal backend end to end through the session manager, over a fake Modal running the real driver."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from lgurban.errors import FileNotFoundInWorkspace, SandboxUnavailable
from lgurban.sandbox import build_backend
from lgurban.sandbox.manager import SandboxManager
from lgurban.sandbox.modal_backend import ModalBackend, volume_name
from lgurban.sandbox.types import StreamChunk
from tests.fakes.modal_fake import FakeModal, running_processes
from tests.sandbox.conftest import sandbox_settings


@pytest.fixture
def fake(tmp_path: Path) -> FakeModal:
    return FakeModal(tmp_path / "modal")


@pytest.fixture
async def manager(tmp_path: Path, fake: FakeModal) -> AsyncIterator[SandboxManager]:
    settings = sandbox_settings(tmp_path / "data", sandbox_backend="modal", sandbox_exec_timeout_s=20)
    m = SandboxManager(settings, ModalBackend(settings, sdk=fake))
    await m.start()
    yield m
    await m.close()


def test_settings_select_the_modal_backend(tmp_path: Path) -> None:
    backend = build_backend(sandbox_settings(tmp_path, sandbox_backend="modal"))
    assert isinstance(backend, ModalBackend)
    assert backend.name == "modal"


async def test_cells_run_and_variables_persist(manager: SandboxManager, fake: FakeModal) -> None:
    tid = uuid.uuid4()
    first = await manager.execute(tid, "x = 41\nprint('set')")
    assert first.ok and first.stdout == "set\n"
    second = await manager.execute(tid, "x + 1")
    assert second.ok, second.error
    assert [(o.mime, o.data) for o in second.outputs] == [("text/plain", "42")]
    assert len(fake.sandboxes) == 1  # one sandbox for the thread, reused
    assert "python" in fake.calls_to("Sandbox.exec")[0].args


async def test_sandbox_is_created_from_settings_without_credentials(
    manager: SandboxManager, fake: FakeModal
) -> None:
    tid = uuid.uuid4()
    assert (await manager.execute(tid, "1")).ok
    s = manager.settings
    [lookup] = fake.calls_to("App.lookup")
    assert lookup.args == (s.modal_app_name,)
    [create] = fake.calls_to("Sandbox.create")
    kw = create.kwargs
    assert kw["timeout"] == s.modal_sandbox_timeout_s
    assert kw["idle_timeout"] == int(s.sandbox_idle_timeout_s)
    assert kw["cpu"] == s.modal_cpu and kw["memory"] == s.modal_memory_mb
    assert kw["block_network"] is True
    assert list(kw["volumes"]) == ["/workspace"] and kw["volumes"]["/workspace"].name == volume_name(tid)
    assert "secrets" not in kw and "env" not in kw
    driver_exec, mkdir_exec = fake.calls_to("Sandbox.exec")
    assert driver_exec.args == ("python", "/root/driver.py", "/workspace")
    assert mkdir_exec.args == ("mkdir", "-p", "/workspace/datasets", "/workspace/artifacts")
    for call in (driver_exec, mkdir_exec):
        assert "secrets" not in call.kwargs and "env" not in call.kwargs
    # the driver baked into the image is this repository's driver.py, at the path the exec runs
    image = kw["image"]
    assert image.files["/root/driver.py"].name == "driver.py"
    assert [s[0] for s in image.steps] == ["debian_slim", "pip_install", "env", "add_local_file"]
    assert {"pandas", "numpy", "matplotlib", "pyarrow", "geopandas", "folium"} <= {
        p.split("==")[0] for p in image.steps[1][1]
    }
    assert not any(k.endswith(("KEY", "SECRET", "TOKEN", "PASSWORD")) for k in image.env_vars)
    env = await manager.execute(tid, "import os; sorted(k for k in os.environ if 'MODAL' in k or 'KEY' in k)")
    assert env.outputs[0].data == "[]"


async def test_output_streams_while_the_cell_runs(manager: SandboxManager) -> None:
    tid = uuid.uuid4()
    chunks: list[StreamChunk] = []

    async def on_output(chunk: StreamChunk) -> None:
        chunks.append(chunk)

    code = (
        "import sys, time\nfor i in range(3):\n    print(i, flush=True); time.sleep(0.15)\n"
        "print('e', file=sys.stderr)"
    )
    result = await manager.execute(tid, code, on_output=on_output)
    assert result.ok and result.stdout == "0\n1\n2\n" and result.stderr == "e\n"
    assert len([c for c in chunks if c.stream == "stdout"]) >= 2  # streamed, not one block at the end
    assert "".join(c.text for c in chunks if c.stream == "stdout") == "0\n1\n2\n"


async def test_long_protocol_lines_survive_chunked_streams(manager: SandboxManager) -> None:
    """Lines far longer than one stream chunk (big prints, PNG figures) are reassembled intact."""
    tid = uuid.uuid4()
    big = await manager.execute(tid, "print('ab' * 25_000)")  # 50 kB, the limit here is 64 KiB
    assert big.ok and big.stdout == "ab" * 25_000 + "\n" and not big.notes
    fig = await manager.execute(tid, "import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])")
    assert fig.ok, fig.error
    assert any(o.mime == "image/png" and len(o.data) > 5000 for o in fig.outputs)


async def test_files_in_and_out_through_the_host(
    manager: SandboxManager, fake: FakeModal, tmp_path: Path
) -> None:
    tid = uuid.uuid4()
    ws = manager.workspace(tid)
    src = tmp_path / "in.csv"
    src.write_text("a,b\n1,2\n3,4\n")
    # no sandbox yet: the file goes into the Volume, and the new sandbox mounts it
    put = await ws.put_file("datasets/in.csv", src)
    assert put.path == "datasets/in.csv" and put.size == src.stat().st_size
    read = await manager.execute(
        tid, "import pandas as pd\ndf = pd.read_csv('datasets/in.csv')\nint(df.a.sum())"
    )
    assert read.ok and read.outputs[0].data == "4", read.error
    # sandbox running: the file goes in through the sandbox filesystem and the running code sees it at once
    src.write_text("late\n")
    await ws.put_file("datasets/late.txt", src)
    late = await manager.execute(tid, "open('datasets/late.txt').read()")
    assert late.outputs[0].data == "'late\\n'"
    # an artifact the code writes comes back out through the host, byte for byte
    made = await manager.execute(
        tid, "import os\nos.makedirs('artifacts', exist_ok=True)\ndf.to_csv('artifacts/out.csv', index=False)"
    )
    assert made.ok, made.error
    [art] = made.files
    assert art.path == "artifacts/out.csv"
    local = await ws.local_path("artifacts/out.csv")
    data = local.read_bytes()
    assert data == b"a,b\n1,2\n3,4\n" and hashlib.sha256(data).hexdigest() == art.sha256
    streamed = b"".join([chunk async for chunk in ws.open_read("artifacts/out.csv")])
    assert streamed == data
    listed = {f.path: f.size for f in await ws.list_files()}
    assert listed == {"datasets/in.csv": 12, "datasets/late.txt": 5, "artifacts/out.csv": len(data)}
    with pytest.raises(FileNotFoundInWorkspace):
        await ws.local_path("artifacts/missing.csv")
    assert fake.calls_to("SandboxFilesystem.copy_from_local") and fake.calls_to("Volume.batch_upload")


async def test_restart_keeps_files_and_drops_variables(manager: SandboxManager, fake: FakeModal) -> None:
    """Files written in a sandbox reach the Volume once it stops; the next sandbox and the host see them."""
    tid = uuid.uuid4()
    ws = manager.workspace(tid)
    made = await manager.execute(tid, "y = 5\nopen('artifacts/keep.txt', 'w').write('kept')")
    assert made.ok, made.error
    await manager.restart(tid)
    # read through the Volume (no sandbox is running): must wait for the stopped sandbox's commit
    assert {f.path for f in await ws.list_files()} == {"artifacts/keep.txt"}
    assert (await ws.local_path("artifacts/keep.txt")).read_text() == "kept"
    after = await manager.execute(tid, "print(open('artifacts/keep.txt').read())\ny")
    assert after.stdout == "kept\n"
    assert after.error is not None and after.error.name == "NameError"
    assert len(fake.sandboxes) == 2 and fake.sandboxes[0].returncode is not None


async def test_timeout_interrupts_and_keeps_variables(manager: SandboxManager) -> None:
    tid = uuid.uuid4()
    assert (await manager.execute(tid, "z = 7")).ok
    stuck = await manager.execute(tid, "while True:\n    pass", timeout_s=1)
    assert not stuck.ok and stuck.error is not None and stuck.error.name == "TimeoutError"
    assert "variables from earlier cells are kept" in stuck.error.value
    assert (await manager.execute(tid, "z")).outputs[0].data == "7"


async def test_ignored_interrupt_restarts_the_sandbox_and_keeps_files(
    manager: SandboxManager, fake: FakeModal
) -> None:
    tid = uuid.uuid4()
    assert (await manager.execute(tid, "w = 1\nopen('artifacts/before.txt', 'w').write('b')")).ok
    code = (
        "import time\nwhile True:\n    try:\n        time.sleep(0.05)\n"
        "    except KeyboardInterrupt:\n        pass"
    )
    stuck = await manager.execute(tid, code, timeout_s=0.5)
    assert stuck.error is not None and "did not stop when interrupted" in stuck.error.value
    assert fake.sandboxes[0].returncode is not None  # the Modal sandbox was terminated, not just the driver
    after = await manager.execute(tid, "open('artifacts/before.txt').read()")
    assert after.outputs[0].data == "'b'" and len(fake.sandboxes) == 2


async def test_sandbox_stopped_by_modal_is_replaced(manager: SandboxManager, fake: FakeModal) -> None:
    """Modal ends a sandbox at its timeout or memory limit: the next cell gets a new one and says so."""
    tid = uuid.uuid4()
    assert (await manager.execute(tid, "v = 1\nopen('datasets/f.txt', 'w').write('x')")).ok
    fake.sandboxes[0].expire()
    await asyncio.wait_for(manager._live[tid].client.closed.wait(), 5)  # the host notices the channel closed
    result = await manager.execute(tid, "import os\nos.path.exists('datasets/f.txt')")
    assert result.ok and result.outputs[0].data == "True"
    assert result.notes and "variables from earlier cells were lost" in result.notes[0]
    assert len(fake.sandboxes) == 2


async def test_driver_crash_is_reported(manager: SandboxManager) -> None:
    tid = uuid.uuid4()
    crashed = await manager.execute(tid, "import os\nos._exit(3)")
    assert crashed.error is not None and crashed.error.name == "SandboxCrashed"
    assert "exited with code 3" in crashed.error.value
    again = await manager.execute(tid, "1 + 1")
    assert again.ok and again.outputs[0].data == "2"


async def test_remove_deletes_the_volume(manager: SandboxManager, fake: FakeModal) -> None:
    tid = uuid.uuid4()
    assert (await manager.execute(tid, "open('artifacts/a.txt', 'w').write('a')")).ok
    await manager.workspace(tid).local_path("artifacts/a.txt")
    backend = manager.backend
    assert isinstance(backend, ModalBackend)
    await manager.remove(tid)
    assert not fake.volume_dir(volume_name(tid)).exists()
    assert not (backend.cache_root / str(tid)).exists()
    assert fake.sandboxes[0].returncode is not None
    assert await manager.workspace(tid).list_files() == []


async def test_close_leaves_no_processes(tmp_path: Path, fake: FakeModal) -> None:
    settings = sandbox_settings(tmp_path / "data", sandbox_backend="modal")
    m = SandboxManager(settings, ModalBackend(settings, sdk=fake))
    await m.start()
    for _ in range(2):
        assert (await m.execute(uuid.uuid4(), "1")).ok
    assert running_processes(fake).running == 2
    assert (await m.check()).startswith("ok")
    await m.close()
    assert running_processes(fake).running == 0
    assert all(sb.returncode is not None and sb.stopped.is_set() for sb in fake.sandboxes)


async def test_unreachable_modal_is_reported_not_hidden(tmp_path: Path, fake: FakeModal) -> None:
    fake.lookup_error = fake.exception.AuthError("Token missing")
    settings = sandbox_settings(tmp_path / "data", sandbox_backend="modal")
    m = SandboxManager(settings, ModalBackend(settings, sdk=fake))
    await m.start()
    try:
        with pytest.raises(SandboxUnavailable, match="Token missing"):
            await m.execute(uuid.uuid4(), "1")
        assert (await m.check()).startswith("unavailable (Modal: AuthError: Token missing")
        assert fake.sandboxes == []
        fake.lookup_error = None  # the token arrives: the next call works without a restart
        assert (await m.execute(uuid.uuid4(), "2")).ok
        assert (await m.check()).startswith("ok")
    finally:
        await m.close()
