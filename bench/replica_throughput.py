"""Throughput with 1 vs 2 API replicas (issue 11): `GET /api/threads` and warm `/execute`, side by side.

Both kinds of round use the same deployment: PostgreSQL (a fresh database), Redis, one `lgurban
sandbox-host` that owns every sandbox, and two real `lgurban serve` processes. A "1 replica" round sends
everything to replica A (B idles); a "2 replicas" round sends each request to A or B in turn (what a
round-robin load balancer does); the rounds alternate. Prints requests per second, p95, errors and the
ratio 2 replicas / 1 replica (goal: not below 1.0 on this 2-core machine).

    uv run python bench/replica_throughput.py [--clients 32] [--seconds 8] [--cells 8] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import shutil
import signal
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import psycopg
import redis
from common import pct, start_server  # bench/ is on sys.path when run as a script
from replicas import PG_ADMIN_URL, REDIS_URL, free_port
from sandbox_host import SECRET, start_host

from lgurban.db.migrate import upgrade
from lgurban.settings import Settings


async def hammer(
    next_url: Callable[[], str],
    path: Callable[[int], str],
    body: Callable[[int], dict | None],
    args: argparse.Namespace,
    clients: int,
) -> tuple[float, float, int]:
    """`clients` loops for `args.seconds`: requests/s, p95 ms, errors."""
    times: list[float] = []
    errors = 0
    stop = time.perf_counter() + args.seconds

    async def loop(i: int, client: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            payload = body(i)
            url = next_url() + path(i)
            r = await (client.post(url, json=payload) if payload is not None else client.get(url))
            if r.status_code != 200 or (payload is not None and not r.json().get("ok")):
                errors += 1
            times.append((time.perf_counter() - t0) * 1000)

    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=clients * 2)) as client:
        started = time.perf_counter()
        await asyncio.gather(*(loop(i, client) for i in range(clients)))
        elapsed = time.perf_counter() - started
    return len(times) / elapsed, pct(times, 95), errors


async def round_(
    urls: list[str], threads: list[str], args: argparse.Namespace
) -> dict[str, tuple[float, float, int]]:
    turn = itertools.cycle(urls)
    pick = lambda: next(turn)  # noqa: E731 - round robin over the replicas of this round
    listing = await hammer(pick, lambda i: "/api/threads?limit=50", lambda i: None, args, args.clients)
    cells = await hammer(
        pick, lambda i: f"/api/threads/{threads[i]}/execute", lambda i: {"code": "x += 1"}, args, args.cells
    )
    return {"GET /api/threads": listing, "warm /execute x += 1": cells}


async def prepare(url: str, args: argparse.Namespace) -> list[str]:
    """Threads to list (200) and one per cell client, each with `x` defined (its sandbox warm)."""
    async with httpx.AsyncClient(timeout=60) as client:
        ids = [(await client.post(url + "/api/threads", json={})).json()["id"] for _ in range(200)]
        for tid in ids[: args.cells]:
            r = await client.post(f"{url}/api/threads/{tid}/execute", json={"code": "x = 0"})
            assert r.status_code == 200 and r.json()["ok"], r.text
    return ids[: args.cells]


def median(rounds: Any) -> tuple[float, float, int]:
    """The round with the median throughput."""
    ordered = sorted(rounds, key=lambda r: r[0])
    return ordered[len(ordered) // 2]  # type: ignore[no-any-return]


def report(label: str, one: tuple[float, float, int], two: tuple[float, float, int]) -> None:
    print(
        f"{label:<22} 1 replica {one[0]:7.1f} req/s p95 {one[1]:6.1f} ms err {one[2]} | "
        f"2 replicas {two[0]:7.1f} req/s p95 {two[1]:6.1f} ms err {two[2]} | ratio {two[0] / one[0]:.2f}"
    )


async def main(args: argparse.Namespace) -> None:
    prefix = f"lgurban-bench-{uuid.uuid4().hex[:8]}:"
    name = f"lgurban_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    db = PG_ADMIN_URL.rpartition("/")[0] + "/" + name
    root = Path(tempfile.mkdtemp(prefix="lgr-bench-", dir="/tmp"))
    procs = []
    try:
        upgrade(Settings(environment="test", database_url=db, _env_file=None))  # type: ignore[call-arg]
        data_dir, sock = root / "data", root / "host.sock"
        procs.append(start_host(data_dir, sock))
        names = {f.upper() for f in Settings.model_fields}
        env = {k: v for k, v in os.environ.items() if k.upper() not in names}
        env.update(
            ENVIRONMENT="test",
            DATA_DIR=str(data_dir),
            DATABASE_URL=db,
            REDIS_URL=REDIS_URL,
            REDIS_PREFIX=prefix,
            SANDBOX_BACKEND="host",
            SANDBOX_HOST_URL=f"unix://{sock}",
            SANDBOX_HOST_SECRET=SECRET,
        )
        ports = [free_port(), free_port()]
        procs += [start_server(env, port) for port in ports]
        a, b = (f"http://127.0.0.1:{p}" for p in ports)
        threads = await prepare(a, args)
        warm = argparse.Namespace(**{**vars(args), "seconds": 1})
        await round_([a, b], threads, warm)
        # interleaved 1 / 2 / 1 / 2 …: a noisy machine's drift hits both sides alike (B idles in the 1-rounds)
        ones, twos = [], []
        for _ in range(args.repeat):
            ones.append(await round_([a], threads, args))
            twos.append(await round_([a, b], threads, args))
        print(
            f"{args.clients} list clients, {args.cells} cell clients, {args.seconds:g} s per measurement,"
            f" median of {args.repeat} interleaved rounds"
        )
        for label in ones[0]:
            report(label, median(r[label] for r in ones), median(r[label] for r in twos))
    finally:
        for proc in reversed(procs):
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=20)
        shutil.rmtree(root, ignore_errors=True)
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=prefix + "*"))
        if keys:
            client.delete(*keys)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--cells", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    asyncio.run(main(parser.parse_args()))
