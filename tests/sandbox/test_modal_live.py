"""The Modal backend against real Modal. Runs only with a Modal token in the environment (MODAL_TOKEN_ID and
MODAL_TOKEN_SECRET); it creates sandboxes in the app `lgurban-sandbox-test` and deletes its volumes."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

import pytest

from lgurban.cli.sandboxes import list_deployment, reap_deployment
from lgurban.sandbox.manager import SandboxManager
from lgurban.sandbox.modal_backend import ModalBackend, volume_name
from lgurban.sandbox.modal_names import list_running, sandbox_name, sandbox_tags
from lgurban.settings import Settings
from tests.sandbox.conftest import sandbox_settings

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not os.environ.get("MODAL_TOKEN_ID"), reason="MODAL_TOKEN_ID is not set: no real Modal to talk to"
    ),
]


@pytest.fixture(autouse=True, scope="module")
def published_image(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The backend starts only with this release's image published: publish it as `lgurban deploy modal`
    does (Modal reuses a built image with the same content, so only a new release builds)."""
    import modal

    from lgurban.cli.deploy import publish

    publish(modal, live_settings(tmp_path_factory.mktemp("publish")))


@pytest.mark.timeout(900)  # the first run builds the image
async def test_real_modal_sandbox_end_to_end(tmp_path: Path) -> None:
    settings = sandbox_settings(
        tmp_path / "data",
        sandbox_backend="modal",
        modal_app_name="lgurban-sandbox-test",
        modal_sandbox_timeout_s=600,
        sandbox_transport_timeout_s=600,
        sandbox_exec_timeout_s=120,
        sandbox_output_limit_bytes=1024 * 1024,
    )
    backend = ModalBackend(settings)
    m = SandboxManager(settings, backend)
    await m.start()
    tid = uuid.uuid4()
    try:
        ws = m.workspace(tid)
        src = tmp_path / "in.csv"
        src.write_text("a,b\n1,2\n3,4\n")
        await ws.put_file("datasets/in.csv", src)  # into the Volume before any sandbox exists
        first = await m.execute(
            tid, "import pandas as pd\ndf = pd.read_csv('datasets/in.csv')\nint(df.a.sum())"
        )
        assert first.ok and first.outputs[0].data == "4", first.error
        assert (await m.execute(tid, "df.shape")).outputs[0].data == "(2, 2)"  # variables persist

        # network blocked, no credentials inside
        probe = (
            "import socket\ndef probe():\n    try:\n        socket.create_connection(('1.1.1.1', 53), 5)\n"
            "        return 'open'\n    except OSError:\n        return 'blocked'\nprobe()"
        )
        net = await m.execute(tid, probe)
        assert net.outputs[0].data == "'blocked'"
        secret_names = (
            "MODAL_TOKEN_ID", "MODAL_TOKEN_SECRET", "OPENAI_API_KEY", "ANTHROPIC_API_KEY",
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "DATABASE_URL", "SECRET_KEY",
        )  # fmt: skip
        env = await m.execute(tid, f"import os; [k for k in {secret_names!r} if k in os.environ]")
        assert env.outputs[0].data == "[]"

        # an interrupted cell keeps the variables
        stuck = await m.execute(tid, "while True:\n    pass", timeout_s=3)
        assert stuck.error is not None and stuck.error.name == "TimeoutError"
        assert (await m.execute(tid, "int(df.b.sum())")).outputs[0].data == "6"

        # files go in while the sandbox runs and come back out through the host
        await ws.put_file("datasets/live.csv", src)
        made = await m.execute(
            tid, "pd.read_csv('datasets/live.csv').to_csv('artifacts/out.csv', index=False)"
        )
        assert made.ok and [f.path for f in made.files] == ["artifacts/out.csv"], made.error
        assert (await ws.local_path("artifacts/out.csv")).read_text() == "a,b\n1,2\n3,4\n"

        # after a restart the files are on the Volume and the variables are gone
        await m.restart(tid)
        assert {f.path for f in await ws.list_files()} >= {"datasets/in.csv", "artifacts/out.csv"}
        after = await m.execute(tid, "import os\n(os.path.exists('artifacts/out.csv'), 'df' in globals())")
        assert after.outputs[0].data == "(True, False)"
        assert (await m.check()).startswith("ok")
    finally:
        await m.remove(tid)
        await m.close()
    import modal

    with pytest.raises(modal.exception.NotFoundError):
        await modal.Volume.from_name(volume_name(tid)).hydrate.aio()


# --- issue 21: Modal's behaviours, one live test each (same skip rule as above)


def live_settings(tmp_path: Path, **overrides: object) -> Settings:
    base: dict[str, object] = {
        "sandbox_backend": "modal",
        "modal_app_name": "lgurban-sandbox-test",
        "modal_sandbox_timeout_s": 600,
        "sandbox_transport_timeout_s": 600,
        "sandbox_exec_timeout_s": 120,
    }
    return sandbox_settings(tmp_path / "data", **{**base, **overrides})


