"""Chat runs: first SSE event latency, server overhead per tool step, 50 concurrent streams.

Runs the real server (`lgurban serve` in a subprocess, the real analyst graph, the local sandbox) with the
fake OpenAI-compatible model (tests/fakes/openai_server.py, real HTTP, scripted replies) on SQLite and on
PostgreSQL (a fresh database on 127.0.0.1:5432, dropped afterwards). Measures:
- time from sending POST /api/threads/{id}/messages to the first SSE event (goal p95 ≤ 50 ms), next to
  GET /api/health on the same connection as the baseline round trip;
- the server's own time per tool step: a run of S `execute_code` steps, its total time minus the model's
  time (measured by the fake server, request received → last byte sent) minus the code's time
  (executions.duration_ms), divided by S (goal ≤ 10 ms);
- 50 chat streams on 50 threads at once: every one must end with `done` and no `error` event.

    uv run python bench/chat.py [--backends sqlite,postgres] [--runs 40] [--steps 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psutil
import psycopg
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.fakes

from common import pct, start_server  # bench/ is on sys.path when run as a script
from tests.fakes.openai_server import FakeOpenAI

from lgurban.db.migrate import upgrade
from lgurban.db.models import Execution
from lgurban.db.session import make_engine, make_sessionmaker
from lgurban.settings import Settings

GOAL_FIRST_EVENT_P95_MS = 50.0
GOAL_STEP_OVERHEAD_MS = 10.0
CONCURRENT = 50
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def new_thread(client: httpx.AsyncClient) -> str:
    r = await client.post("/api/threads", json={})
    r.raise_for_status()
    return str(r.json()["id"])


async def run_chat(client: httpx.AsyncClient, tid: str, content: str) -> tuple[float, list[tuple[str, Any]]]:
    """POST a message and read the stream; (ms to the first event, events)."""
    first_ms = -1.0
    events: list[tuple[str, Any]] = []
    name = ""
    t0 = time.perf_counter()
    async with client.stream("POST", f"/api/threads/{tid}/messages", json={"content": content}) as r:
        if r.status_code != 200:
            raise RuntimeError(f"POST messages: {r.status_code} {(await r.aread())[:200]!r}")
        async for line in r.aiter_lines():
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                if first_ms < 0:
                    first_ms = (time.perf_counter() - t0) * 1000
                events.append((name, json.loads(line[5:])))
    return first_ms, events


async def bench_first_event(base: str, fake: FakeOpenAI, runs: int) -> tuple[list[float], list[float]]:
    fake.reset()
    helper_rules(fake)
    fake.add_rule({"has_tools": True}, {"content": "ok"})
    first, health = [], []
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        tid = await new_thread(client)
        for i in range(runs + 3):
            t0 = time.perf_counter()
            (await client.get("/api/health")).raise_for_status()
            h = (time.perf_counter() - t0) * 1000
            ms, events = await run_chat(client, tid, f"question {i}")
            if events[-1][0] != "done" or any(e == "error" for e, _ in events):
                raise RuntimeError(f"run failed: {events[-3:]}")
            if i >= 3:  # warm-up: sandbox-free, but the first runs import and connect
                first.append(ms)
                health.append(h)
    return first, health


async def bench_steps(
    base: str, fake: FakeOpenAI, settings: Settings, runs: int, steps: int, server: psutil.Process
) -> tuple[list[float], list[float], list[float]]:
    """The server's own time per tool step, as the difference between a run with `steps` execute_code calls
    and a run with none on the same thread (so per-run costs — building the graph, the run's bookkeeping —
    are not spread over the steps; they are reported on their own). Each run's own time is its total minus
    the model's time (measured by the fake) minus the code's time (executions.duration_ms).
    Returns (wall ms per step, server CPU ms per step, wall ms per run without steps)."""
    engine = make_engine(settings)
    sessions = make_sessionmaker(engine)
    per_step: list[float] = []
    cpu_per_step: list[float] = []
    per_run: list[float] = []
    try:
        async with httpx.AsyncClient(base_url=base, timeout=120) as client:
            tid = await new_thread(client)

            async def measure(n: int) -> tuple[float, float]:
                fake.reset()
                helper_rules(fake)
                agent = {"has_tools": True}
                calls = [[{"name": "execute_code", "args": {"code": f"x = {k}"}}] for k in range(n)]
                fake.script(*[{"when": agent, "tool_calls": c} for c in calls])
                fake.script({"when": agent, "content": "done"})
                async with sessions() as session:
                    code_before = await code_ms(session, tid)
                cpu0 = sum(server.cpu_times()[:2])
                t0 = time.monotonic()
                _, events = await run_chat(client, tid, "compute")
                total_ms = (time.monotonic() - t0) * 1000
                cpu_ms = (sum(server.cpu_times()[:2]) - cpu0) * 1000
                if events[-1][0] != "done" or any(e == "error" for e, _ in events):
                    raise RuntimeError(f"run failed: {events[-3:]}")
                if sum(1 for e, _ in events if e == "tool_end") != n:
                    raise RuntimeError("the run did not make the scripted tool calls")
                model_ms = sum((end - start) * 1000 for start, end in fake.timings if start >= t0)
                async with sessions() as session:
                    spent_in_code = await code_ms(session, tid) - code_before
                return total_ms - model_ms - spent_in_code, cpu_ms

            await measure(steps)  # warm-up: the thread's sandbox starts, its title is made
            await asyncio.sleep(0.5)
            for _ in range(runs):
                with_steps, cpu_with = await measure(steps)
                without, cpu_without = await measure(0)
                per_step.append((with_steps - without) / steps)
                cpu_per_step.append((cpu_with - cpu_without) / steps)
                per_run.append(without)
    finally:
        await engine.dispose()
    return per_step, cpu_per_step, per_run


async def code_ms(session: Any, tid: str) -> float:
    total = (
        await session.execute(
            select(func.coalesce(func.sum(Execution.duration_ms), 0)).where(
                Execution.thread_id == uuid.UUID(tid)
            )
        )
    ).scalar_one()
    return float(total)


async def bench_concurrent(base: str, fake: FakeOpenAI) -> tuple[int, int, float]:
    fake.reset()
    helper_rules(fake)
    fake.add_rule(
        {"has_tools": True}, {"content": "a streamed answer of a few words " * 4, "token_delay_s": 0.005}
    )
    limits = httpx.Limits(max_connections=CONCURRENT * 2)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        tids = [await new_thread(client) for _ in range(CONCURRENT)]
        t0 = time.perf_counter()
        results = await asyncio.gather(*(run_chat(client, t, "hello") for t in tids), return_exceptions=True)
        elapsed = time.perf_counter() - t0
    ok = sum(
        1
        for r in results
        if not isinstance(r, BaseException)
        and r[1][-1][0] == "done"
        and not any(e == "error" for e, _ in r[1])
    )
    return ok, CONCURRENT - ok, elapsed


def helper_rules(fake: FakeOpenAI) -> None:
    """Titles and summaries (calls without tools) get a short answer, never a scripted agent turn."""
    fake.add_rule({"has_tools": False}, {"content": "Bench thread"})


async def bench_backend(
    name: str, database_url: str | None, fake: FakeOpenAI, args: argparse.Namespace
) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"lgurban-bench-chat-{name}-") as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            environment="test",
            data_dir=Path(tmp) / "data",
            database_url=database_url,
        )
        upgrade(settings)
        port = free_port()
        env = {
            k: v for k, v in os.environ.items() if k.upper() not in {f.upper() for f in Settings.model_fields}
        }
        env.update(
            DATA_DIR=str(settings.data_dir),
            ENVIRONMENT="test",
            OPENAI_BASE_URL=fake.url,
            OPENAI_API_KEY="sk-fake",
            LLM_MODEL="openai:fake-analyst",
            LLM_HELPER_MODEL="openai:fake-helper",
            SANDBOX_MAX_LIVE="64",
        )
        if database_url:
            env["DATABASE_URL"] = database_url
        proc = start_server(env, port)
        base = f"http://127.0.0.1:{port}"
        try:
            first, health = await bench_first_event(base, fake, args.runs)
            per_step, cpu, per_run = await bench_steps(
                base, fake, settings, max(5, args.runs // 4), args.steps, psutil.Process(proc.pid)
            )
            ok, failed, elapsed = await bench_concurrent(base, fake)
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        return {
            "first": first,
            "health": health,
            "per_step": per_step,
            "cpu": cpu,
            "per_run": per_run,
            "ok": ok,
            "failed": failed,
            "s": elapsed,
        }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--runs", type=int, default=40, help="runs for the first-event figure")
    parser.add_argument("--steps", type=int, default=5, help="tool steps per run for the overhead figure")
    args = parser.parse_args()
    results = {}
    with FakeOpenAI() as fake:
        for backend in args.backends.split(","):
            if backend == "sqlite":
                results[backend] = await bench_backend("sqlite", None, fake, args)
            else:
                dbname = f"lgurban_bench_{uuid.uuid4().hex[:8]}"
                with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{dbname}"')
                try:
                    url = PG_ADMIN_URL.rpartition("/")[0] + f"/{dbname}"
                    results[backend] = await bench_backend("postgres", url, fake, args)
                finally:
                    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    print()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: other work moves these figures")
    print(f"{'backend':9} {'figure':44} {'n':>4} {'p50':>8} {'p95':>8}  goal")
    failures = []
    for backend, r in results.items():
        rows = [
            ("POST → first SSE event (ms)", r["first"], f"p95 ≤ {GOAL_FIRST_EVENT_P95_MS:g}"),
            ("  baseline: GET /api/health (ms)", r["health"], ""),
            ("server overhead per tool step (ms)", r["per_step"], f"p50/p95 ≤ {GOAL_STEP_OVERHEAD_MS:g}"),
            ("  server CPU per tool step (ms)", r["cpu"], "(less load-dependent)"),
            ("server overhead per run, besides steps (ms)", r["per_run"], ""),
        ]
        for label, values, goal in rows:
            p50, p95 = pct(values, 50), pct(values, 95)
            print(f"{backend:9} {label:44} {len(values):>4} {p50:>8.1f} {p95:>8.1f}  {goal}")
        label = f"{CONCURRENT} concurrent streams: ok / failed"
        print(f"{backend:9} {label:44} {r['ok']:>4} {r['failed']:>8} {r['s']:>7.1f}s  all ok")
        if pct(r["first"], 95) > GOAL_FIRST_EVENT_P95_MS:
            failures.append(f"{backend}: first event p95 over the goal")
        if pct(r["per_step"], 95) > GOAL_STEP_OVERHEAD_MS:
            failures.append(f"{backend}: step overhead p95 over the goal")
        if r["failed"]:
            failures.append(f"{backend}: {r['failed']} concurrent streams failed")
    print()
    print("goals met" if not failures else "goals NOT met: " + "; ".join(failures))


if __name__ == "__main__":
    asyncio.run(main())
