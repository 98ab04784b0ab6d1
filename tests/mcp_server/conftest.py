"""MCP over real transports: `lgurban serve` in its own process (the /mcp endpoint) and `lgurban mcp` spawned
by the official client over stdio, on one database and DATA_DIR; the Opendatasoft portal a fake over HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import mcp_types as types
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from lgurban.db.session import make_engine, make_sessionmaker
from lgurban.settings import Settings
from tests.conftest import free_port
from tests.factories import TokenUser, make_user
from tests.fakes.opendatasoft import FakePortal

LGURBAN = str(Path(sys.executable).parent / "lgurban")
SETTING_NAMES = {name.upper() for name in Settings.model_fields}


class ServerProcess:
    """`lgurban serve --migrate` in its own process, with PUBLIC_BASE_URL its own address."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "PUBLIC_BASE_URL": self.url}
        self.proc = subprocess.Popen(
            [LGURBAN, "serve", "--migrate", "--port", str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise AssertionError(f"server exited {self.proc.returncode}: {err[-3000:]}")
            try:
                if httpx.get(self.url + "/api/health", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not become healthy"
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()


@dataclass
class Deployment:
    """One LG-Urban: its settings (for the test's own DB access), the server process, its environment."""

    settings: Settings
    server: ServerProcess

    @property
    def env(self) -> dict[str, str]:
        return self.server.env

    async def user(self) -> TokenUser:
        engine = make_engine(self.settings)
        try:
            return await make_user(make_sessionmaker(engine))
        finally:
            await engine.dispose()

    def api(self, token: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        )

    @asynccontextmanager
    async def http_client(
        self, token: str, *, mode: str = "legacy", query: str = ""
    ) -> AsyncIterator[Client]:
        http = create_mcp_http_client(headers={"Authorization": f"Bearer {token}"})
        async with (
            http,
            Client(
                streamable_http_client(f"{self.server.url}/mcp{query}", http_client=http), mode=mode
            ) as client,
        ):
            yield client

    @asynccontextmanager
    async def stdio_client(self, token: str, **extra: str) -> AsyncIterator[Client]:
        env = {**self.env, "LGURBAN_TOKEN": token, **extra}
        params = StdioServerParameters(command=LGURBAN, args=["mcp"], env=env)
        async with Client(params, mode="legacy") as client:
            yield client


def base_env(tmp: Path, *, db: str, portal: FakePortal) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.upper() not in SETTING_NAMES}
    env.update(
        ENVIRONMENT="test",
        AUTH_MODE="token",
        DATA_DIR=str(tmp / f"data-{uuid.uuid4().hex[:6]}"),
        DATABASE_URL=db,
        OPENDATA_BASE_URL=portal.url,
        OPENDATA_RETRIES="1",
        SANDBOX_REQUIRE_ISOLATION="false",
        LOG_LEVEL="WARNING",
    )
    return env


@pytest.fixture(scope="module")
def portal() -> Iterator[FakePortal]:
    with FakePortal() as p:
        yield p


def _deployment(tmp: Path, db: str, portal: FakePortal) -> Iterator[Deployment]:
    env = base_env(tmp, db=db, portal=portal)
    server = ServerProcess(env)
    settings = Settings(_env_file=None, environment="test", database_url=db, data_dir=Path(env["DATA_DIR"]))  # type: ignore[call-arg]
    try:
        yield Deployment(settings=settings, server=server)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory, portal: FakePortal) -> Iterator[Deployment]:
    """On SQLite: one server for the module (tests make their own users, so they never share state)."""
    tmp = tmp_path_factory.mktemp("mcp")
    yield from _deployment(tmp, f"sqlite:///{tmp / 'mcp.sqlite'}", portal)


@pytest.fixture(scope="module")
def pg_deployment(
    tmp_path_factory: pytest.TempPathFactory, portal: FakePortal, pg_database: str
) -> Iterator[Deployment]:
    yield from _deployment(tmp_path_factory.mktemp("mcp-pg"), pg_database, portal)


def body(result: types.CallToolResult) -> Any:
    """The JSON record a tool answered (its first text block)."""
    first = result.content[0]
    assert isinstance(first, types.TextContent), result
    return json.loads(first.text)


async def call(client: Client, name: str, **arguments: Any) -> types.CallToolResult:
    return await client.call_tool(name, arguments)
