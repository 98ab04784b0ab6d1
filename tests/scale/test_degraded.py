"""Redis stopped in the middle of a run: the run goes on and is stored; a replica following it through Redis
says so with an `error` event and carries on from the stored messages; /api/health names Redis."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tests.fakes.openai_server import FakeOpenAI
from tests.scale.conftest import RedisServer, Replica, read_events, replica_env, words
from tests.scale.test_replicas import Event, first, new_thread, post_and_read, slow_reply, text_of


async def test_redis_stopped_mid_run_degrades_to_stored_messages(
    tmp_path: Path, scale_db: str, redis_prefix: str, model: FakeOpenAI
) -> None:
    own = RedisServer()
    env = replica_env(tmp_path, db=scale_db, redis_url=own.url, prefix=redis_prefix, model=model)
    a = b = None
    try:
        a, b = Replica(env), Replica(env)
        reply = words(120)
        model.script(slow_reply(120, 0.03))
        async with httpx.AsyncClient(timeout=60) as client:
            tid = await new_thread(client, a.url)
            on_a: list[Event] = []
            posting = asyncio.create_task(post_and_read(client, a.url, tid, "go", on_a))
            await first(on_a, "token")
            on_b: list[Event] = []
            async with client.stream("GET", f"{b.url}/api/threads/{tid}/runs/active/events") as r:
                async for item in read_events(r):
                    on_b.append(item)
                    if sum(e[1] == "token" for e in on_b) == 3:
                        own.kill()  # B is following live (tokens through Redis): Redis goes away
            await posting
            health = await client.get(a.url + "/api/health")
            items = (await client.get(f"{b.url}/api/threads/{tid}/messages")).json()["items"]
        names = [e[1] for e in on_b]
        assert "token" in names  # live until Redis went away
        error = next(e for e in on_b if e[1] == "error")
        assert error[2]["code"] == "LIVE_STREAM_UNAVAILABLE"
        stored = [e[2]["message"] for e in on_b[names.index("error") :] if e[1] == "message"]
        assert [m["content"] for m in stored if m["role"] == "assistant"] == [reply]
        assert on_b[-1][1] == "done" and on_b[-1][2]["status"] == "done"
        ids = [e[0] or 0 for e in on_b]
        assert ids == sorted(set(ids))
        # the run itself went on untouched, its own stream live to the end, everything stored
        assert text_of(on_a) == reply and on_a[-1][2]["status"] == "done"
        assert [(m["role"], m["content"]) for m in items] == [("user", "go"), ("assistant", reply)]
        assert health.status_code == 503
        assert health.json()["checks"]["redis"].startswith("unavailable")
    finally:
        for replica in (a, b):
            if replica is not None:
                replica.stop()
        own.kill()
