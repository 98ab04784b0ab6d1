"""Every call the Modal backend makes fits the installed `modal` SDK: names, `.aio` variants, positional and
keyword arguments (bound against the real signatures), and the attributes it reads."""

from __future__ import annotations

import inspect
import uuid
from pathlib import Path
from typing import Any

import modal
import modal.container_process
import modal.io_streams
import modal.sandbox.sandbox
import modal.types
import modal.volume
import pytest

from lgurban.sandbox.manager import SandboxManager
from lgurban.sandbox.modal_backend import ModalBackend
from tests.fakes.modal_fake import Call, FakeModal
from tests.sandbox.conftest import sandbox_settings

REAL_OWNERS: dict[str, Any] = {
    "App": modal.App,
    "Image": modal.Image,
    "Dict": modal.Dict,
    "Volume": modal.Volume,
    "VolumeUploadContextManager": modal.volume.AbstractVolumeUploadContextManager,
    "Sandbox": modal.Sandbox,
    "SandboxFilesystem": modal.sandbox.sandbox.SandboxFilesystem,
    "ContainerProcess": modal.container_process.ContainerProcess,
    "StreamWriter": modal.io_streams.StreamWriter,
}

# everything the backend is expected to call in the scenario below: the test fails if a path went unexercised
EXPECTED = {
    "App.lookup",
    "Image.debian_slim",
    "Image.pip_install",
    "Image.env",
    "Image.add_local_file",
    "Image.from_id",
    "Dict.from_name",
    "Dict.get",
    "Volume.from_name",
    "Volume.batch_upload",
    "VolumeUploadContextManager.put_file",
    "Volume.read_file",
    "Volume.listdir",
    "Volume.objects.delete",
    "Sandbox.create",
    "Sandbox.exec",
    "Sandbox.terminate",
    "Sandbox.wait",
    "Sandbox.poll",
    "Sandbox.from_name",
    "Sandbox.list",
    "Sandbox.get_tags",
    "Sandbox.detach",
    "Sandbox.reload_volumes",
    "SandboxFilesystem.copy_from_local",
    "SandboxFilesystem.copy_to_local",
    "SandboxFilesystem.list_files",
    "ContainerProcess.wait",
    "StreamWriter.write",
    "StreamWriter.drain",
}


def real_callable(name: str) -> Any:
    owner, *rest = name.split(".")
    obj = REAL_OWNERS[owner]
    for part in rest:
        obj = getattr(obj, part)
    return obj


def check_call(call: Call) -> None:
    """Raise (TypeError/AttributeError/AssertionError) when the call does not fit the real SDK."""
    real = real_callable(call.name)
    if call.aio:
        assert hasattr(real, "aio"), f"{call.name} has no .aio variant in modal {modal.__version__}"
    sig = inspect.signature(real)
    params = list(sig.parameters)
    args = (None, *call.args) if params and params[0] in ("self", "cls") else call.args
    sig.bind(*args, **call.kwargs)


async def run_scenario(fake: FakeModal, tmp_path: Path) -> None:
    """Drive every code path of the backend: volume and live-sandbox file paths, crash, restart, removal."""
    settings = sandbox_settings(tmp_path / "data", sandbox_backend="modal")
    m = SandboxManager(settings, ModalBackend(settings, sdk=fake))
    await m.start()
    try:
        tid = uuid.uuid4()
        ws = m.workspace(tid)
        src = tmp_path / "in.txt"
        src.write_text("hello")
        await ws.put_file("datasets/in.txt", src)  # no sandbox: Volume upload
        assert (await m.execute(tid, "open('datasets/in.txt').read()")).ok
        await ws.put_file("datasets/live.txt", src)  # live: sandbox filesystem
        assert (await m.execute(tid, "open('artifacts/o.txt', 'w').write('o')")).ok
        assert len(await ws.list_files()) == 3
        assert (await ws.local_path("artifacts/o.txt")).read_text() == "o"
        crashed = await m.execute(tid, "import os; os._exit(1)")  # the backend asks why the driver ended
        assert crashed.error is not None and crashed.error.name == "SandboxCrashed"
        assert (await m.execute(tid, "1")).ok
        await m.restart(tid)
        assert len(await ws.list_files()) == 3  # Volume listing
        assert (await ws.local_path("datasets/live.txt")).read_text() == "hello"  # Volume download
        await m.remove(tid)
        # a file put into the Volume while a sandbox starts: the backend reloads the mounted Volume
        late = uuid.uuid4()

        async def put_during_startup(sandbox: Any) -> None:
            fake.on_create = None
            await m.workspace(late).put_file("datasets/late.txt", src)

        fake.on_create = put_during_startup
        assert (await m.execute(late, "open('datasets/late.txt').read()")).ok
        # a second process of the deployment ends the first one's sandbox (listed by tag)
        other = ModalBackend(settings, sdk=fake)
        await other.start()  # looks the app and the image up and ends what it finds, before it returns
        await other.close()
    finally:
        await m.close()


async def test_every_modal_call_fits_the_installed_sdk(tmp_path: Path) -> None:
    fake = FakeModal(tmp_path / "modal")
    await run_scenario(fake, tmp_path)
    called = {c.name for c in fake.calls}
    assert called >= EXPECTED, f"not exercised: {sorted(EXPECTED - called)}"
    for call in fake.calls:
        check_call(call)
    # creation uses only keywords the installed SDK knows, with the values the issue asks for
    create = fake.calls_to("Sandbox.create")[0].kwargs
    assert {"app", "name", "tags", "image", "volumes", "timeout", "cpu", "memory", "block_network"} <= set(
        create
    )
    assert "idle_timeout" not in create


def test_the_checker_rejects_what_the_sdk_does_not_have() -> None:
    """The check above can fail: a misspelt keyword, an extra positional, a missing .aio, an unknown name."""
    with pytest.raises(TypeError):
        check_call(Call("Sandbox.create", (), {"block_networks": True}, aio=True))
    with pytest.raises(TypeError):
        check_call(Call("Volume.from_name", ("a", "b"), {}, aio=False))
    with pytest.raises(TypeError):
        check_call(Call("Sandbox.exec", ("python",), {"stdin": "pipe"}, aio=True))
    with pytest.raises(AttributeError):
        check_call(Call("Sandbox.open_file", (), {}, aio=True))
    with pytest.raises(AssertionError):
        check_call(Call("Image.pip_install", ("pandas",), {}, aio=True))


def test_attributes_the_backend_reads_exist() -> None:
    for owner, attrs in {
        modal.Sandbox: ("object_id", "filesystem", "from_name", "from_id", "list", "detach", "get_tags"),
        modal.container_process.ContainerProcess: ("stdin", "stdout", "stderr"),
        modal.io_streams.StreamReader: ("__aiter__",),
        modal.types.FileInfo: ("is_dir", "is_file"),
        modal.exception: (
            "NotFoundError",
            "AuthError",
            "SandboxFilesystemNotFoundError",
            "SandboxFilesystemIsADirectoryError",
            "SandboxFilesystemError",
            "ClientClosed",
        ),
    }.items():
        for attr in attrs:
            assert hasattr(owner, attr), f"{owner!r} has no {attr}"
    fields = {f.name for f in modal.types.FileInfo.__dataclass_fields__.values()}
    assert {"name", "size", "modified_time"} <= fields
    entry = {f.name for f in modal.types.FileEntry.__dataclass_fields__.values()}
    assert {"path", "type", "size", "mtime"} <= entry
    assert modal.types.FileEntryType.FILE.name == "FILE"
