"""Sandboxes as a service of their own (issue 11): a real `lgurban sandbox-host` process, API apps using it.

Variables belong to the thread, not to an API instance: two instances share them, restarting one keeps
them; a wrong secret runs nothing; a host that is down is 503 SANDBOX_UNAVAILABLE until it is back."""

from __future__ import annotations

import ast
import asyncio
import itertools
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from lgurban.db.models import SandboxSession
from lgurban.sandbox.host_client import HOST_RESTARTED, HostSandboxes
from lgurban.sandbox.types import StreamChunk
from lgurban.settings import Settings
from tests.conftest import free_port, wait_until
from tests.factories import post_thread
from tests.scale.sandbox_host_kit import LGURBAN, SECRET, Host, Replica, api, host_overrides


@pytest.fixture
def host(tmp_path: Path) -> Iterator[Host]:
    h = Host(tmp_path / "shared").start()
    yield h
    h.stop()
    logged = h.log.read_text()
    h.cleanup()
    assert SECRET not in logged  # never logged


async def run(c: httpx.AsyncClient, thread: dict[str, Any], code: str) -> httpx.Response:
    return await c.post(f"/api/threads/{thread['id']}/execute", json={"code": code})


def value(r: httpx.Response) -> str:
    """The cell's value (its last expression), or "" for a cell without one; the cell must have succeeded."""
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"], body
    return str(body["outputs"][-1]["data"]) if body["outputs"] else ""


async def test_two_api_instances_share_a_threads_variables(settings_factory: Any, host: Host) -> None:
    s = settings_factory(**host_overrides(host))
    async with api(s) as (app_a, a), api(s) as (_app_b, b):
        thread = await post_thread(a, title="shared")
        assert value(await run(a, thread, "x = 1\nx")) == "1"
        assert value(await run(b, thread, "x += 1\nx")) == "2"
        assert value(await run(a, thread, "x")) == "2"
        # the thread → host mapping is in the database, for any replica and an operator to see
        async with app_a.state.resources.sessionmaker() as session:
            row = await session.get(SandboxSession, uuid.UUID(thread["id"]))
        assert row is not None and row.backend == "host" and row.status == "running"
        assert row.external_id is not None and f"host={host.url} instance=" in row.external_id
        health = await b.get("/api/health")
        assert health.json()["checks"]["sandbox"].startswith(f"ok (sandbox host {host.url}")
        assert SECRET not in health.text
        # nor does the secret reach the sandbox
        env = await run(a, thread, "import os\n'\\n'.join(f'{k}={v}' for k, v in os.environ.items())")
        assert env.status_code == 200 and SECRET not in env.text


async def test_restarting_the_api_keeps_variables(settings_factory: Any, host: Host) -> None:
    s = settings_factory(**host_overrides(host))
    async with api(s) as (_app, a):
        thread = await post_thread(a, title="restart")
        value(await run(a, thread, "x = 41"))
    async with api(s) as (_app, again):  # a new API process: the host (and x) lived on
        r = await run(again, thread, "x + 1")
        assert value(r) == "42" and r.json()["notes"] == []


async def test_a_wrong_secret_is_refused_and_runs_nothing(settings_factory: Any, host: Host) -> None:
    wrong = "wrong-secret-of-some-length"
    async with api(settings_factory(**host_overrides(host, wrong))) as (_app, bad):
        thread = await post_thread(bad, title="wrong secret")
        r = await run(bad, thread, "open('ran.txt', 'w').write('ran')")
        assert r.status_code == 503, r.text
        assert r.json()["error"]["code"] == "SANDBOX_UNAVAILABLE"
        assert "SANDBOX_HOST_SECRET does not match" in r.json()["error"]["message"]
        assert wrong not in r.text
        health = await bad.get("/api/health")
        assert (
            health.status_code == 503 and "refused SANDBOX_HOST_SECRET" in health.json()["checks"]["sandbox"]
        )
    assert not (host.data_dir / "workspaces" / thread["id"] / "ran.txt").exists()
    assert wrong not in host.log.read_text()


