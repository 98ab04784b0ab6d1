"""A server killed mid-run (SIGKILL) loses at most the step in flight; after a restart the thread goes on."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.agent.conftest import names, send
from tests.conftest import free_port
from tests.fakes.openai_server import FakeOpenAI

from lgurban.settings import Settings

REPO = Path(__file__).resolve().parents[2]


class ServerProcess:
    def __init__(self, env: dict[str, str], fake: FakeOpenAI, checkpoints: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [
            sys.executable,
            "-m",
            "tests.agent.standin_server",
            str(self.port),
            fake.url,
            str(checkpoints),
        ]
        self.proc = subprocess.Popen(args, env=env, cwd=REPO, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while True:
            assert self.proc.poll() is None, self.proc.stderr.read().decode() if self.proc.stderr else ""
            try:
                if httpx.get(self.url + "/api/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.1)

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()


@pytest.fixture
def server_env(settings: Settings) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if k.upper() not in {f.upper() for f in Settings.model_fields}}
    env.update(
        PYTHONPATH=str(REPO),
        DATA_DIR=str(settings.data_dir),
        DATABASE_URL=settings.resolved_database_url,
        ENVIRONMENT="test",
        AGENT_HEARTBEAT_S="0.2",
        AGENT_STALE_RUN_S="1",
        AGENT_KEEPALIVE_S="0.2",
    )
    yield env


async def test_killed_server_keeps_the_history_and_the_thread_continues(
    server_env: dict[str, str], llm: FakeOpenAI, settings: Settings
) -> None:
    checkpoints = settings.data_dir / "checkpoints-standin.sqlite"
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    slow = "import time\nfor i in range(600):\n    print('tick', i, flush=True)\n    time.sleep(0.1)\n"
    llm.script(
        {"content": "Looking.", "tool_calls": [{"name": "execute_code", "args": {"code": "print(6 * 7)"}}]},
        {"content": "Now the slow part.", "tool_calls": [{"name": "execute_code", "args": {"code": slow}}]},
    )
    first = ServerProcess(server_env, llm, checkpoints)
    try:
        async with httpx.AsyncClient(base_url=first.url, timeout=30) as client:
            tid = (await client.post("/api/threads", json={})).json()["id"]
            seen: list[str] = []
            async with client.stream("POST", f"/api/threads/{tid}/messages", json={"content": "go"}) as r:
                async for line in r.aiter_lines():
                    seen.append(line)
                    if line == "event: tool_output" and sum(x == "event: tool_start" for x in seen) == 2:
                        first.kill()  # mid-run, while the second cell runs
                        break
    finally:
        first.stop()

    second = ServerProcess(server_env, llm, checkpoints)
    try:
        async with httpx.AsyncClient(base_url=second.url, timeout=30) as client:
            items = (await client.get(f"/api/threads/{tid}/messages")).json()["items"]
            # everything up to the step in flight is there: the first tool step whole, the second call made
            assert [m["role"] for m in items] == ["user", "assistant", "tool", "assistant"]
            assert items[2]["meta"]["output"] == "42\n"
            assert items[3]["tool_calls"][0]["args"] == {"code": slow}
            state: dict[str, Any] = {}
            for _ in range(
                100
            ):  # the dead run's heartbeat stops; after AGENT_STALE_RUN_S it no longer counts
                state = (await client.get(f"/api/threads/{tid}/state")).json()
                if not state["running"]:
                    break
                await asyncio.sleep(0.1)
            assert state["running"] is False
            llm.script({"content": "Picking up where we left off."})
            events = await send(client, tid, "what happened?")
            assert "error" not in names(events), events
            # the model saw the whole conversation, the interrupted call answered
            seen = [(m["role"], str(m.get("content"))[:30]) for m in llm.requests[-1]["messages"]]
            assert [r for r, _ in seen][-6:] == ["user", "assistant", "tool", "assistant", "tool", "user"], (
                seen
            )
            assert "Not finished" in llm.requests[-1]["messages"][-2]["content"]
            items = (await client.get(f"/api/threads/{tid}/messages")).json()["items"]
            assert items[-1]["content"] == "Picking up where we left off."
    finally:
        second.stop()
