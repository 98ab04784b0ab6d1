"""Several real `lgurban serve` replicas on one PostgreSQL database and one Redis, the model a fake.

Each test gets its own Redis key prefix (its keys are deleted afterwards) and its own fake model server;
replicas are real processes, so a SIGKILL is a real crash.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import redis

from lgurban.db.migrate import upgrade
from lgurban.settings import Settings
from tests.conftest import PG_ADMIN_URL, _pg_url, free_port
from tests.fakes.openai_server import FakeOpenAI

LGURBAN = str(Path(sys.executable).parent / "lgurban")
SETTING_NAMES = {name.upper() for name in Settings.model_fields}
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def words(n: int) -> str:
    return " ".join(f"w{i}" for i in range(n))


def fresh_pg_database() -> str:
    name = f"lgurban_scale_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return _pg_url(name)


def drop_pg_database(url: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rpartition("/")[2]}" WITH (FORCE)')


class Replica:
    """`lgurban serve` in its own process."""

    def __init__(self, env: dict[str, str], *args: str, wait: bool = True) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env, self.args = env, args
        self.proc = self._spawn()
        if wait:
            self.wait_healthy()

    def _spawn(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [LGURBAN, "serve", "--port", str(self.port), *self.args],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def restart(self) -> None:
        """Start again on the same port (after stop or kill), as a redeploy would."""
        assert self.proc.poll() is not None, "stop or kill it first"
        self.proc = self._spawn()
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise AssertionError(f"replica exited {self.proc.returncode}: {err[-3000:]}")
            try:
                r = httpx.get(self.url + "/api/health", timeout=5)
                if r.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, (
                f"replica did not become healthy: {r.text if 'r' in dir() else ''}"
            )
            time.sleep(0.1)

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()


class RedisServer:
    """A Redis of the test's own on a free port, to stop mid-run."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        client.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own on the shared Redis; its keys are deleted afterwards."""
    prefix = f"lgurban-test-{uuid.uuid4().hex[:8]}:"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=prefix + "*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(scope="module")
def scale_db() -> Iterator[str]:
    """A migrated PostgreSQL database for the replicas of this module."""
    url = fresh_pg_database()
    upgrade(Settings(environment="test", database_url=url, _env_file=None))  # type: ignore[call-arg]
    yield url
    drop_pg_database(url)


@pytest.fixture
def model() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        fake.add_rule({"has_tools": False}, {"content": "A title"})
        yield fake


def replica_env(
    tmp: Path, *, db: str, redis_url: str, prefix: str, model: FakeOpenAI, **extra: str
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.upper() not in SETTING_NAMES}
    env.update(
        ENVIRONMENT="test",
        DATA_DIR=str(tmp / f"data-{uuid.uuid4().hex[:6]}"),
        DATABASE_URL=db,
        REDIS_URL=redis_url,
        REDIS_PREFIX=prefix,
        OPENAI_BASE_URL=model.url,
        OPENAI_API_KEY="sk-fake",
        LLM_MODEL="openai:fake-analyst",
        LLM_HELPER_MODEL="openai:fake-helper",
        AGENT_KEEPALIVE_S="0.5",
        SANDBOX_REQUIRE_ISOLATION="false",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def sse_events(lines: list[str]) -> list[tuple[int | None, str, dict[str, Any]]]:
    """SSE lines → [(id, event, data)]."""
    out: list[tuple[int | None, str, dict[str, Any]]] = []
    ident: int | None = None
    name = "message"
    for line in lines:
        if line.startswith("id:"):
            ident = int(line[3:].strip())
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            out.append((ident, name, json.loads(line[5:].strip())))
            ident, name = None, "message"
    return out


async def read_events(
    response: httpx.Response, *, stop: Any = None
) -> AsyncIterator[tuple[int | None, str, dict[str, Any]]]:
    """The events of an SSE response as they come."""
    ident: int | None = None
    name = "message"
    async for line in response.aiter_lines():
        if line.startswith("id:"):
            ident = int(line[3:].strip())
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            yield ident, name, json.loads(line[5:].strip())
            ident, name = None, "message"
