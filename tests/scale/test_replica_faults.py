"""The whole scale-out deployment behind a round-robin proxy, and replicas killed at the worst moments.

Two real `lgurban serve` replicas + one `lgurban sandbox-host` + PostgreSQL + Redis (issue 11): every request
through a loopback proxy that sends each new connection to the next replica (no sticky sessions); a replica
SIGKILLed in the middle of a cell, and the replica serving a re-attached stream SIGKILLed mid-stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.openai_server import FakeOpenAI
from tests.scale.conftest import REDIS_URL, Replica, read_events, replica_env, words
from tests.scale.sandbox_host_kit import Host

Event = tuple[int | None, str, dict[str, Any]]


class RoundRobinProxy:
    """A TCP proxy on loopback: each accepted connection goes to the next backend; counts them."""

    def __init__(self, backends: list[int]) -> None:
        self.turn = itertools.cycle(backends)
        self.sent: dict[int, int] = dict.fromkeys(backends, 0)
        self.server: asyncio.Server | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        port = next(self.turn)
        self.sent[port] += 1
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            writer.close()
            return
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()


async def _pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, ConnectionError):
        while chunk := await src.read(65536):
            dst.write(chunk)
            await dst.drain()
    with contextlib.suppress(OSError, ConnectionError):
        dst.close()


@pytest.fixture
def host(tmp_path: Path) -> Iterator[Host]:
    h = Host(tmp_path / "shared").start()
    yield h
    h.cleanup()


@pytest.fixture
def pair(
    tmp_path: Path, scale_db: str, redis_prefix: str, model: FakeOpenAI, host: Host
) -> Iterator[tuple[Replica, Replica]]:
    env = replica_env(
        tmp_path,
        db=scale_db,
        redis_url=REDIS_URL,
        prefix=redis_prefix,
        model=model,
        DATA_DIR=str(host.data_dir),
        SANDBOX_BACKEND="host",
        SANDBOX_HOST_URL=host.url,
        SANDBOX_HOST_SECRET=host.secret,
    )
    a = Replica(env)
    try:
        b = Replica(env)
    except BaseException:
        a.stop()
        raise
    yield a, b
    a.stop()
    b.stop()


@contextlib.asynccontextmanager
async def proxied(a: Replica, b: Replica) -> AsyncIterator[tuple[RoundRobinProxy, httpx.AsyncClient]]:
    proxy = RoundRobinProxy([a.port, b.port])
    url = await proxy.start()
    # no keep-alive: every request is a new connection, so consecutive requests go to different replicas
    limits = httpx.Limits(max_keepalive_connections=0)
    try:
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
            yield proxy, client
    finally:
        await proxy.close()


async def read_all(client: httpx.AsyncClient, method: str, path: str, into: list[Event], **kw: Any) -> None:
    async with client.stream(method, path, **kw) as r:
        assert r.status_code == 200, (await r.aread()).decode()
        async for item in read_events(r):
            into.append(item)


async def until(events: list[Event], name: str, count: int = 1, within: float = 30) -> None:
    deadline = time.monotonic() + within
    while sum(e[1] == name for e in events) < count:
        assert time.monotonic() < deadline, f"no {count} {name} events in {within} s: {events[-3:]}"
        await asyncio.sleep(0.01)


def text_of(events: list[Event]) -> str:
    return "".join(e[2]["text"] for e in events if e[1] == "token")


def value(r: httpx.Response) -> str:
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"], body
    return str(body["outputs"][-1]["data"]) if body["outputs"] else ""


async def test_behind_a_round_robin_proxy_runs_streams_cancels_and_cells_all_work(
    pair: tuple[Replica, Replica], model: FakeOpenAI
) -> None:
    a, b = pair
    async with proxied(a, b) as (proxy, client):
        made = await client.post("/api/threads", json={})
        assert made.status_code == 201, made.text
        tid = made.json()["id"]
        # cells alternate A / B / A (one connection each) and keep their variables: the host owns the sandbox
        assert value(await client.post(f"/api/threads/{tid}/execute", json={"code": "x = 40\nx"})) == "40"
        assert value(await client.post(f"/api/threads/{tid}/execute", json={"code": "x += 1\nx"})) == "41"
        assert value(await client.post(f"/api/threads/{tid}/execute", json={"code": "x + 1"})) == "42"
        # a run posted through one replica, followed live (tokens) through the other
        reply = words(80)
        model.script({"when": {"has_tools": True}, "content": reply, "token_delay_s": 0.03})
        posted: list[Event] = []
        posting = asyncio.create_task(
            read_all(client, "POST", f"/api/threads/{tid}/messages", posted, json={"content": "go"})
        )
        await until(posted, "token")
        followed: list[Event] = []
        await read_all(client, "GET", f"/api/threads/{tid}/runs/active/events", followed)
        await posting
        assert text_of(posted) == reply
        assert text_of(followed) == reply  # every token, from the start, through the other replica
        # a cancel through whichever replica the proxy picks stops the run where it runs
        model.script({"when": {"has_tools": True}, "content": words(400), "token_delay_s": 0.05})
        running: list[Event] = []
        posting = asyncio.create_task(
            read_all(client, "POST", f"/api/threads/{tid}/messages", running, json={"content": "long"})
        )
        await until(running, "token")
        for _ in range(2):  # one of two consecutive connections reaches the replica that does not run it
            assert (await client.post(f"/api/threads/{tid}/runs/cancel")).status_code in (202, 204)
        await until(running, "done", within=5)
        await posting
        assert running[-1][2]["status"] == "cancelled"
    assert min(proxy.sent.values()) >= 3, proxy.sent  # both replicas served this conversation


async def test_sigkill_of_a_replica_mid_cell_keeps_the_variables_and_frees_the_thread(
    pair: tuple[Replica, Replica],
) -> None:
    a, b = pair
    async with httpx.AsyncClient(timeout=60) as client:
        made = await client.post(f"{a.url}/api/threads", json={})
        tid = made.json()["id"]
        assert value(await client.post(f"{a.url}/api/threads/{tid}/execute", json={"code": "x = 41"})) == ""
        code = "import time\ntime.sleep(60)"
        cell = asyncio.create_task(client.post(f"{a.url}/api/threads/{tid}/execute", json={"code": code}))
        await asyncio.sleep(1.0)  # the cell is running on the host (it sleeps 60 s)
        a.kill()
        killed = time.monotonic()
        with pytest.raises(httpx.HTTPError):
            await cell
        # the host saw A's connection drop and interrupted the cell: B runs the next one at once
        r = await client.post(f"{b.url}/api/threads/{tid}/execute", json={"code": "x + 1", "timeout_s": 15})
        assert value(r) == "42"
        assert time.monotonic() - killed < 10


async def test_sigkill_of_the_replica_serving_a_reattached_stream_resumes_on_the_other(
    pair: tuple[Replica, Replica], model: FakeOpenAI
) -> None:
    a, b = pair
    reply = words(120)
    model.script({"when": {"has_tools": True}, "content": reply, "token_delay_s": 0.03})
    async with httpx.AsyncClient(timeout=60) as client:
        tid = (await client.post(f"{a.url}/api/threads", json={})).json()["id"]
        on_a: list[Event] = []
        posting = asyncio.create_task(
            read_all(client, "POST", f"{a.url}/api/threads/{tid}/messages", on_a, json={"content": "go"})
        )
        await until(on_a, "token")
        via_b: list[Event] = []
        following = asyncio.create_task(
            read_all(client, "GET", f"{b.url}/api/threads/{tid}/runs/active/events", via_b)
        )
        await until(via_b, "token", count=10)
        b.kill()  # the replica the client re-attached through dies mid-stream
        with pytest.raises(httpx.HTTPError):
            await following
        last_id = max(e[0] or 0 for e in via_b)
        rest: list[Event] = []
        headers = {"Last-Event-ID": str(last_id)}
        await read_all(client, "GET", f"{a.url}/api/threads/{tid}/runs/active/events", rest, headers=headers)
        await posting
    ids = [e[0] or 0 for e in via_b + rest]
    assert ids == sorted(set(ids)), ids  # no event twice, none skipped in order
    assert text_of(via_b) + text_of(rest) == reply
    assert rest[-1][1] == "done" and rest[-1][2]["status"] == "done"
    assert text_of(on_a) == reply  # the run itself never noticed


async def test_live_code_output_through_the_other_replica_and_variables_survive_restarting_both(
    pair: tuple[Replica, Replica], model: FakeOpenAI
) -> None:
    a, b = pair
    code = (
        "import time\ny = 6 * 7\nfor i in range(4):\n    print('line', i, flush=True)\n    time.sleep(0.4)\ny"
    )
    model.script(
        {"when": {"has_tools": True}, "tool_calls": [{"name": "execute_code", "args": {"code": code}}]},
        {"when": {"has_tools": True}, "content": "y is 42"},
    )
    async with httpx.AsyncClient(timeout=60) as client:
        tid = (await client.post(f"{a.url}/api/threads", json={})).json()["id"]
        on_a: list[Event] = []
        posting = asyncio.create_task(
            read_all(client, "POST", f"{a.url}/api/threads/{tid}/messages", on_a, json={"content": "go"})
        )
        await until(on_a, "tool_start")
        via_b: list[Event] = []
        await read_all(client, "GET", f"{b.url}/api/threads/{tid}/runs/active/events", via_b)
        await posting
        kinds = [e[1] for e in via_b]
        assert "tool_output" in kinds and kinds.index("tool_output") < kinds.index("tool_end"), kinds
        printed = "".join(e[2]["text"] for e in via_b if e[1] == "tool_output")
        assert "line 3" in printed  # the cell's output, live, through the replica that does not run it
        a.stop()
        b.stop()
        a.restart()
        b.restart()
        r = await client.post(f"{b.url}/api/threads/{tid}/execute", json={"code": "y + 1"})
        assert value(r) == "43"  # the agent's variable, after both replicas restarted


async def test_cancelling_a_run_stops_its_cell_not_the_users_next_one(
    pair: tuple[Replica, Replica], model: FakeOpenAI
) -> None:
    """The run's cell stops with its cancelled tool call; the user's cell queued behind it on the host runs to
    its end (an interrupt of "whatever runs on the thread now" could have reached it)."""
    a, b = pair
    async with httpx.AsyncClient(timeout=60) as client:
        tid = (await client.post(f"{a.url}/api/threads", json={})).json()["id"]
        slow = "import time\nfor i in range(600):\n    print('step', i, flush=True)\n    time.sleep(0.1)\n"
        model.script(
            {"when": {"has_tools": True}, "tool_calls": [{"name": "execute_code", "args": {"code": slow}}]},
            {"when": {"has_tools": True}, "content": "stopped"},
        )
        running: list[Event] = []
        posting = asyncio.create_task(
            read_all(client, "POST", f"{a.url}/api/threads/{tid}/messages", running, json={"content": "go"})
        )
        await until(running, "tool_output")
        mine = "import time\ntime.sleep(1.0)\n'mine'"
        queued = asyncio.create_task(client.post(f"{b.url}/api/threads/{tid}/execute", json={"code": mine}))
        await asyncio.sleep(0.3)  # the user's cell waits on the host behind the agent's
        t0 = time.monotonic()
        assert (await client.post(f"{a.url}/api/threads/{tid}/runs/cancel")).status_code in (202, 204)
        await until(running, "done", within=10)
        await posting
        assert running[-1][2]["status"] == "cancelled"
        assert value(await queued) == "'mine'"  # ran whole, not interrupted
        assert time.monotonic() - t0 < 10  # and did not wait out the agent's 60 s cell
