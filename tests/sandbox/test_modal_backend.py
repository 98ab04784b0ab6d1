"""The Modal backend end to end through the session manager, over a fake Modal running the real driver."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from lgurban.errors import SandboxUnavailable
from lgurban.sandbox import build_backend
from lgurban.sandbox.manager import SandboxManager
from lgurban.sandbox.modal_backend import ModalBackend, volume_name
from tests.fakes.modal_fake import FakeModal
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
    assert "idle_timeout" not in kw  # it never fires while the driver's exec runs: the manager reaps idle
    # (request, limit): a plain number is only a reservation Modal lets the container exceed
    assert kw["cpu"] == (s.modal_cpu, s.modal_cpu)
    assert kw["memory"] == (s.modal_memory_mb, s.modal_memory_mb)
    assert fake.sandboxes[0].hard_memory_limit_mb == s.modal_memory_mb
    assert kw["name"] == f"t-{tid}"
    assert kw["tags"] == {"lgurban-deployment": s.modal_app_name, "thread": str(tid)}
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


async def test_long_protocol_lines_survive_chunked_streams(manager: SandboxManager) -> None:
    """Lines far longer than one stream chunk (big prints, PNG figures) are reassembled intact."""
    tid = uuid.uuid4()
    big = await manager.execute(tid, "print('ab' * 25_000)")  # 50 kB, the limit here is 64 KiB
    assert big.ok and big.stdout == "ab" * 25_000 + "\n" and not big.notes
    fig = await manager.execute(tid, "import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])")
    assert fig.ok, fig.error
    assert any(o.mime == "image/png" and len(o.data) > 5000 for o in fig.outputs)


async def test_files_go_through_the_volume_or_the_running_sandbox(
    manager: SandboxManager, fake: FakeModal, tmp_path: Path
) -> None:
    """Before a sandbox exists a file goes into the Volume; while one runs, through its filesystem API."""
    tid = uuid.uuid4()
    ws = manager.workspace(tid)
    src = tmp_path / "in.txt"
    src.write_text("early\n")
    await ws.put_file("datasets/early.txt", src)
    assert fake.calls_to("Volume.batch_upload") and not fake.calls_to("SandboxFilesystem.copy_from_local")
    assert (await manager.execute(tid, "open('datasets/early.txt').read()")).outputs[0].data == "'early\\n'"
    await ws.put_file("datasets/late.txt", src)
    assert fake.calls_to("SandboxFilesystem.copy_from_local")


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
