"""The session manager on the local backend: idle reaping, the live cap, isolation checks, fork-server death.

What every backend must do (streams, interrupts, crashes, files, clean close) is in test_contract.py."""

from __future__ import annotations

import os
import signal
import uuid
from pathlib import Path

from lgurban.sandbox.manager import SandboxManager
from lgurban.settings import Settings
from tests.conftest import wait_until
from tests.sandbox.conftest import local_backend, sandbox_processes, sandbox_settings


def build_manager(settings: Settings) -> SandboxManager:
    """A manager on a local backend whose sandbox uids belong to this test run alone."""
    return SandboxManager(settings, local_backend(settings))


async def test_idle_reaping_lru_cap_and_clean_shutdown(tmp_path: Path) -> None:
    settings = sandbox_settings(tmp_path, sandbox_idle_timeout_s=1.0, sandbox_max_live=2)
    backend = local_backend(settings)
    m = SandboxManager(settings, backend)
    await m.start()
    try:
        a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        for t in (a, b):
            assert (await m.execute(t, "v = 1\nopen('artifacts/keep.txt', 'w').write('k')")).ok
        assert m.live_count() == 2
        assert (await m.execute(c, "v = 3")).ok  # over the cap: the least recently used (a) goes
        assert m.live_count() == 2
        res = await m.execute(a, "v")
        assert res.ok and res.outputs[0].data == "1"  # re-built in a's new sandbox
        assert any("make room" in n and "restored" in n for n in res.notes), res.notes
        await wait_until(lambda: m.live_count() == 0, timeout=10)  # idle reaping
        res = await m.execute(b, "open('artifacts/keep.txt').read()")
        assert res.ok and res.outputs[0].data == "'k'"  # the workspace outlived the process
        res = await m.execute(c, "v")  # c was live until the reaper stopped it
        assert res.ok and res.outputs[0].data == "3" and any("idle" in n for n in res.notes), res.notes
        assert sandbox_processes(backend)
    finally:
        await m.close()
    await wait_until(lambda: not sandbox_processes(backend), timeout=10)  # ours only, not other checkouts'


async def test_missing_isolation_is_reported_and_refused(tmp_path: Path, monkeypatch: object) -> None:
    m = build_manager(sandbox_settings(tmp_path))
    m.backend.probe = lambda: ["bubblewrap (bwrap) is not installed"]  # type: ignore[attr-defined,method-assign]
    await m.start()
    try:
        health = await m.check()
        assert health.startswith("unavailable") and "bubblewrap" in health
        from lgurban.errors import SandboxUnavailable

        try:
            await m.execute(uuid.uuid4(), "1")
        except SandboxUnavailable as exc:
            assert "SANDBOX_REQUIRE_ISOLATION" in str(exc)
        else:
            raise AssertionError("ran code without isolation")
    finally:
        await m.close()


async def test_unsandboxed_only_when_explicitly_allowed(tmp_path: Path) -> None:
    m = build_manager(sandbox_settings(tmp_path, sandbox_require_isolation=False))
    m.backend.probe = lambda: ["bubblewrap (bwrap) is not installed"]  # type: ignore[attr-defined,method-assign]
    await m.start()
    try:
        health = await m.check()
        assert health.startswith("ok (UNSANDBOXED") and "SANDBOX_REQUIRE_ISOLATION=false" in health
        res = await m.execute(uuid.uuid4(), "import os\nsorted(os.environ)")
        [text] = [o.data for o in res.outputs if o.mime == "text/plain"]  # (a list: also application/json)
        assert res.ok and "OPENAI_API_KEY" not in text  # still a clean environment
        assert "'HOME'" in text
    finally:
        await m.close()


async def test_fork_server_death_is_survived(tmp_path: Path) -> None:
    m = build_manager(sandbox_settings(tmp_path))
    await m.start()
    try:
        t = uuid.uuid4()
        assert (await m.execute(t, "x = 1")).ok
        zygote = m.backend._proc  # type: ignore[attr-defined]
        os.killpg(zygote.pid, signal.SIGKILL)
        await zygote.wait()
        res = await m.execute(t, "x")  # its sandbox went with it: a fresh one, said plainly
        assert res.error is not None and res.error.name in ("NameError", "SandboxCrashed")
        res = await m.execute(t, "'back'")
        assert res.ok and res.outputs[0].data == "'back'"
        assert (await m.check()).startswith("ok")
    finally:
        await m.close()
