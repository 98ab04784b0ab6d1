"""Following a run that lives on another replica: its live events through the shared bus, or its stored
messages when the bus is away (an `error` event says so) or its replica stopped beating.

Event ids stay increasing across the switch; a message already seen live is not sent again.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

from lgurban.agent.events import ErrorEvent, MessageEvent
from lgurban.agent.run.bus import BusEvent
from lgurban.agent.run.redis_bus import BusUnavailable, RedisStreamsBus

LIVE_UNAVAILABLE = (
    "LIVE_STREAM_UNAVAILABLE",
    "The live stream between servers (Redis) is unavailable: following the stored messages instead; "
    "the run goes on.",
)


async def follow(
    bus: RedisStreamsBus,
    *,
    run_id: uuid.UUID,
    after: int,
    block_s: float,
    is_live: Callable[[], Awaitable[bool]],
    stored: Callable[[], AsyncIterator[BusEvent | None]],
) -> AsyncIterator[BusEvent | None]:
    """The run's events after `after`; None when nothing came for `block_s` (an SSE keepalive)."""
    last, seen = after, set[uuid.UUID]()
    try:
        async for item in bus.remote(run_id, after, block_s=block_s):
            if item is None:
                if not await is_live():  # its replica died, or it ended while we looked away
                    break
                yield None
                continue
            last = item.seq
            if isinstance(item.event, MessageEvent):
                seen.add(item.event.message.id)
            yield item
            if item.event.type == "done":
                return
    except BusUnavailable:
        last += 1
        yield BusEvent(last, ErrorEvent(code=LIVE_UNAVAILABLE[0], message=LIVE_UNAVAILABLE[1]))
    async for got in stored():
        if got is None:
            yield None
            continue
        if got.event.type == "run_started" or (
            isinstance(got.event, MessageEvent) and got.event.message.id in seen
        ):
            continue
        last += 1
        yield BusEvent(last, got.event)
