"""`lgurban sandboxes list|reap` over the fake Modal: this deployment's sandboxes, found by tag, only them."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lgurban.cli import app as cli_app
from lgurban.cli.sandboxes import list_deployment, reap_deployment
from lgurban.sandbox import modal_backend
from lgurban.sandbox.manager import SandboxManager
from lgurban.sandbox.modal_backend import ModalBackend
from lgurban.sandbox.modal_names import sandbox_tags
from tests.fakes.modal_fake import FakeModal, FakeSandbox, running_processes
from tests.sandbox.conftest import sandbox_settings


async def other_deployments_sandbox(fake: FakeModal) -> FakeSandbox:
    app = await fake.App.lookup.aio("someone-else", create_if_missing=True)
    sandbox: FakeSandbox = await fake.Sandbox.create.aio(
        app=app, image=fake.Image.debian_slim(), timeout=0, tags=sandbox_tags("someone-else", uuid.uuid4())
    )
    return sandbox


async def test_list_and_reap_this_deployments_sandboxes(tmp_path: Path) -> None:
    fake = FakeModal(tmp_path / "modal")
    settings = sandbox_settings(tmp_path / "data", sandbox_backend="modal", modal_app_name="lgurban-mine")
    m = SandboxManager(settings, ModalBackend(settings, sdk=fake))
    await m.start()
    threads = sorted(str(uuid.uuid4()) for _ in range(2))
    try:
        for tid in threads:
            assert (await m.execute(uuid.UUID(tid), "1")).ok
        foreign = await other_deployments_sandbox(fake)
        listed = await list_deployment(settings, fake)
        assert sorted(thread for _, thread in listed) == threads
        ended = await reap_deployment(settings, fake)
        assert sorted(ended) == sorted(object_id for object_id, _ in listed)
        assert fake.running() == [foreign]  # another deployment's sandbox is left alone
        assert await list_deployment(settings, fake) == []
    finally:
        await m.close()
    assert running_processes(fake).running == 0


async def test_cli_lists_and_reaps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeModal(tmp_path / "modal")
    monkeypatch.setattr(modal_backend, "load_sdk", lambda: fake)
    monkeypatch.setenv("MODAL_APP_NAME", "lgurban-cli")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no stray .env
    app = await fake.App.lookup.aio("lgurban-cli", create_if_missing=True)
    tid = uuid.uuid4()
    mine: FakeSandbox = await fake.Sandbox.create.aio(
        app=app,
        image=fake.Image.debian_slim(),
        timeout=0,
        name=f"t-{tid}",
        tags=sandbox_tags("lgurban-cli", tid),
    )
    foreign = await other_deployments_sandbox(fake)
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        return runner.invoke(cli_app, ["sandboxes", *args])

    listed = await asyncio.to_thread(invoke, "list")
    assert listed.exit_code == 0, listed.output
    assert f"{mine.object_id}\tthread {tid}" in listed.output and foreign.object_id not in listed.output
    assert "1 running in deployment 'lgurban-cli'" in listed.output
    reaped = await asyncio.to_thread(invoke, "reap")
    assert reaped.exit_code == 0, reaped.output
    assert f"terminated {mine.object_id}" in reaped.output
    assert mine.returncode is not None and foreign.returncode is None
    again = await asyncio.to_thread(invoke, "list")
    assert "0 running" in again.output


async def test_cli_says_when_modal_is_unreachable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeModal(tmp_path / "modal")

    async def no_token(**_: Any) -> Any:
        raise fake.exception.AuthError("Token missing")
        yield  # an async generator, like Sandbox.list

    fake.Sandbox.list.impl = no_token
    monkeypatch.setattr(modal_backend, "load_sdk", lambda: fake)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    result = await asyncio.to_thread(CliRunner().invoke, cli_app, ["sandboxes", "list"])
    assert result.exit_code == 1 and "AuthError: Token missing" in result.output
