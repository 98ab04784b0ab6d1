"""Finding 2 of issue 17: a huge request body is refused by route before it is read (413), with or without a
token, and the server's memory does not grow with it. A real server process, bodies sent over a raw socket."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from lgurban.db.session import make_engine, make_sessionmaker
from lgurban.settings import Settings
from tests.conftest import free_port
from tests.factories import make_user

REPO = Path(__file__).resolve().parents[2]
BIG = 512 * 1024 * 1024
CHUNK = b"x" * (1024 * 1024)


class Server:
    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        ours = {f.upper() for f in Settings.model_fields}
        env = {k: v for k, v in os.environ.items() if k.upper() not in ours}
        env.update(
            PYTHONPATH=str(REPO),
            DATA_DIR=str(settings.data_dir),
            DATABASE_URL=settings.resolved_database_url,
            ENVIRONMENT="test",
            AUTH_MODE="token",
        )
        args = [sys.executable, "-m", "uvicorn", "lgurban.app:create_app", "--factory"]
        args += ["--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"]
        self.proc = subprocess.Popen(args, env=env, cwd=REPO)
        deadline = time.monotonic() + 60
        while True:
            assert self.proc.poll() is None, "server exited"
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/api/health", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        self.ps = psutil.Process(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def server(settings: Settings) -> Iterator[Server]:
    s = Server(settings)
    yield s
    s.stop()


def _post(port: int, path: str, *, token: str | None, chunked: bool) -> tuple[bytes, int]:
    """Send a 512 MB POST (declared or chunked) while sampling nothing; returns (response bytes, sent)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    if token:
        head += f"Authorization: Bearer {token}\r\n"
    head += "Transfer-Encoding: chunked\r\n" if chunked else f"Content-Length: {BIG}\r\n"
    sock.sendall((head + "\r\n").encode())
    sent = 0

    def pump() -> None:
        nonlocal sent
        frame = f"{len(CHUNK):x}\r\n".encode() + CHUNK + b"\r\n" if chunked else CHUNK
        try:
            while sent < BIG:
                sock.sendall(frame)
                sent += len(CHUNK)
        except OSError:
            pass  # the server answered and closed: the rest is never read

    sender = threading.Thread(target=pump, daemon=True)
    sender.start()
    response = b""
    try:
        while b"\r\n\r\n" not in response or not response.rstrip().endswith(b"}"):
            data = sock.recv(65536)
            if not data:
                break
            response += data
    finally:
        sock.close()
        sender.join(timeout=30)
    return response, sent


async def test_a_512_mb_body_is_refused_before_it_is_read(server: Server, settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        token = (await make_user(make_sessionmaker(engine))).token
    finally:
        await engine.dispose()
    for with_token in (False, True):
        for chunked in (False, True):
            _refused_with_bounded_memory(server, token if with_token else None, chunked=chunked)


def _refused_with_bounded_memory(server: Server, token: str | None, *, chunked: bool) -> None:
    before = server.ps.memory_info().rss
    peak = before
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, server.ps.memory_info().rss)
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        for path in ("/api/threads", f"/api/threads/{'0' * 8}-0000-0000-0000-{'0' * 12}/execute"):
            response, sent = _post(server.port, path, token=token, chunked=chunked)
            head, _, body = response.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 413"), response[:300]
            assert b"connection: close" in head.lower()
            assert json.loads(body)["error"]["code"] == "PAYLOAD_TOO_LARGE"
            assert sent < BIG // 4, "the server read on after the cap"
    finally:
        stop.set()
        sampler.join()
    assert peak - before < 100 * 1024 * 1024, f"server RSS grew {(peak - before) / 2**20:.0f} MB"
    # the server still answers
    assert httpx.get(f"http://127.0.0.1:{server.port}/api/health", timeout=10).status_code in (200, 503)