async def test_host_down_is_503_and_recovers_by_itself(settings_factory: Any, host: Host) -> None:
    s = settings_factory(**host_overrides(host))
    async with api(s) as (_app, a):
        thread = await post_thread(a, title="host down")
        value(await run(a, thread, "x = 1"))
        host.kill()
        r = await run(a, thread, "x")
        assert r.status_code == 503, r.text
        assert r.json()["error"]["code"] == "SANDBOX_UNAVAILABLE"
        assert "does not answer" in r.json()["error"]["message"]
        assert (await a.get("/api/health")).json()["checks"]["sandbox"].startswith("unavailable")
        host.start()  # the same API, not restarted, works again; the variables went with the old host
        r = await run(a, thread, "'x' in dir()")
        assert value(r) == "False"
        assert r.json()["notes"] == [HOST_RESTARTED]
        assert value(await run(a, thread, "x = 5\nx")) == "5"


async def test_a_fresh_replica_after_a_host_restart_says_so_too(settings_factory: Any, host: Host) -> None:
    """The note comes from sandbox_sessions when this replica never saw the thread's earlier sandbox."""
    s = settings_factory(**host_overrides(host))
    async with api(s) as (_app, a):
        thread = await post_thread(a, title="fresh replica")
        value(await run(a, thread, "x = 1"))
    host.stop()
    host.start()
    async with api(s) as (_app, b):
        r = await run(b, thread, "1")
        assert value(r) == "1" and r.json()["notes"] == [HOST_RESTARTED]


def client(settings: Settings) -> HostSandboxes:
    return HostSandboxes(settings)


async def test_cells_of_one_thread_from_two_clients_run_one_at_a_time(
    settings_factory: Any, host: Host
) -> None:
    s = settings_factory(**host_overrides(host))
    a, b = client(s), client(s)
    thread_id = uuid.uuid4()
    try:
        await a.execute(thread_id, "import time\nspans = []")
        cell = "t0 = time.monotonic()\ntime.sleep(0.4)\nspans.append((t0, time.monotonic()))"
        results = await asyncio.gather(*(c.execute(thread_id, cell) for c in (a, b, a, b)))
        assert all(r.ok for r in results), results
        spans = await b.execute(thread_id, "sorted(spans)")
        got = ast.literal_eval(spans.outputs[-1].data)  # a list of float pairs
        assert len(got) == 4
        assert all(later[0] >= earlier[1] for earlier, later in itertools.pairwise(got))
    finally:
        await a.close()
        await b.close()


async def test_interrupt_from_another_client_stops_the_cell(settings_factory: Any, host: Host) -> None:
    s = settings_factory(**host_overrides(host))
    a, b = client(s), client(s)
    thread_id = uuid.uuid4()
    started = asyncio.Event()

    async def on_output(chunk: StreamChunk) -> None:
        if "started" in chunk.text:
            started.set()

    try:
        code = "import time\nx = 7\nprint('started', flush=True)\nfor _ in range(300):\n    time.sleep(0.1)"
        cell = asyncio.create_task(a.execute(thread_id, code, on_output=on_output))
        await asyncio.wait_for(started.wait(), 20)  # output streamed live, through the host
        await b.interrupt(thread_id)
        result = await asyncio.wait_for(cell, 10)
        assert not result.ok and result.error is not None and result.error.name == "KeyboardInterrupt"
        assert (await b.execute(thread_id, "x")).outputs[-1].data == "7"  # variables kept
    finally:
        await a.close()
        await b.close()


async def test_a_client_that_goes_away_stops_its_cell(settings_factory: Any, host: Host) -> None:
    """A cancelled caller (run cancelled, API killed) closes its connection: the host stops that cell."""
    s = settings_factory(**host_overrides(host))
    a, b = client(s), client(s)
    thread_id = uuid.uuid4()
    started = asyncio.Event()

    async def on_output(chunk: StreamChunk) -> None:
        started.set()

    try:
        code = "import time\nprint('started', flush=True)\ntime.sleep(30)"
        cell = asyncio.create_task(a.execute(thread_id, code, on_output=on_output))
        await asyncio.wait_for(started.wait(), 20)
        cell.cancel()
        result = await asyncio.wait_for(b.execute(thread_id, "'next'"), 10)  # not after the 30 s
        assert result.ok and result.outputs[-1].data == "'next'"
        assert b.live_count() == 1
    finally:
        await a.close()
        await b.close()


async def test_close_leaves_the_hosts_sandboxes_running(settings_factory: Any, host: Host) -> None:
    s = settings_factory(**host_overrides(host))
    a = client(s)
    thread_id = uuid.uuid4()
    await a.execute(thread_id, "x = 3")
    await a.close()
    b = client(s)
    try:
        assert (await b.execute(thread_id, "x")).outputs[-1].data == "3"
        await b.remove(thread_id)
        await wait_until(lambda: not (host.data_dir / "workspaces" / str(thread_id)).exists())
        r = await b.execute(thread_id, "'x' in dir()")
        assert r.outputs[-1].data == "False"
    finally:
        await b.close()


