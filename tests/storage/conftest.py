"""A real S3 API over HTTP: moto's server on a free loopback port."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.client import Config
from moto.server import ThreadedMotoServer

from lgurban.settings import Settings
from lgurban.storage import build_store
from lgurban.storage.bootstrap import bootstrap
from lgurban.storage.local import LocalStore
from lgurban.storage.s3 import S3Store
from tests.conftest import free_port


@dataclass
class Moto:
    server: ThreadedMotoServer
    url: str
    running: bool = True

    def client(self) -> Any:
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.url,
            region_name="eu-west-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(s3={"addressing_style": "path"}),
        )

    def stop(self) -> None:
        if self.running:
            self.server.stop()
            self.running = False


@pytest.fixture
def moto() -> Iterator[Moto]:
    """A moto server per test. Its state is per process: tests use their own bucket names."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    m = Moto(server, f"http://127.0.0.1:{port}")
    yield m
    m.stop()


def s3_settings(moto: Moto, **extra: Any) -> dict[str, Any]:
    return {
        "storage_backend": "s3",
        "s3_endpoint_url": moto.url,
        "s3_region": "eu-west-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
        **extra,
    }


@pytest.fixture
def bucket() -> str:
    import uuid

    return f"lgurban-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def local_store(tmp_path: Path) -> LocalStore:
    """The local store of a fresh DATA_DIR."""
    s = build_store(plain_settings(data_dir=tmp_path / "data"))
    assert isinstance(s, LocalStore)
    return s


@pytest.fixture
async def s3_store(tmp_path: Path, moto: Moto, bucket: str) -> AsyncIterator[S3Store]:
    """The S3 store on moto's server, its bucket made by `lgurban storage bootstrap`'s code."""
    settings = plain_settings(data_dir=tmp_path / "data", **s3_settings(moto, s3_bucket=bucket))
    assert await bootstrap(settings)
    s = build_store(settings)
    assert isinstance(s, S3Store)
    yield s
    await s.close()


class CuttingProxy:
    """A TCP proxy to moto that goes away for good once `cut_after` bytes were sent upstream
    (listener closed, every connection aborted): the S3 server vanishing in the middle of an upload."""

    def __init__(self, upstream_port: int, cut_after: int) -> None:
        self.upstream_port = upstream_port
        self.cut_after = cut_after
        self.sent = 0
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cut = False
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> CuttingProxy:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        return self

    def _cut(self) -> None:
        self.cut = True
        if self._server is not None:
            self._server.close()
        for w in list(self._writers):
            w.transport.abort()

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        if self.cut:
            client_w.transport.abort()
            return
        server_r, server_w = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        self._writers |= {client_w, server_w}

        async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, upstream: bool) -> None:
            with contextlib.suppress(OSError):
                while data := await reader.read(65536):
                    if upstream:
                        self.sent += len(data)
                        if self.sent > self.cut_after:
                            self._cut()
                            return
                    writer.write(data)
                    await writer.drain()
            writer.transport.abort()

        await asyncio.gather(pipe(client_r, server_w, True), pipe(server_r, client_w, False))

    async def close(self) -> None:
        self._cut()


def plain_settings(**values: Any) -> Settings:
    """Settings for a test, from the given values only (no .env, no environment file)."""
    merged: dict[str, Any] = {"_env_file": None, "environment": "test", **values}
    return Settings(**merged)


@pytest.fixture
def strict_moto() -> Iterator[Moto]:
    """A moto server in its own process that checks credentials (INITIAL_NO_AUTH_ACTION_COUNT=0):
    requests signed with unknown keys are refused as real S3 refuses them."""
    import os
    import subprocess
    import sys

    port = free_port()
    code = (
        "import sys\n"
        "from moto.server import ThreadedMotoServer\n"
        f"ThreadedMotoServer(ip_address='127.0.0.1', port={port}, verbose=False).start()\n"
        "print('ready', flush=True)\n"
        "sys.stdin.read()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": "0"},
    )
    assert proc.stdout is not None and proc.stdin is not None
    assert proc.stdout.readline().strip() == b"ready"
    yield Moto(server=None, url=f"http://127.0.0.1:{port}", running=False)  # type: ignore[arg-type]
    proc.stdin.close()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.stdout.close()
