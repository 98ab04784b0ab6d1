"""Warm `x += 1` round trip: the in-process sandbox manager vs the same cell through `lgurban sandbox-host`.

    uv run python bench/sandbox_host.py [--quick]

Both on the local backend, one after the other in this run, same settings. "host" is HostSandboxes (httpx
over a unix socket, NDJSON stream) talking to a real `lgurban sandbox-host` subprocess. Prints p50/p95 in ms
and the ratio host/in-process.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from lgurban.sandbox import build_manager
from lgurban.sandbox.sandboxes import Sandboxes
from lgurban.settings import Settings

QUICK = "--quick" in sys.argv
WARM_N = 200 if QUICK else 1000
SECRET = secrets.token_urlsafe(24)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def warm(sandboxes: Sandboxes) -> tuple[float, float]:
    await sandboxes.start()
    thread_id = uuid.uuid4()
    try:
        first = await sandboxes.execute(thread_id, "x = 0")
        assert first.ok, first
        times = []
        for _ in range(WARM_N):
            t0 = time.perf_counter()
            result = await sandboxes.execute(thread_id, "x += 1")
            times.append((time.perf_counter() - t0) * 1000)
            assert result.ok, result
        return pct(times, 50), pct(times, 95)
    finally:
        await sandboxes.close()


def start_host(data_dir: Path, sock: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, SANDBOX_HOST_SECRET=SECRET, DATA_DIR=str(data_dir))
    lgurban = str(Path(sys.executable).parent / "lgurban")
    cmd = [lgurban, "sandbox-host", "--listen", f"unix:{sock}", "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=env)
    headers = {"authorization": f"Bearer {SECRET}"}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if sock.exists():
            try:
                with httpx.Client(transport=httpx.HTTPTransport(uds=str(sock)), headers=headers) as c:
                    if c.get("http://h/v1/health").status_code == 200:
                        return proc
            except httpx.TransportError:
                pass
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("sandbox host did not start")


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="lgh-bench-", dir="/tmp"))
    data_dir, sock = root / "data", root / "host.sock"
    base = {"_env_file": None, "data_dir": data_dir}
    try:
        local = asyncio.run(warm(build_manager(Settings(**base))))  # type: ignore[arg-type]
        proc = start_host(data_dir, sock)
        try:
            host_settings = Settings(
                **base,  # type: ignore[arg-type]
                sandbox_backend="host",
                sandbox_host_url=f"unix://{sock}",
                sandbox_host_secret=SECRET,  # type: ignore[arg-type]
            )
            host = asyncio.run(warm(build_manager(host_settings)))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"warm x += 1, {WARM_N} cells each (ms)")
    print(f"  in-process  p50 {local[0]:.2f}  p95 {local[1]:.2f}")
    print(f"  via host    p50 {host[0]:.2f}  p95 {host[1]:.2f}")
    print(f"  ratio host/in-process  p50 {host[0] / local[0]:.2f}x  p95 {host[1] / local[1]:.2f}x")


if __name__ == "__main__":
    main()
