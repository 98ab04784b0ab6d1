"""RedisStreamsBus against the real Redis: ids as SSE ids, resume after an id, keys under the prefix with an
expiry, cancel requests between two buses (two replicas), and what happens when Redis does not answer."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from lgurban.agent.events import DoneEvent, RunStartedEvent, TokenEvent
from lgurban.agent.run.bus import BusEvent
from lgurban.agent.run.redis_bus import BusUnavailable, RedisStreamsBus
from tests.conftest import free_port
from tests.scale.conftest import REDIS_URL


@pytest.fixture
async def buses(redis_prefix: str) -> AsyncIterator[tuple[RedisStreamsBus, RedisStreamsBus]]:
    a, b = RedisStreamsBus(REDIS_URL, prefix=redis_prefix), RedisStreamsBus(REDIS_URL, prefix=redis_prefix)
    await a.start()
    await b.start()
    yield a, b
    await a.close()
    await b.close()


async def _remote(bus: RedisStreamsBus, run: uuid.UUID, after: int = 0) -> list[BusEvent]:
    return [item async for item in bus.remote(run, after, block_s=0.2) if item is not None]


async def test_a_run_published_on_one_bus_is_read_on_the_other_from_any_id(
    buses: tuple[RedisStreamsBus, RedisStreamsBus], redis_prefix: str
) -> None:
    a, b = buses
    run = uuid.uuid4()
    reader = asyncio.create_task(_remote(b, run))  # live: waits for events not yet written
    assert a.publish(run, RunStartedEvent(run_id=run)) == 1
    for text in "xyz":
        a.publish(run, TokenEvent(text=text))
    a.publish(run, DoneEvent(run_id=run))
    got = await asyncio.wait_for(reader, 10)
    assert [(i.seq, i.event.type) for i in got] == [
        (1, "run_started"),
        (2, "token"),
        (3, "token"),
        (4, "token"),
        (5, "done"),
    ]
    assert [i.seq for i in await _remote(b, run, after=3)] == [4, 5]  # Last-Event-ID: 3
    client = aioredis.from_url(REDIS_URL)
    keys = [k.decode() async for k in client.scan_iter(match=redis_prefix + "*")]
    assert keys == [f"{redis_prefix}run:{run}"]
    assert 0 < await client.ttl(keys[0]) <= a.ttl_s
    await client.aclose()


async def test_cancel_requested_on_one_bus_reaches_the_other(
    buses: tuple[RedisStreamsBus, RedisStreamsBus],
) -> None:
    a, b = buses
    asked: asyncio.Queue[uuid.UUID] = asyncio.Queue()

    async def handler(run_id: uuid.UUID) -> None:
        await asyncio.sleep(0)
        asked.put_nowait(run_id)

    a.on_cancel(handler)
    run = uuid.uuid4()
    for _ in range(50):  # the listener subscribes in the background: ask until it hears
        await b.request_cancel(run)
        try:
            assert await asyncio.wait_for(asked.get(), 0.2) == run
            break
        except TimeoutError:
            continue
    else:
        raise AssertionError("the cancel request never arrived")


async def test_without_redis_publishing_still_serves_this_replica_and_following_says_unavailable() -> None:
    bus = RedisStreamsBus(f"redis://127.0.0.1:{free_port()}/0", prefix="x:")
    await bus.start()
    try:
        run = uuid.uuid4()
        bus.publish(run, TokenEvent(text="a"))
        bus.publish(run, DoneEvent(run_id=run))
        assert [i.seq async for i in bus.subscribe(run)] == [1, 2]  # this replica's own stream
        assert (await bus.check()).startswith("unavailable")
        with pytest.raises(BusUnavailable):
            await _remote(bus, uuid.uuid4())
        await bus.request_cancel(run)  # logged, not raised: the run row carries the request too
    finally:
        await bus.close()
