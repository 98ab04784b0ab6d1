"""The in-process event bus: numbering, subscribe after N, late subscribers, `done` ends the stream."""

from __future__ import annotations

import asyncio
import uuid

from lgurban.agent.events import DoneEvent, RunStartedEvent, TokenEvent
from lgurban.agent.run.bus import BusEvent, InProcessBus, with_keepalive


async def _all(bus: InProcessBus, run_id: uuid.UUID, after: int = 0) -> list[BusEvent]:
    return [item async for item in bus.subscribe(run_id, after)]


async def test_events_are_numbered_and_done_ends_the_stream() -> None:
    bus, run = InProcessBus(), uuid.uuid4()
    assert bus.publish(run, RunStartedEvent(run_id=run)) == 1
    assert bus.publish(run, TokenEvent(text="a")) == 2
    assert bus.publish(run, DoneEvent(run_id=run)) == 3
    assert bus.publish(run, TokenEvent(text="after the end")) == 0
    got = await _all(bus, run)
    assert [(i.seq, i.event.type) for i in got] == [(1, "run_started"), (2, "token"), (3, "done")]


async def test_subscribe_after_n_gets_only_what_follows() -> None:
    bus, run = InProcessBus(), uuid.uuid4()
    for text in "abc":
        bus.publish(run, TokenEvent(text=text))
    bus.publish(run, DoneEvent(run_id=run))
    assert [i.seq for i in await _all(bus, run, after=2)] == [3, 4]
    assert await _all(bus, run, after=4) == []


async def test_live_and_late_subscribers_see_the_same_stream() -> None:
    bus, run = InProcessBus(), uuid.uuid4()
    bus.publish(run, TokenEvent(text="early"))
    early = asyncio.create_task(_all(bus, run))
    await asyncio.sleep(0)  # the early subscriber is attached before the next events
    bus.publish(run, TokenEvent(text="middle"))
    late = asyncio.create_task(_all(bus, run, after=1))
    await asyncio.sleep(0)
    bus.publish(run, TokenEvent(text="live"))
    bus.publish(run, DoneEvent(run_id=run))
    texts = [[getattr(i.event, "text", "done") for i in got] for got in await asyncio.gather(early, late)]
    assert texts == [["early", "middle", "live", "done"], ["middle", "live", "done"]]


async def test_unknown_or_expired_run_ends_at_once() -> None:
    now = [0.0]
    bus, run = InProcessBus(retain_s=10, clock=lambda: now[0]), uuid.uuid4()
    assert await _all(bus, uuid.uuid4()) == []
    bus.publish(run, DoneEvent(run_id=run))
    assert len(await _all(bus, run)) == 1  # kept a while for a late subscriber
    now[0] = 11.0
    assert await _all(bus, run) == []


async def test_keepalive_yields_none_while_nothing_comes() -> None:
    bus, run = InProcessBus(), uuid.uuid4()
    stream = with_keepalive(bus.subscribe(run, 0), 0.01)
    bus.publish(run, TokenEvent(text="x"))
    first = await anext(stream)
    assert first is not None and first.seq == 1
    assert await anext(stream) is None  # nothing for 10 ms: a keepalive, the subscription stays
    bus.publish(run, DoneEvent(run_id=run))
    rest = [item async for item in stream if item is not None]
    assert [i.event.type for i in rest] == ["done"]
