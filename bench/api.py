"""API latency: GET /api/threads and GET /api/threads/{id} with 1,000 threads and 32 concurrent clients.

Runs the real server (`lgurban serve`, uvicorn, in a subprocess) on SQLite and on PostgreSQL (a fresh
database on 127.0.0.1:5432, dropped afterwards), seeds 1,000 threads for the caller, then 32 httpx clients,
each with its own connection, send requests back to back. Prints p50/p95 per endpoint and backend against
the goal (p95 <= 20 ms on this machine; the production plan's target is 200 ms).

    uv run python bench/api.py [--auth local|token] [--requests 40] [--backends sqlite,postgres] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
from common import LGURBAN, pct, start_server  # bench/ is on sys.path when run as a script

from lgurban.auth import create_user_with_token, get_or_create_user
from lgurban.db.migrate import upgrade
from lgurban.db.models import Thread
from lgurban.db.session import make_engine, make_sessionmaker, session_scope
from lgurban.settings import Settings

GOAL_P95_MS = 20.0
PLAN_P95_MS = 200.0
THREADS = 1000
CLIENTS = 32
FAILURES: Counter[str] = Counter()  # non-200 answers, by path kind, status and body
ENDPOINTS = {"GET /api/threads": "list", "GET /api/threads/{id}": "get", "GET .../{id}/state": "state"}
FLOOR = str(Path(__file__).with_name("floor.py"))
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def seed(settings: Settings, auth: str) -> tuple[list[str], str | None]:
    """1,000 threads for the caller (the local user, or a token user); returns their ids and the token."""
    engine = make_engine(settings)
    try:
        async with session_scope(make_sessionmaker(engine)) as session:
            token = None
            if auth == "token":
                new = await create_user_with_token(session=session, name="bench")
                user, token = new.user, new.token
            else:
                user = await get_or_create_user(session=session, name=settings.local_user_name)
            start = datetime.now(UTC) - timedelta(days=30)
            threads = [
                Thread(
                    owner_id=user.id,
                    title=f"Analisi {i}",
                    created_at=start + timedelta(minutes=i),
                    updated_at=start + timedelta(minutes=i),
                    temperature=0.2 if i % 3 else None,
                )
                for i in range(THREADS)
            ]
            session.add_all(threads)
            await session.flush()
            ids = [str(t.id) for t in threads]
    finally:
        await engine.dispose()
    return ids, token


async def load(
    base: str, headers: dict[str, str], paths: list[str], per_client: int, clients: int = CLIENTS
) -> list[float]:
    """`clients` clients, each sending `per_client` requests back to back; returns latencies in ms."""
    latencies: list[float] = []
    rng = random.Random(7)

    async def client() -> None:
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as c:
            for _ in range(per_client):
                path = rng.choice(paths)
                t0 = time.perf_counter()
                r = await c.get(path)
                latencies.append((time.perf_counter() - t0) * 1000)
                if r.status_code != 200:  # counted and shown under the table, not a crash mid-run
                    FAILURES[f"{path.split('/')[-1] if path.endswith('state') else path[:13]} "
                             f"{r.status_code} {r.text[:80]}"] += 1  # fmt: skip

    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=60)  # a profiled server writes its report on the way out
    except subprocess.TimeoutExpired:
        proc.kill()


async def measure(base: str, headers: dict[str, str], paths: list[str], args: argparse.Namespace) -> tuple:
    """(reqs, req/s, p50, p95, client cpu per request, 1-client p50, 1-client p95) for one endpoint."""
    await load(base, headers, paths, 5)  # warm up: connections, pool, caches
    # one client alone: the service time, without queueing behind the other 31
    solo = await load(base, headers, paths, args.solo, clients=1)
    t0, c0 = time.perf_counter(), time.process_time()
    lat = await load(base, headers, paths, args.requests)
    elapsed, client_cpu = time.perf_counter() - t0, time.process_time() - c0
    return (len(lat), len(lat) / elapsed, pct(lat, 50), pct(lat, 95),
            client_cpu / len(lat) * 1000, pct(solo, 50), pct(solo, 95))  # fmt: skip


def server_command(port: int, args: argparse.Namespace, name: str) -> list[str] | None:
    """`lgurban serve`, under pyinstrument when --profile names a directory (its report on exit)."""
    if not args.profile:
        return None
    out = Path(args.profile) / f"api-{name}.txt"
    return [sys.executable, "-m", "pyinstrument", "-r", "text", "-p", "flat=true", "-o", str(out),
            LGURBAN, "serve", "--port", str(port), "--log-level", "warning"]  # fmt: skip


async def bench_backend(name: str, database_url: str | None, args: argparse.Namespace) -> list[tuple]:
    with tempfile.TemporaryDirectory(prefix=f"lgurban-bench-{name}-") as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            environment="test",
            data_dir=Path(tmp) / "data",
            database_url=database_url,
            auth_mode=args.auth,
        )
        upgrade(settings)
        ids, token = await seed(settings, args.auth)
        port, floor_port = free_port(), free_port()
        env = {
            k: v for k, v in os.environ.items() if k.upper() not in {f.upper() for f in Settings.model_fields}
        }
        env.update(DATA_DIR=str(settings.data_dir), AUTH_MODE=args.auth, ENVIRONMENT="test")
        if database_url:
            env["DATABASE_URL"] = database_url
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        command = server_command(port, args, name)
        proc = start_server(env, port, "--workers", str(args.workers), command=command)
        base = f"http://127.0.0.1:{port}"
        rows = []
        try:
            # the floor answers the very bytes of our list page, so both send the same response
            body = Path(tmp) / "list.json"
            async with httpx.AsyncClient(base_url=base, headers=headers) as c:
                body.write_bytes((await c.get("/api/threads")).content)
            floor = start_server(env, floor_port, command=[sys.executable, FLOOR, str(floor_port), str(body)])
            endpoints = {
                "GET /api/threads": ["/api/threads"],
                "GET /api/threads/{id}": [f"/api/threads/{i}" for i in ids],
                "GET .../{id}/state": [f"/api/threads/{i}/state" for i in ids],
            }
            endpoints = {k: v for k, v in endpoints.items() if ENDPOINTS[k] in args.endpoints.split(",")}
            try:
                for label, paths in endpoints.items():
                    rows.append((name, label, *await measure(base, headers, paths, args)))
                    # the floor right after each endpoint: the same moment of a shared machine
                    rows.append(
                        (
                            name,
                            "  floor (bare route)",
                            *await measure(f"http://127.0.0.1:{floor_port}", {}, ["/floor"], args),
                        )
                    )
            finally:
                _stop(floor)
        finally:
            _stop(proc)
        return rows


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--auth", choices=["local", "token"], default="local")
    parser.add_argument("--requests", type=int, default=40, help="requests per client per endpoint")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--endpoints", default="list,get,state", help="of list, get, state")
    parser.add_argument("--solo", type=int, default=200, help="requests of the single client per endpoint")
    parser.add_argument("--profile", help="directory: run our server under pyinstrument, reports there")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    rows: list[tuple] = []
    for backend in args.backends.split(","):
        if backend == "sqlite":
            rows += await bench_backend("sqlite", None, args)
        elif backend == "postgres":
            dbname = f"lgurban_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{dbname}"')
            try:
                url = PG_ADMIN_URL.rpartition("/")[0] + "/" + dbname
                rows += await bench_backend("postgres", url, args)
            finally:
                with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        else:
            raise SystemExit(f"unknown backend {backend!r}")

    print(
        f"\n{THREADS} threads, {CLIENTS} concurrent clients, {args.requests} requests each per endpoint, "
        f"AUTH_MODE={args.auth}, {args.workers} uvicorn worker(s), {os.cpu_count()} CPUs, "
        f"1-min load average {load_before:.1f} before / {os.getloadavg()[0]:.1f} after"
    )
    print(
        f"goal: p95 <= {GOAL_P95_MS:.0f} ms, 1-client p50 <= 1 ms, <= 3x the floor "
        f"(production plan: p95 {PLAN_P95_MS:.0f} ms)\n"
    )
    header = f"{'backend':<9} {'endpoint':<22} {'reqs':>5} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
    header += f"{'p95/goal':>9} {'client cpu':>11} {'1-client p50/p95':>17} "
    header += f"{'p95/floor':>10} {'1c p50/floor':>13}"
    print(header)
    print("-" * len(header))
    for ours, floor in zip(rows[::2], rows[1::2], strict=True):
        for backend, label, n, rps, p50, p95, cpu, solo50, solo95 in (ours, floor):
            ratios = f"{p95 / floor[5]:>9.2f}x {solo50 / floor[7]:>12.2f}x" if label == ours[1] else ""
            print(
                f"{backend:<9} {label:<22} {n:>5} {rps:>7.0f} {p50:>8.1f} {p95:>8.1f} "
                f"{p95 / GOAL_P95_MS:>8.2f}x {cpu:>8.2f} ms {solo50:>7.2f}/{solo95:.2f} ms {ratios}"
            )
    print(
        "\nreq/s, p50, p95: 32 clients; client cpu: the load generator's own CPU per request (it shares the "
        "machine);\n1-client: the same endpoint with a single client (service time without queueing);\n"
        "floor: a bare FastAPI route under the same uvicorn, answering the same bytes as the list page, "
        "measured right after the row above it."
    )
    for what, n in FAILURES.items():
        print(f"NOT 200: {n} x {what}")


if __name__ == "__main__":
    asyncio.run(main())
