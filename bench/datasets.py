"""Loading a 1,000,000-row export (~50 MB Parquet) from the fake Opendatasoft portal into a workspace.

Compares, in the same run and against the same portal (a separate process on loopback):
- a plain `httpx` streamed download of the export to disk (the baseline),
- `DatasetService.load_into_thread` with nothing cached (metadata look-up, streamed download, Parquet footer
  check, dataset_cache/dataset_loads rows, copy into the workspace; the content-addressed copy into the
  local store runs after it returns),
- the same load again with the dataset unchanged (served from the store cache; measured once the cache copy,
  which runs after the cold load has returned, is complete).
Peak RSS growth is that of this process (which runs the service, as the server would), sampled every 2 ms.
Goals: cold load ≤ 1.5× the plain download, ≤ 50 MB RSS growth; cached load ≤ 100 ms.

Run: `uv run python bench/datasets.py [--rows 1000000] [--runs 3]`
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import free_port  # noqa: E402

from lgurban.datasets.models import LoadResult  # noqa: E402
from lgurban.datasets.service import DatasetService  # noqa: E402
from lgurban.db.migrate import upgrade  # noqa: E402
from lgurban.db.models import Thread, User  # noqa: E402
from lgurban.db.session import make_engine, make_sessionmaker  # noqa: E402
from lgurban.sandbox.workspace import LocalWorkspace  # noqa: E402
from lgurban.settings import Settings  # noqa: E402
from lgurban.storage import build_store  # noqa: E402

DATASET = "bench-big"


class RssPeak:
    """Samples this process's RSS in a thread; `growth` is peak minus the value at start."""

    def __init__(self) -> None:
        self.proc = psutil.Process()
        self.base = self.peak = self.proc.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.002)

    def __enter__(self) -> RssPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.proc.memory_info().rss)

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.base) / 1e6


async def plain_download(url: str, dest: Path) -> float:
    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=120) as c, c.stream("GET", url) as r:
        r.raise_for_status()
        with open(dest, "wb") as f:  # noqa: ASYNC230 - the plain baseline: blocking writes, like most scripts
            async for chunk in r.aiter_bytes():
                f.write(chunk)
    return time.perf_counter() - started


async def make_service(base_url: str, data_dir: Path) -> tuple[DatasetService, uuid.UUID, object]:
    settings = Settings(
        environment="test",
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'db.sqlite'}",
        opendata_base_url=base_url,
        _env_file=None,  # type: ignore[call-arg]
    )
    await asyncio.to_thread(data_dir.mkdir, parents=True, exist_ok=True)
    await asyncio.to_thread(upgrade, settings)
    engine = make_engine(settings)
    sm = make_sessionmaker(engine)
    async with sm() as s:
        user = User(name=f"bench-{uuid.uuid4().hex[:6]}")
        s.add(user)
        await s.flush()
        thread = Thread(owner_id=user.id, title="bench")
        s.add(thread)
        await s.commit()
        tid = thread.id
    service = DatasetService(settings=settings, store=build_store(settings), sessionmaker=sm)
    return service, tid, engine


async def timed_load(service: DatasetService, tid: uuid.UUID, ws: LocalWorkspace) -> tuple[float, LoadResult]:
    started = time.perf_counter()
    async with service.sessionmaker() as s:
        out = await service.load_into_thread(session=s, thread_id=tid, dataset_id=DATASET, workspace=ws)
        await s.commit()
    return time.perf_counter() - started, out


def start_portal(rows: int) -> tuple[subprocess.Popen[bytes], str]:
    """The fake portal in its own process (so its memory is not counted), serving `bench-big`."""
    port = free_port()
    workdir = Path(tempfile.gettempdir()) / f"lgurban-bench-portal-{rows}"
    cmd = [sys.executable, "-m", "tests.fakes.opendatasoft", "--port", str(port), "--big-rows", str(rows)]
    portal = subprocess.Popen([*cmd, "--workdir", str(workdir)], cwd=ROOT, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/api/explore/v2.1"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{base}/catalog/datasets", timeout=1)
            return portal, base
        except httpx.TransportError:
            if time.monotonic() > deadline or portal.poll() is not None:
                portal.kill()
                raise SystemExit("the fake portal did not start") from None
            time.sleep(0.1)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    portal, base = await asyncio.to_thread(start_portal, args.rows)
    export_url = f"{base}/catalog/datasets/{DATASET}/exports/parquet"
    try:
        with tempfile.TemporaryDirectory(prefix="lgurban-bench-ds-") as tmp_s:
            tmp = Path(tmp_s)
            await plain_download(export_url, tmp / "warm.parquet")  # the portal builds the file once
            size = (tmp / "warm.parquet").stat().st_size
            plain, cold, growth, cached = [], [], [], []
            for i in range(args.runs):
                plain.append(await plain_download(export_url, tmp / f"plain{i}.parquet"))
                os.unlink(tmp / f"plain{i}.parquet")
                service, tid, engine = await make_service(base, tmp / f"run{i}")
                ws = LocalWorkspace(service.settings.workspaces_dir / str(tid))
                try:
                    await service.search("", 1, 0)  # connection and imports warm, like a running server
                    with RssPeak() as rss:
                        elapsed, out = await timed_load(service, tid, ws)
                    assert out.rows == args.rows and not out.cached, out
                    cold.append(elapsed)
                    growth.append(rss.growth_mb)
                    await service.wait_idle()  # the store-cache copy finishes after the cold load returns
                    for _ in range(3):
                        elapsed, out = await timed_load(service, tid, ws)
                        assert out.cached, out
                        cached.append(elapsed)
                finally:
                    await service.close()
                    await engine.dispose()  # type: ignore[attr-defined]
    finally:
        portal.terminate()
        portal.wait(10)

    p, c, k = statistics.median(plain), statistics.median(cold), statistics.median(cached)
    g = max(growth)
    load = os.getloadavg()
    print(
        f"export: {args.rows:,} rows, {size / 1e6:.1f} MB Parquet; {args.runs} runs; load avg {load[0]:.2f}"
    )
    print(f"{'measure':<42}{'value':>12}{'goal':>14}{'ok':>5}")
    rows = [
        ("plain httpx streamed download (median)", f"{p * 1000:.0f} ms", "baseline", ""),
        ("load_into_thread, cold (median)", f"{c * 1000:.0f} ms", f"≤ {1.5 * p * 1000:.0f} ms", c <= 1.5 * p),
        ("  ratio to the plain download", f"{c / p:.2f}×", "≤ 1.50×", c / p <= 1.5),
        ("peak RSS growth during a cold load (max)", f"{g:.1f} MB", "≤ 50 MB", g <= 50),
        ("load_into_thread, unchanged (median)", f"{k * 1000:.0f} ms", "≤ 100 ms", k <= 0.1),
    ]
    for name, value, goal, ok in rows:
        print(f"{name:<42}{value:>12}{goal:>14}{('' if ok == '' else 'yes' if ok else 'NO'):>5}")


if __name__ == "__main__":
    asyncio.run(main())
