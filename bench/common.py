"""What the benchmarks share: starting the real server as a subprocess and reading percentiles."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

LGURBAN = str(Path(sys.executable).parent / "lgurban")


def start_server(
    env: dict[str, str], port: int, *extra: str, command: list[str] | None = None
) -> subprocess.Popen[bytes]:
    """`lgurban serve` (or `command`) on `port`, returned once /api/health answers 200."""
    args = command or [LGURBAN, "serve", "--port", str(port), "--log-level", "warning", *extra]
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("server did not start")
        time.sleep(0.2)


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (inclusive method); a single value is its own percentile."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]
