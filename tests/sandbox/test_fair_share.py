"""Fair sharing of the sandbox slots between users (issue 13): one user's sandboxes cannot push another
user's out. Past SANDBOX_MAX_PER_USER a user's own least recently used idle sandbox makes room; with all of
theirs busy the cell is refused with QUOTA_EXCEEDED at once. Under the server-wide cap (SANDBOX_MAX_LIVE) the
caller's own idle sandboxes go first, and a busy one never does."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest

from lgurban.errors import QuotaExceeded
from lgurban.sandbox.manager import SandboxManager
from lgurban.settings import Settings
from tests.conftest import wait_until
from tests.sandbox.conftest import local_backend, sandbox_settings

ALICE, BOB = "alice-id", "bob-id"


async def value(m: SandboxManager, thread: uuid.UUID, code: str, owner: str) -> str:
    r = await m.execute(thread, code, owner=owner)
    assert r.ok, r.error
    return str(r.outputs[-1].data) if r.outputs else ""


def manager(tmp_path: Path, **extra: object) -> SandboxManager:
    settings = sandbox_settings(tmp_path, **extra)
    return SandboxManager(settings, local_backend(settings))


async def test_past_the_per_user_cap_the_users_own_idle_sandbox_makes_room(tmp_path: Path) -> None:
    m = manager(tmp_path, sandbox_max_live=3, sandbox_max_per_user=2)
    await m.start()
    try:
        b1, a1, a2, a3 = (uuid.uuid4() for _ in range(4))
        await value(m, b1, "mine = 'bob'", BOB)  # Bob's sandbox is the least recently used of all
        await value(m, a1, "x = 1", ALICE)
        await value(m, a2, "x = 2", ALICE)
        await value(m, a3, "x = 3", ALICE)  # Alice's third: her own a1 goes, not Bob's
        assert m.live_count() == 3
        r = await m.execute(b1, "mine", owner=BOB)
        assert r.ok and r.outputs[-1].data == "'bob'" and r.notes == []  # Bob's sandbox was not touched
        r = await m.execute(a1, "x", owner=ALICE)
        assert r.ok and r.outputs[-1].data == "1"
        assert any("your other conversations" in n for n in r.notes), r.notes
    finally:
        await m.close()


async def test_all_of_a_users_sandboxes_busy_is_refused_at_once(tmp_path: Path) -> None:
    m = manager(tmp_path, sandbox_max_live=8, sandbox_max_per_user=2, sandbox_transport_timeout_s=20)
    await m.start()
    try:
        busy = [
            asyncio.create_task(m.execute(uuid.uuid4(), "import time\ntime.sleep(30)", owner=ALICE))
            for _ in range(2)
        ]
        await wait_until(lambda: m.live_count() == 2, timeout=20)
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        with pytest.raises(QuotaExceeded) as refused:
            await m.execute(uuid.uuid4(), "1", owner=ALICE)
        assert loop.time() - t0 < 2  # not after waiting out the transport timeout
        assert refused.value.status == 429 and refused.value.code == "QUOTA_EXCEEDED"
        assert "2 sandboxes" in refused.value.message and "SANDBOX_MAX_PER_USER" in refused.value.message
        # another user is not affected
        assert await value(m, uuid.uuid4(), "6 * 7", BOB) == "42"
        for t in busy:
            t.cancel()
        await asyncio.gather(*busy, return_exceptions=True)
    finally:
        await m.close()


async def test_under_the_server_cap_the_callers_own_idle_sandbox_goes_first(tmp_path: Path) -> None:
    m = manager(tmp_path, sandbox_max_live=3, sandbox_max_per_user=3)
    await m.start()
    try:
        a1, a2, b1, b2 = (uuid.uuid4() for _ in range(4))
        await value(m, a1, "x = 'a1'", ALICE)  # Alice's are the least recently used
        await value(m, a2, "x = 'a2'", ALICE)
        await value(m, b1, "x = 'b1'", BOB)
        await value(m, b2, "x = 'b2'", BOB)  # the server is full: Bob's own idle b1 goes, not Alice's a1
        for thread, owner, expected in ((a1, ALICE, "'a1'"), (a2, ALICE, "'a2'")):
            r = await m.execute(thread, "x", owner=owner)
            assert r.ok and r.outputs[-1].data == expected and r.notes == [], r.notes
    finally:
        await m.close()


def test_the_per_user_cap_is_off_on_a_single_user_install_and_on_by_default_otherwise() -> None:
    local = Settings(environment="test", auth_mode="local", _env_file=None)  # type: ignore[call-arg]
    assert local.sandbox_user_cap == 0
    hosted = Settings(environment="test", auth_mode="token", _env_file=None)  # type: ignore[call-arg]
    assert hosted.sandbox_user_cap == hosted.sandbox_max_live // 4 == 8
    chosen = Settings(environment="test", auth_mode="token", sandbox_max_per_user=3, _env_file=None)  # type: ignore[call-arg]
    assert chosen.sandbox_user_cap == 3
