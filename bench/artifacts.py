"""Artifact pipeline: a 10 MB file written by a cell → hashed, stored, recorded, signed URL returned.

Measures `ArtifactService.ingest` + commit (the step after a cell ends, as run_cell calls it) on the local
folder store and on moto's S3 server over HTTP (moto in its own process), with a SQLite database. Every
iteration writes a new random 10 MB file into the workspace first (outside the timing) so nothing is
deduplicated. Goal: p50/p95 <= 100 ms local, <= 500 ms on moto; the production plan's target is 2 s.

Then memory: a 1 GB artifact is stored by a fresh process on each store; the peak RSS growth during the
ingest (current RSS sampled every 5 ms, peak minus before) must stay flat: a few tens of MB at most,
not the file's size.

    uv run python bench/artifacts.py [--runs 20] [--mb 10] [--big-mb 1024] [--skip-big]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

GOAL_MS = {"local": 100.0, "s3 (moto)": 500.0}
PLAN_MS = 2000.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_moto() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    code = (
        "import time, sys\n"
        "from moto.server import ThreadedMotoServer\n"
        f"s = ThreadedMotoServer(ip_address='127.0.0.1', port={port}, verbose=False); s.start()\n"
        "print('ready', flush=True)\n"
        "sys.stdin.read()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != b"ready":
        raise RuntimeError("moto server did not start")
    return proc, f"http://127.0.0.1:{port}"


def stop_moto(proc: subprocess.Popen[bytes]) -> None:
    assert proc.stdin is not None
    proc.stdin.close()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


def settings_for(data_dir: Path, moto_url: str | None) -> Any:
    from lgurban.settings import Settings

    values: dict[str, Any] = {
        "_env_file": None,
        "environment": "test",
        "data_dir": data_dir,
        "artifact_max_bytes": 4 * 1024**3,
    }
    if moto_url:
        values |= {
            "storage_backend": "s3",
            "s3_endpoint_url": moto_url,
            "s3_bucket": f"bench-{uuid.uuid4().hex[:8]}",
            "aws_access_key_id": "bench",
            "aws_secret_access_key": "bench",
        }
    return Settings(**values)


class Pipeline:
    """The real pieces: migrated SQLite, the configured store, the artifact service, a local workspace."""

    def __init__(self, data_dir: Path, moto_url: str | None) -> None:
        self.settings = settings_for(data_dir, moto_url)

    async def __aenter__(self) -> Pipeline:
        from lgurban.artifacts.service import ArtifactService
        from lgurban.auth import get_or_create_user
        from lgurban.db.migrate import upgrade
        from lgurban.db.models import Thread
        from lgurban.db.session import make_engine, make_sessionmaker
        from lgurban.sandbox.workspace import LocalWorkspace
        from lgurban.storage import build_store
        from lgurban.storage.bootstrap import bootstrap

        s = self.settings
        s.data_dir.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(upgrade, s)
        if s.storage_backend == "s3":
            await bootstrap(s)
        self.engine = make_engine(s)
        self.sessionmaker = make_sessionmaker(self.engine)
        self.store = build_store(s)
        assert await self.store.check() == "ok"
        self.service = ArtifactService(store=self.store, settings=s)
        async with self.sessionmaker() as session:
            user = await get_or_create_user(session=session, name="bench")
            thread = Thread(owner_id=user.id, title="bench")
            session.add(thread)
            await session.commit()
            self.thread_id = thread.id
        self.workspace = LocalWorkspace(s.workspaces_dir / str(self.thread_id))
        self.workspace.ensure()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.store.close()
        await self.engine.dispose()

    async def ingest(self, rel: str) -> dict[str, Any]:
        from lgurban.db.models import Execution
        from lgurban.sandbox.types import ArtifactFile

        async with self.sessionmaker() as session:
            row = Execution(thread_id=self.thread_id, code="bench", source="user")
            session.add(row)
            await session.flush()
            out = await self.service.ingest(
                session=session,
                thread_id=self.thread_id,
                execution_id=row.id,
                tool_call_id=None,
                workspace=self.workspace,
                files=[ArtifactFile(path=rel, size=0, sha256="", mime="")],
            )
            await session.commit()
        if out.notes or len(out.artifacts) != 1:
            raise RuntimeError(f"ingest failed: {out.notes}")
        return out.artifacts[0].model_dump(mode="json")


async def latency(moto_url: str | None, runs: int, mb: int) -> list[float]:
    with tempfile.TemporaryDirectory(prefix="bench-artifacts-") as tmp:
        async with Pipeline(Path(tmp), moto_url) as p:
            times = []
            for i in range(runs + 2):  # two warm-up runs
                rel = f"artifacts/out-{i}.bin"
                (p.workspace.root / rel).write_bytes(os.urandom(mb * 1024 * 1024))
                t0 = time.perf_counter()
                art = await p.ingest(rel)
                elapsed = (time.perf_counter() - t0) * 1000
                assert art["url"] and art["size"] == mb * 1024 * 1024
                if i >= 2:
                    times.append(elapsed)
            return times


def write_big(path: Path, mb: int) -> None:
    block = os.urandom(1024 * 1024)
    with path.open("wb") as f:
        f.write(uuid.uuid4().bytes)  # a new hash every run
        for _ in range(mb):
            f.write(block)


class RssSampler:
    """Peak resident memory over a block, sampled every 5 ms (ru_maxrss only knows the lifetime peak)."""

    def __init__(self) -> None:
        import threading

        import psutil

        self.proc = psutil.Process()
        self.peak = self.proc.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self.proc.memory_info().rss)

    def __enter__(self) -> RssSampler:
        self.start = self.proc.memory_info().rss
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def big_child(moto_url: str | None, mb: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-artifacts-big-") as tmp:
        async with Pipeline(Path(tmp), moto_url) as p:
            start = RssSampler().proc.memory_info().rss / 2**20
            (p.workspace.root / "artifacts" / "warm.bin").write_bytes(os.urandom(20 * 1024 * 1024))
            await p.ingest("artifacts/warm.bin")  # pay one-time allocations before measuring
            write_big(p.workspace.root / "artifacts" / "big.bin", mb)
            t0 = time.perf_counter()
            with RssSampler() as rss:
                await p.ingest("artifacts/big.bin")
            seconds = time.perf_counter() - t0
            return {
                "start_mb": start,
                "before_mb": rss.start / 2**20,
                "after_mb": rss.peak / 2**20,
                "seconds": seconds,
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }


def big(moto_url: str | None, mb: int) -> dict[str, float]:
    """Run the 1 GB ingest in a fresh process so its peak RSS is its own."""
    args = [sys.executable, __file__, "--child-big", str(mb)] + (["--moto", moto_url] if moto_url else [])
    out = subprocess.run(args, capture_output=True, text=True, timeout=900, check=False)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--mb", type=int, default=10)
    parser.add_argument("--big-mb", type=int, default=1024)
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--child-big", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--moto", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_big:
        print(json.dumps(asyncio.run(big_child(args.moto, args.child_big))))
        return

    moto, moto_url = start_moto()
    try:
        print(f"{args.mb} MB artifact → stored, recorded, signed URL ({args.runs} runs, SQLite)")
        print(
            f"{'store':<11} {'p50 ms':>8} {'p95 ms':>8} {'goal ms':>8} {'p95/goal':>9} {'p95/plan 2 s':>13}"
        )
        ok = True
        for name, url in (("local", None), ("s3 (moto)", moto_url)):
            times = asyncio.run(latency(url, args.runs, args.mb))
            p50, p95 = statistics.median(times), pct(times, 0.95)
            goal = GOAL_MS[name]
            ok &= p95 <= goal
            print(f"{name:<11} {p50:8.1f} {p95:8.1f} {goal:8.0f} {p95 / goal:9.2f} {p95 / PLAN_MS:13.3f}")
        if not args.skip_big:
            print(f"\n{args.big_mb} MB artifact: peak RSS of the storing process (fresh process per store)")
            print(
                "(RSS: start = after set-up; before = after a 20 MB warm-up ingest; peak sampled every 5 ms)"
            )
            print(
                f"{'store':<11} {'start MB':>9} {'before MB':>10} {'peak MB':>9} {'growth MB':>10} "
                f"{'growth/file':>12} {'s':>6}"
            )
            for name, url in (("local", None), ("s3 (moto)", moto_url)):
                r = big(url, args.big_mb)
                growth = r["after_mb"] - r["before_mb"]
                flat = growth < 0.1 * args.big_mb
                ok &= flat
                print(
                    f"{name:<11} {r['start_mb']:9.0f} {r['before_mb']:10.0f} {r['after_mb']:9.0f} "
                    f"{growth:10.0f} {growth / args.big_mb:12.3f} {r['seconds']:6.1f}"
                )
        print("\nall goals met" if ok else "\nSOME GOALS MISSED")
    finally:
        stop_moto(moto)


if __name__ == "__main__":
    main()
