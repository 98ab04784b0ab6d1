"""Two users on one server (issue 17): one runs long cells from 50 concurrent clients, the other sends
short requests from 50 concurrent clients; prints the other user's p50/p95 and error count (goal: 0 errors).

The real server in a subprocess (AUTH_MODE=token, real sandboxes), on SQLite and/or PostgreSQL (a fresh
database on 127.0.0.1:5432, dropped afterwards).

    uv run python bench/two_users.py [--backends sqlite,postgres] [--clients 50] [--seconds 20] [--cell-s 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psycopg
from common import pct  # bench/ is on sys.path when run as a script

from lgurban.auth import create_user_with_token
from lgurban.db.migrate import upgrade
from lgurban.db.session import make_engine, make_sessionmaker, session_scope
from lgurban.settings import Settings

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# the server: uvicorn on the app
SERVE = """
import sys, uvicorn
from lgurban.app import create_app
uvicorn.run(create_app(), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def make_users(settings: Settings) -> tuple[str, str]:
    engine = make_engine(settings)
    try:
        async with session_scope(make_sessionmaker(engine)) as session:
            a = await create_user_with_token(session=session, name=f"long-{uuid.uuid4().hex[:6]}")
            b = await create_user_with_token(session=session, name=f"short-{uuid.uuid4().hex[:6]}")
        return a.token, b.token
    finally:
        await engine.dispose()


def start(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-c", SERVE, str(port)], env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "server exited")
        try:
            r = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
            if r.status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"server not healthy: {r.text if 'r' in locals() else ''}")
        time.sleep(0.2)


async def long_client(url: str, token: str, stop: float, cell_s: float, out: dict[str, int]) -> None:
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}) as c:
        made = await c.post("/api/threads", json={"title": "long"}, timeout=60)
        assert made.status_code == 201, made.text
        thread = made.json()["id"]
        code = f"import time\ntime.sleep({cell_s})\nprint('ok')"
        while time.monotonic() < stop:
            r = await c.post(f"/api/threads/{thread}/execute", json={"code": code}, timeout=300)
            key = "cells" if r.status_code == 200 and r.json().get("ok") else f"error {r.status_code}"
            out[key] = out.get(key, 0) + 1


async def short_client(url: str, token: str, stop: float, lat: list[float], errors: dict[str, int]) -> None:
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}) as c:
        made = await c.post("/api/threads", json={"title": "short"}, timeout=60)
        assert made.status_code == 201, made.text
        thread = made.json()["id"]
        paths = ["/api/threads", f"/api/threads/{thread}", "/api/health", f"/api/threads/{thread}/executions"]
        i = 0
        while time.monotonic() < stop:
            started = time.monotonic()
            try:
                r = await c.get(paths[i % len(paths)], timeout=30)
                if r.status_code != 200:
                    errors[str(r.status_code)] = errors.get(str(r.status_code), 0) + 1
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            lat.append((time.monotonic() - started) * 1000)
            i += 1


async def load(url: str, tokens: tuple[str, str], args: argparse.Namespace) -> None:
    stop = time.monotonic() + args.seconds
    cells: dict[str, int] = {}
    lat: list[float] = []
    errors: dict[str, int] = {}
    await asyncio.gather(
        *(long_client(url, tokens[0], stop, args.cell_s, cells) for _ in range(args.clients)),
        *(short_client(url, tokens[1], stop, lat, errors) for _ in range(args.clients)),
    )
    print(f"  long-cell user: {cells}")
    print(
        f"  other user: {len(lat)} requests, p50 {pct(lat, 50):.1f} ms, p95 {pct(lat, 95):.1f} ms, "
        f"errors {sum(errors.values())} {errors or ''}"
    )


def run(backend: str, args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-two-"))
    pg_name = f"lgurban_bench_{uuid.uuid4().hex[:8]}"
    if backend == "postgres":
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{pg_name}"')
        url = PG_ADMIN_URL.rpartition("/")[0] + f"/{pg_name}"
    else:
        url = f"sqlite:///{tmp / 'bench.sqlite'}"
    settings = Settings(environment="test", database_url=url, data_dir=tmp / "data", _env_file=None)  # type: ignore[call-arg]
    upgrade(settings)
    tokens = asyncio.run(make_users(settings))
    env = {k: v for k, v in os.environ.items() if k.upper() not in {f.upper() for f in Settings.model_fields}}
    env.update(
        DATABASE_URL=url,
        DATA_DIR=str(tmp / "data"),
        AUTH_MODE="token",
        ENVIRONMENT="test",
        SANDBOX_MAX_LIVE=str(args.clients + 8),
        SANDBOX_MAX_PER_USER=str(args.clients),  # issue 17's load: every long-cell client runs (no 429)
        SANDBOX_MEMORY_MB="400",
    )
    port = free_port()
    proc = start(env, port)
    try:
        print(
            f"{backend}: {args.clients} long-cell clients ({args.cell_s} s cells) + {args.clients} short, "
            f"{args.seconds} s"
        )
        asyncio.run(load(f"http://127.0.0.1:{port}", tokens, args))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if backend == "postgres":
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--cell-s", type=float, default=2.0)
    args = parser.parse_args()
    for backend in args.backends.split(","):
        run(backend, args)


if __name__ == "__main__":
    main()