def test_the_host_refuses_to_start_without_a_real_secret(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
    for secret in (None, "short"):
        if secret is not None:
            env["SANDBOX_HOST_SECRET"] = secret
        done = subprocess.run(
            [LGURBAN, "sandbox-host", "--listen", f"unix:{tmp_path / 'h.sock'}"],
            env=env | {"DATA_DIR": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2
        assert "SANDBOX_HOST_SECRET must be set" in done.stderr
        assert not (tmp_path / "h.sock").exists()


async def test_two_serve_processes_share_variables_and_survive_a_kill(db_url: str, host: Host) -> None:
    """Real `lgurban serve` replicas share a thread's variables; A SIGKILLed and restarted keeps them."""
    a = Replica(host, db_url, free_port()).start()
    b = Replica(host, db_url, free_port()).start()
    try:
        async with httpx.AsyncClient(timeout=60) as http:
            made = await http.post(f"{a.url}/api/threads", json={"title": "replicas"})
            assert made.status_code == 201, made.text
            base = f"/api/threads/{made.json()['id']}/execute"

            async def cell(replica: Replica, code: str) -> str:
                return value(await http.post(f"{replica.url}{base}", json={"code": code}))

            assert await cell(a, "x = 1\nx") == "1"
            assert await cell(b, "x += 1\nx") == "2"
            assert await cell(a, "x") == "2"
            a.kill()
            a.start()
            assert await cell(a, "x += 1\nx") == "3"
    finally:
        a.kill()
        b.kill()


async def test_cells_on_the_host_move_the_api_cell_metrics(settings_factory: Any, host: Host) -> None:
    """/metrics of an API replica counts the cells it sent to the host, as with sandboxes of its own."""
    from tests.ops.test_metrics import scrape
    from tests.ops.test_metrics import value as sample

    s = settings_factory(**host_overrides(host))
    async with api(s) as (_app, a):
        thread = await post_thread(a, title="metrics")
        before = await scrape(a)
        value(await run(a, thread, "1 + 1"))
        failed = await run(a, thread, "1 / 0")
        assert failed.status_code == 200 and not failed.json()["ok"]
        after = await scrape(a)
    cells = "lgurban_sandbox_cells_total"
    assert sample(after, cells, outcome="ok") == sample(before, cells, outcome="ok") + 1
    assert sample(after, cells, outcome="error") == sample(before, cells, outcome="error") + 1
    duration = "lgurban_sandbox_cell_duration_seconds_count"
    assert sample(after, duration) == sample(before, duration) + 2


async def test_the_apis_per_user_cap_holds_on_the_host(settings_factory: Any, host: Host) -> None:
    """The host applies the API's SANDBOX_MAX_PER_USER (the API knows the auth mode and the user): a user
    with every slot busy is refused with 429 QUOTA_EXCEEDED through the host, another user is not."""
    from tests.factories import api_client, make_user

    s = settings_factory(**host_overrides(host), auth_mode="token", sandbox_max_per_user=1)
    async with api(s) as (app, _anonymous):
        alice = api_client(app, (await make_user(app.state.resources.sessionmaker)).token)
        bob = api_client(app, (await make_user(app.state.resources.sessionmaker)).token)
        async with alice, bob:
            first, second = [(await post_thread(alice, title=f"a{i}"))["id"] for i in range(2)]
            wait = "import os, time\nopen('started', 'w').close()\n"
            wait += "while not os.path.exists('go'): time.sleep(0.05)"
            busy = asyncio.create_task(run(alice, {"id": first}, wait))
            started = host.data_dir / "workspaces" / first / "started"
            await wait_until(lambda: started.exists() or busy.done(), timeout=30)
            r = await run(alice, {"id": second}, "1")
            assert r.status_code == 429 and r.json()["error"]["code"] == "QUOTA_EXCEEDED", r.text
            assert "SANDBOX_MAX_PER_USER=1" in r.json()["error"]["message"]
            theirs = await post_thread(bob, title="b")
            assert value(await run(bob, theirs, "6 * 7")) == "42"
            (host.data_dir / "workspaces" / first / "go").write_text("")
            assert (await busy).status_code == 200
            assert value(await run(alice, {"id": second}, "2")) == "2"  # her idle first sandbox makes room
