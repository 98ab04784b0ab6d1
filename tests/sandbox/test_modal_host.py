"""Any replica reaches a thread's Modal sandbox (issue 21): exec stdio belongs to the one client that started
it, so the sandbox host owns every Modal sandbox and the replicas (SANDBOX_BACKEND=host) send it the cells.

The host app runs in-process here (uvicorn on a unix socket) so it can use the fake Modal transport; the
real `lgurban sandbox-host` process builds the same objects (cli/sandbox_host.py, via build_backend)."""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from pathlib import Path

import pytest
import uvicorn
from typer.testing import CliRunner

from lgurban.cli import app as cli_app
from lgurban.sandbox.host_client import HostSandboxes
from lgurban.sandbox.host_server import SandboxHostApp, TrackingBackend
from lgurban.sandbox.manager import SandboxManager
from lgurban.sandbox.modal_backend import ModalBackend
from tests.conftest import wait_until
from tests.fakes.modal_fake import FakeModal, running_processes
from tests.sandbox.conftest import sandbox_settings

SECRET = "modal-host-test-secret-0123456789"


async def test_two_replicas_share_one_threads_modal_sandbox_through_the_host(tmp_path: Path) -> None:
    fake = FakeModal(tmp_path / "modal")
    host_settings = sandbox_settings(tmp_path / "host", sandbox_backend="modal", sandbox_exec_timeout_s=20)
    backend = TrackingBackend(ModalBackend(host_settings, sdk=fake))
    host_app = SandboxHostApp(SandboxManager(host_settings, backend), backend, SECRET)
    sock = Path(tempfile.mkdtemp(prefix="lgm-", dir="/tmp")) / "host.sock"
    server = uvicorn.Server(uvicorn.Config(host_app, uds=str(sock), lifespan="on", log_level="warning"))
    serving = asyncio.create_task(server.serve())
    await wait_until(lambda: server.started, timeout=20)
    replica = {
        "sandbox_backend": "host",
        "sandbox_host_url": f"unix://{sock}",
        "sandbox_host_secret": SECRET,
    }
    a = HostSandboxes(sandbox_settings(tmp_path / "a", **replica))
    b = HostSandboxes(sandbox_settings(tmp_path / "b", **replica))
    await a.start()
    await b.start()
    tid = uuid.uuid4()
    try:
        assert (await a.execute(tid, "x = 1")).ok
        second = await b.execute(tid, "x += 1\nx")
        assert second.ok and second.outputs[0].data == "2", second.error
        third = await a.execute(tid, "x")
        assert third.outputs[0].data == "2"
        assert len(fake.sandboxes) == 1  # one Modal sandbox, one owner
        assert (await b.check()).startswith("ok")
    finally:
        await a.close()
        await b.close()
        server.should_exit = True
        await serving
    assert fake.running() == [] and running_processes(fake).running == 0  # the host ended it on shutdown


def test_the_sandbox_host_command_runs_the_modal_backend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lgurban sandbox-host` with SANDBOX_BACKEND=modal owns the Modal sandboxes (it used to refuse)."""
    served: list[SandboxHostApp] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_: served.append(app))
    monkeypatch.setenv("SANDBOX_BACKEND", "modal")
    monkeypatch.setenv("SANDBOX_HOST_SECRET", SECRET)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli_app, ["sandbox-host", "--listen", f"unix:{tmp_path}/h.sock"])
    assert result.exit_code == 0, result.output
    [app] = served
    assert isinstance(app.backend.inner, ModalBackend)
