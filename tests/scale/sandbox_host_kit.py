"""A real `lgurban sandbox-host` process for tests, and API apps (in process) that use it."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI

from lgurban.app import create_app
from lgurban.settings import Settings

SECRET = "host-secret-" + secrets.token_hex(12)
LGURBAN = str(Path(sys.executable).parent / "lgurban")


class Host:
    """`lgurban sandbox-host --listen unix:…` as a subprocess; its output is kept in `log`."""

    def __init__(self, data_dir: Path, secret: str = SECRET) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="lgh-", dir="/tmp"))  # short: unix socket paths are limited
        self.sock = self.dir / "host.sock"
        self.url = f"unix://{self.sock}"
        self.log = self.dir / "host.log"
        self.data_dir = data_dir
        self.secret = secret
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Host:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SANDBOX_", "DATABASE_", "DATA_DIR"))}
        env.update(
            SANDBOX_HOST_SECRET=self.secret,
            DATA_DIR=str(self.data_dir),
            ENVIRONMENT="test",
            SANDBOX_EXEC_TIMEOUT_S="20",
        )
        with self.log.open("ab") as out:
            cmd = [LGURBAN, "sandbox-host", "--listen", f"unix:{self.sock}"]
            self.proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=self.dir)
        deadline = time.monotonic() + 60
        while not self._answers():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError(f"sandbox host did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.05)
        return self

    def _answers(self) -> bool:
        if not self.sock.exists():
            return False
        with socket.socket(socket.AF_UNIX) as probe:  # a stale socket file of a killed host refuses
            try:
                probe.connect(str(self.sock))
            except OSError:
                return False
        transport = httpx.HTTPTransport(uds=str(self.sock))
        headers = {"authorization": f"Bearer {self.secret}"}
        try:
            with httpx.Client(transport=transport, base_url="http://h", headers=headers, timeout=2) as c:
                return c.get("/v1/health").status_code == 200
        except httpx.TransportError:
            return False

    def kill(self) -> None:
        """SIGKILL, as a crash would: nothing is cleaned up."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=20)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def host_overrides(host: Host, secret: str | None = None) -> dict[str, object]:
    """Settings of the API side: SANDBOX_BACKEND=host on `host`, sharing its DATA_DIR (so its workspaces)."""
    return {
        "sandbox_backend": "host",
        "sandbox_host_url": host.url,
        "sandbox_host_secret": secret or host.secret,
        "data_dir": host.data_dir,
    }


@asynccontextmanager
async def api(settings: Settings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """One API instance (its own lifespan, its own sandbox client) and an in-process HTTP client of it."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=60) as c:
            yield app, c


class Replica:
    """`lgurban serve` as a real process with SANDBOX_BACKEND=host (an API replica)."""

    def __init__(self, host: Host, database_url: str, port: int) -> None:
        self.host, self.database_url, self.port = host, database_url, port
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Replica:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SANDBOX_", "DATABASE_"))}
        env.update(
            ENVIRONMENT="test",
            DATA_DIR=str(self.host.data_dir),
            DATABASE_URL=self.database_url,
            SANDBOX_BACKEND="host",
            SANDBOX_HOST_URL=self.host.url,
            SANDBOX_HOST_SECRET=self.host.secret,
        )
        with (self.host.dir / f"replica-{self.port}.log").open("ab") as out:
            cmd = [LGURBAN, "serve", "--port", str(self.port), "--log-level", "warning"]
            self.proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while True:
            try:
                httpx.get(f"{self.url}/api/health", timeout=2)
                return self
            except httpx.TransportError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError(f"replica on {self.port} did not start") from None
                time.sleep(0.1)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=20)