async def live_manager(settings: Settings) -> SandboxManager:
    m = SandboxManager(settings, ModalBackend(settings))
    await m.start()
    return m


@pytest.mark.timeout(900)
async def test_live_created_with_name_tags_and_hard_limits(tmp_path: Path) -> None:
    import modal

    settings = live_settings(tmp_path)
    m = await live_manager(settings)
    tid = uuid.uuid4()
    try:
        assert (await m.execute(tid, "1")).ok
        found = await modal.Sandbox.from_name.aio(settings.modal_app_name, sandbox_name(tid))
        assert (await found.get_tags.aio()) == sandbox_tags(settings.modal_app_name, tid)
        # memory=(request, limit): allocating past the limit kills the sandbox instead of growing it
        hog = await m.execute(tid, f"b = bytearray({settings.modal_memory_mb + 512} * 1024 * 1024)")
        assert not hog.ok
    finally:
        await m.remove(tid)
        await m.close()


@pytest.mark.timeout(900)
async def test_live_manager_idle_clock_ends_the_sandbox(tmp_path: Path) -> None:
    import modal

    settings = live_settings(tmp_path, sandbox_idle_timeout_s=20)
    m = await live_manager(settings)
    tid = uuid.uuid4()
    try:
        assert (await m.execute(tid, "1")).ok
        sandbox = await modal.Sandbox.from_name.aio(settings.modal_app_name, sandbox_name(tid))
        await asyncio.wait_for(sandbox.wait.aio(raise_on_termination=False), 300)  # ended by the manager
        assert m.live_count() == 0
    finally:
        await m.remove(tid)
        await m.close()


@pytest.mark.timeout(900)
async def test_live_restart_ends_what_the_previous_process_left(tmp_path: Path) -> None:
    settings = live_settings(tmp_path)
    old = await live_manager(settings)
    tid = uuid.uuid4()
    assert (await old.execute(tid, "x = 1")).ok  # `old` is not closed: as if it died
    new = await live_manager(settings)
    try:
        backend = new.backend
        assert isinstance(backend, ModalBackend)  # start() returned: leftovers are ended
        assert backend.reaped
        assert [sb.thread for sb in await list_running(backend.modal, settings.modal_app_name)] == []
        after = await new.execute(tid, "'x' in globals()")
        assert after.ok and after.outputs[0].data == "False"
    finally:
        await new.remove(tid)
        await new.close()
        await old.close()


@pytest.mark.timeout(900)
async def test_live_big_cells_files_during_startup_and_stopped_sandbox(tmp_path: Path) -> None:
    settings = live_settings(tmp_path, sandbox_output_limit_bytes=1024 * 1024)
    m = await live_manager(settings)
    tid = uuid.uuid4()
    try:
        big = await m.execute(tid, "x = '" + "a" * (3 * 1024 * 1024) + "'\nlen(x)")  # > 2 MiB of stdin
        assert big.ok and big.outputs[0].data == str(3 * 1024 * 1024)
        assert (await m.execute(tid, "open('artifacts/a.txt', 'w').write('a')")).ok
        backend = m.backend
        assert isinstance(backend, ModalBackend)
        await backend.live[tid].sandbox.terminate.aio()  # stopped behind the manager's back
        ws = m.workspace(tid)
        assert "artifacts/a.txt" in {f.path for f in await ws.list_files()}  # no 500: from the Volume
        paths = await asyncio.gather(*(ws.local_path("artifacts/a.txt") for _ in range(3)))
        assert all(p.read_text() == "a" for p in paths)
        assert (await m.execute(tid, "1")).ok
    finally:
        await m.remove(tid)
        await m.close()


@pytest.mark.timeout(900)
async def test_live_sandboxes_list_and_reap(tmp_path: Path) -> None:
    settings = live_settings(tmp_path)
    m = await live_manager(settings)
    tid = uuid.uuid4()
    try:
        assert (await m.execute(tid, "1")).ok
        backend = m.backend
        assert isinstance(backend, ModalBackend)
        listed = await list_deployment(settings, backend.modal)
        assert str(tid) in {thread for _, thread in listed}
        assert await reap_deployment(settings, backend.modal)
        assert await list_deployment(settings, backend.modal) == []
    finally:
        await m.remove(tid)
        await m.close()


@pytest.mark.timeout(900)
async def test_live_variables_come_back_after_modal_stops_the_sandbox(tmp_path: Path) -> None:
    settings = live_settings(tmp_path)
    m = await live_manager(settings)
    tid = uuid.uuid4()
    try:
        assert (await m.execute(tid, "x = 41")).ok
        backend = m.backend
        assert isinstance(backend, ModalBackend)
        await backend.live[tid].sandbox.terminate.aio()  # as Modal's hard timeout would
        met = await m.execute(tid, "0")  # the cell that meets the stopped sandbox says so
        assert not met.ok or any("restored" in n for n in met.notes), met
        again = await m.execute(tid, "x + 1")
        assert again.ok and again.outputs[0].data == "42", again
        assert any("restored by re-running" in n for n in met.notes + again.notes)
    finally:
        await m.remove(tid)
        await m.close()
