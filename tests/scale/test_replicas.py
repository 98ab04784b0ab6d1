"""Two API replicas (real `lgurban serve` processes) on one PostgreSQL and one Redis.

A run started through A is followed live through B (tokens, not only stored messages), resumed with
Last-Event-ID without duplicates, cancelled through B; a SIGKILLed replica's thread answers on B within 10 s.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import wait_until
from tests.fakes.openai_server import FakeOpenAI
from tests.scale.conftest import REDIS_URL, Replica, read_events, replica_env, words

Event = tuple[int | None, str, dict[str, Any]]


@pytest.fixture
def pair(
    tmp_path: Path, scale_db: str, redis_prefix: str, model: FakeOpenAI
) -> Iterator[tuple[Replica, Replica]]:
    env = replica_env(tmp_path, db=scale_db, redis_url=REDIS_URL, prefix=redis_prefix, model=model)
    a = Replica(env)
    try:
        b = Replica(env)
    except BaseException:
        a.stop()
        raise
    yield a, b
    a.stop()
    b.stop()


def slow_reply(n: int, delay: float) -> dict[str, Any]:
    return {"when": {"has_tools": True}, "content": words(n), "token_delay_s": delay}


async def new_thread(client: httpx.AsyncClient, base: str) -> str:
    r = await client.post(base + "/api/threads", json={})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def post_and_read(
    client: httpx.AsyncClient, url: str, tid: str, content: str, into: list[Event]
) -> None:
    async with client.stream("POST", f"{url}/api/threads/{tid}/messages", json={"content": content}) as r:
        assert r.status_code == 200, (await r.aread()).decode()
        async for item in read_events(r):
            into.append(item)


async def attach(
    client: httpx.AsyncClient,
    url: str,
    tid: str,
    *,
    last_event_id: int | None = None,
    tokens: int | None = None,
) -> list[Event]:
    """Re-attach through `url`; read to `done`, or until `tokens` token events came."""
    headers = {"Last-Event-ID": str(last_event_id)} if last_event_id is not None else {}
    got: list[Event] = []
    async with client.stream("GET", f"{url}/api/threads/{tid}/runs/active/events", headers=headers) as r:
        assert r.status_code == 200, r.status_code
        async for item in read_events(r):
            got.append(item)
            if tokens is not None and sum(e[1] == "token" for e in got) >= tokens:
                break
    return got


async def first(events: list[Event], name: str, within: float = 30) -> None:
    await wait_until(lambda: any(e[1] == name for e in events), timeout=within, interval=0.01)


def text_of(events: list[Event]) -> str:
    return "".join(e[2]["text"] for e in events if e[1] == "token")


async def test_a_run_on_a_streams_tokens_through_b_and_resumes_without_duplicates(
    pair: tuple[Replica, Replica], model: FakeOpenAI
) -> None:
    a, b = pair
    reply = words(60)
    model.script(slow_reply(60, 0.03))
    async with httpx.AsyncClient(timeout=60) as client:
        tid = await new_thread(client, a.url)
        on_a: list[Event] = []
        posting = asyncio.create_task(post_and_read(client, a.url, tid, "go", on_a))
        await first(on_a, "token")
        head = await attach(client, b.url, tid, tokens=5)  # from the start, through B
        assert [e[1] for e in head[:2]] == ["run_started", "message"]
        last_id = head[-1][0]
        assert last_id is not None
        tail = await attach(client, b.url, tid, last_event_id=last_id)  # resumed through B
        await posting
    ids = [e[0] or 0 for e in head + tail]
    assert ids == sorted(set(ids)), ids  # increasing, no event twice
    assert tail[0][0] == last_id + 1
    assert text_of(head) + text_of(tail) == reply  # every token, live through B
    assert tail[-1][1] == "done" and tail[-1][2]["status"] == "done"
    assert text_of(on_a) == reply
    assert [e[0] or 0 for e in on_a] == ids  # the same ids on both replicas


async def test_cancel_through_b_stops_the_run_on_a_within_a_second(
    pair: tuple[Replica, Replica], model: FakeOpenAI
) -> None:
    a, b = pair
    model.script(slow_reply(400, 0.05))
    async with httpx.AsyncClient(timeout=60) as client:
        tid = await new_thread(client, a.url)
        on_a: list[Event] = []
        posting = asyncio.create_task(post_and_read(client, a.url, tid, "go", on_a))
        await first(on_a, "token")
        asked = time.monotonic()
        r = await client.post(f"{b.url}/api/threads/{tid}/runs/cancel")
        assert r.status_code == 202 and r.json()["run_id"]
        await first(on_a, "done", within=5)
        took = time.monotonic() - asked
        await posting
        assert on_a[-1][2]["status"] == "cancelled"
        # the goal is 1 s (bench/replicas.py measures it); the slack is for a loaded 2-core CI machine
        assert took < 2.0, took
        items = (await client.get(f"{b.url}/api/threads/{tid}/messages")).json()["items"]
        assert items[-1]["meta"]["partial"] is True  # what was said before the cancel is kept


async def test_sigkill_of_a_mid_run_and_the_thread_answers_on_b_within_10_s(
    pair: tuple[Replica, Replica], model: FakeOpenAI
) -> None:
    a, b = pair
    model.script({"when": {"has_tools": True}, "content": "first answer"}, slow_reply(400, 0.05))
    async with httpx.AsyncClient(timeout=60) as client:
        tid = await new_thread(client, a.url)
        done_first: list[Event] = []
        await post_and_read(client, a.url, tid, "one", done_first)
        on_a: list[Event] = []
        posting = asyncio.create_task(post_and_read(client, a.url, tid, "two", on_a))
        await first(on_a, "token")
        a.kill()
        killed = time.monotonic()
        with pytest.raises(httpx.HTTPError):
            await posting
        model.script({"when": {"has_tools": True}, "content": "after the crash"})
        while True:
            r = await client.post(f"{b.url}/api/threads/{tid}/messages", json={"content": "three"})
            if r.status_code != 409:
                break
            assert time.monotonic() - killed < 15, "the thread stayed locked"
            await asyncio.sleep(0.2)
        answered = time.monotonic() - killed
        assert r.status_code == 200, r.text
        assert "after the crash" in r.text
        assert answered < 10.0, answered
        items = (await client.get(f"{b.url}/api/threads/{tid}/messages")).json()["items"]
        contents = [(m["role"], m["content"]) for m in items]
        assert contents[:3] == [("user", "one"), ("assistant", "first answer"), ("user", "two")]
        assert contents[-2:] == [("user", "three"), ("assistant", "after the crash")]
        # the model saw the whole conversation, the interrupted question included
        # (the analyst's last call: the reviewer's, issue 15, comes after it with its own system prompt)
        analyst = [r for r in model.requests if "You are LG-Urban" in str(r["messages"][0].get("content"))]
        seen = [m.get("content") for m in analyst[-1]["messages"] if m["role"] == "user"]
        assert seen[-3:] == ["one", "two", "three"], seen
