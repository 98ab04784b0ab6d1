"""Sandbox figures, side by side with a Jupyter kernel (jupyter_client + ipykernel) from the same run.

    uv run python bench/sandbox.py [--quick]

Ours = the session manager on the local backend (bubblewrap + pre-warmed fork server), as the API uses it.
  warm   round trip of `x += 1` through SandboxManager.execute (p50/p95)
  cold   new thread → result of `import pandas as pd; pd.DataFrame({"a": [1, 2]}).sum()` (p50/p95)
  burst  20 threads each running a pandas cell at once (all must succeed; wall time)
  memory unique memory (USS) per idle sandbox after the burst (every process of the sandbox counted)
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psutil

from lgurban.sandbox import build_manager
from lgurban.sandbox.local import UID_BASE
from lgurban.sandbox.manager import SandboxManager
from lgurban.settings import Settings

PANDAS_CELL = 'import pandas as pd; pd.DataFrame({"a": [1, 2]}).sum()'
QUICK = "--quick" in sys.argv
WARM_N = 200 if QUICK else 1000
COLD_N = 5 if QUICK else 20
JUPYTER_COLD_N = 3 if QUICK else 8
BURST = 20


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def uss_mb(procs: list[psutil.Process]) -> float:
    total = 0
    for p in procs:
        try:
            total += p.memory_full_info().uss
        except psutil.Error:
            continue
    return total / 2**20


# --- ours
def sandbox_processes() -> list[psutil.Process]:
    """Every process of every live sandbox: D (driver) and R (pid 1) run as a sandbox uid, C is R's parent."""
    procs: dict[int, psutil.Process] = {}
    for p in psutil.process_iter(["uids"]):
        uids = p.info["uids"]
        if uids is not None and UID_BASE < uids.real <= UID_BASE + 10_000:
            procs[p.pid] = p
            parent = p.parent()
            if parent is not None and parent.uids().real == 0:
                procs[parent.pid] = parent
    return list(procs.values())


async def bench_ours(data_dir: Path) -> dict[str, Any]:
    settings = Settings(
        environment="test", data_dir=data_dir, _env_file=None, sandbox_max_live=BURST + COLD_N + 8
    )
    m: SandboxManager = build_manager(settings)
    await m.start()
    try:
        await m.execute(uuid.uuid4(), "1")  # the fork server is warm before anything is timed
        t = uuid.uuid4()
        await m.execute(t, "x = 0")
        warm = []
        for _ in range(WARM_N):
            started = time.perf_counter()
            res = await m.execute(t, "x += 1")
            warm.append((time.perf_counter() - started) * 1000)
            assert res.ok
        await m.restart(t)

        cold = []
        for _ in range(COLD_N):
            started = time.perf_counter()
            res = await m.execute(uuid.uuid4(), PANDAS_CELL)
            cold.append((time.perf_counter() - started) * 1000)
            assert res.ok and "a    3" in res.outputs[-1].data, res
        for tid in list(m._live):
            await m.restart(tid)

        threads = [uuid.uuid4() for _ in range(BURST)]
        started = time.perf_counter()
        results = await asyncio.gather(*(m.execute(tid, PANDAS_CELL) for tid in threads))
        burst_s = time.perf_counter() - started
        ok = sum(r.ok for r in results)
        await asyncio.sleep(0.5)
        procs = sandbox_processes()
        per_sandbox = uss_mb(procs) / max(1, m.live_count())
        return {"warm": warm, "cold": cold, "burst_s": burst_s, "burst_ok": ok, "uss": per_sandbox}
    finally:
        await m.close()


# --- Jupyter
def jupyter_start() -> tuple[Any, Any]:
    from jupyter_client.manager import start_new_kernel

    return start_new_kernel(kernel_name="python3", stderr=subprocess.DEVNULL)


def jupyter_run(kc: Any, code: str) -> bool:
    reply = kc.execute_interactive(code, timeout=120, output_hook=lambda msg: None)
    return bool(reply["content"]["status"] == "ok")


def bench_jupyter() -> dict[str, Any]:
    km, kc = jupyter_start()
    try:
        jupyter_run(kc, "x = 0")
        warm = []
        for _ in range(WARM_N):
            started = time.perf_counter()
            assert jupyter_run(kc, "x += 1")
            warm.append((time.perf_counter() - started) * 1000)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

    cold = []
    for _ in range(JUPYTER_COLD_N):
        started = time.perf_counter()
        km, kc = jupyter_start()
        assert jupyter_run(kc, PANDAS_CELL)
        cold.append((time.perf_counter() - started) * 1000)
        kc.stop_channels()
        km.shutdown_kernel(now=True)

    def one() -> tuple[Any, Any, bool]:
        km, kc = jupyter_start()
        return km, kc, jupyter_run(kc, PANDAS_CELL)

    started = time.perf_counter()
    with ThreadPoolExecutor(BURST) as pool:
        kernels = list(pool.map(lambda _: one(), range(BURST)))
    burst_s = time.perf_counter() - started
    ok = sum(k[2] for k in kernels)
    time.sleep(0.5)
    procs = []
    for km, _kc, _ok in kernels:
        pid = km.provisioner.process.pid if km.provisioner else None
        if pid:
            p = psutil.Process(pid)
            procs += [p, *p.children(recursive=True)]
    per_kernel = uss_mb(procs) / BURST
    for km, kc, _ok in kernels:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return {"warm": warm, "cold": cold, "burst_s": burst_s, "burst_ok": ok, "uss": per_kernel}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ours = asyncio.run(bench_ours(Path(tmp)))
    theirs = bench_jupyter()
    rows = [
        ("warm x+=1 p50 (ms)", pct(ours["warm"], 50), pct(theirs["warm"], 50), "goal p95 ≤ 1 ms"),
        ("warm x+=1 p95 (ms)", pct(ours["warm"], 95), pct(theirs["warm"], 95), ""),
        ("cold pandas p50 (ms)", pct(ours["cold"], 50), pct(theirs["cold"], 50), "goal p95 ≤ 150 ms"),
        ("cold pandas p95 (ms)", pct(ours["cold"], 95), pct(theirs["cold"], 95), ""),
        (f"{BURST} threads at once (s)", ours["burst_s"], theirs["burst_s"], "all must succeed"),
        ("USS per idle sandbox (MB)", ours["uss"], theirs["uss"], "goal ≤ 40 MB"),
    ]
    print(
        f"sandbox benchmark ({'quick' if QUICK else 'full'}; "
        f"warm n={WARM_N}, cold n={COLD_N}/{JUPYTER_COLD_N})"
    )
    print(f"{'figure':<28}{'ours':>10}{'jupyter':>10}{'ours/jupyter':>14}  note")
    for name, a, b, note in rows:
        print(f"{name:<28}{a:>10.3f}{b:>10.3f}{a / b:>14.3f}  {note}")
    print(f"burst successes: ours {ours['burst_ok']}/{BURST}, jupyter {theirs['burst_ok']}/{BURST}")
    print(f"(jupyter median of all warm samples {statistics.median(theirs['warm']):.2f} ms)")
    if ours["burst_ok"] != BURST:
        raise SystemExit("not every sandbox cell succeeded")


if __name__ == "__main__":
    main()
