"""The event bus: each run's stream of ChatEvents, numbered from 1, for any number of subscribers.

`EventBus` is the interface; `InProcessBus` keeps the streams in this process, `RedisStreamsBus`
(lgurban.agent.run.redis_bus) also carries them, and cancel requests, to the other API replicas.
A stream ends with its `done` event; a subscriber that comes late gets the events it missed first,
then the live ones.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from lgurban.agent.events import ChatEvent

T = TypeVar("T")
CancelHandler = Callable[[uuid.UUID], Awaitable[object]]


@dataclass(frozen=True)
class BusEvent:
    """One event of a run's stream with its position (the SSE `id:`)."""

    seq: int
    event: ChatEvent


class EventBus(Protocol):
    """Runs' event streams: one producer per run, any number of subscribers."""

    def publish(self, run_id: uuid.UUID, event: ChatEvent) -> int:
        """Append `event` to the run's stream and return its seq (synchronous: tools emit from callbacks;
        an implementation that writes elsewhere queues in order)."""
        ...

    def subscribe(self, run_id: uuid.UUID, after: int = 0) -> AsyncGenerator[BusEvent, None]:
        """The run's events with seq > `after`, live, ending after `done` (at once for an unknown run)."""
        ...

    @property
    def shared(self) -> bool:
        """True when other replicas see this bus's streams (and `remote` can follow theirs)."""
        ...

    def on_cancel(self, handler: CancelHandler) -> None:
        """Call `handler(run_id)` when any replica asks for the run to stop (`request_cancel`)."""
        ...

    async def request_cancel(self, run_id: uuid.UUID) -> None:
        """Ask the replica running `run_id` to stop it (nothing when the bus is not shared)."""
        ...


@dataclass
class _Stream:
    events: list[BusEvent] = field(default_factory=list)
    queues: set[asyncio.Queue[BusEvent]] = field(default_factory=set)
    done_at: float | None = None


class InProcessBus:
    """The event bus in this process's memory; a finished stream is kept `retain_s` for late subscribers."""

    def __init__(self, *, retain_s: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.retain_s = retain_s
        self._clock = clock
        self._streams: dict[uuid.UUID, _Stream] = {}

    @property
    def shared(self) -> bool:
        return False

    def on_cancel(self, handler: CancelHandler) -> None:
        """Nothing to listen to: in one process the run manager cancels directly."""

    async def request_cancel(self, run_id: uuid.UUID) -> None:
        """No other replica to ask."""

    def has(self, run_id: uuid.UUID) -> bool:
        """Whether this process holds the run's stream (live or retained)."""
        self._purge()
        return run_id in self._streams

    def publish(self, run_id: uuid.UUID, event: ChatEvent) -> int:
        self._purge()
        stream = self._streams.setdefault(run_id, _Stream())
        if stream.done_at is not None:
            return 0  # the stream has ended: nothing after `done` is delivered
        item = BusEvent(len(stream.events) + 1, event)
        stream.events.append(item)
        for queue in stream.queues:
            queue.put_nowait(item)
        if event.type == "done":
            stream.done_at = self._clock()
            stream.queues.clear()
        return item.seq

    async def subscribe(self, run_id: uuid.UUID, after: int = 0) -> AsyncGenerator[BusEvent, None]:
        self._purge()
        stream = self._streams.get(run_id)
        if stream is None:
            return
        queue: asyncio.Queue[BusEvent] = asyncio.Queue()
        for item in stream.events[after:]:
            queue.put_nowait(item)
        if stream.done_at is None:
            stream.queues.add(queue)
        elif queue.empty():
            return
        try:
            while True:
                item = await queue.get()
                yield item
                if item.event.type == "done":
                    return
        finally:
            stream.queues.discard(queue)

    def _purge(self) -> None:
        """Forget finished streams older than retain_s (like an expiry on a stored stream)."""
        cutoff = self._clock() - self.retain_s
        for run_id in [r for r, s in self._streams.items() if s.done_at is not None and s.done_at <= cutoff]:
            del self._streams[run_id]


async def with_keepalive(items: AsyncGenerator[T, None], interval: float) -> AsyncIterator[T | None]:
    """`items`, with None whenever nothing came for `interval` seconds (the SSE keepalive)."""
    pending = asyncio.ensure_future(anext(items))
    try:
        while True:
            done, _ = await asyncio.wait({pending}, timeout=interval)
            if not done:
                yield None
                continue
            try:
                item = pending.result()
            except StopAsyncIteration:
                return
            yield item
            pending = asyncio.ensure_future(anext(items))
    finally:
        if not pending.done():
            pending.cancel()
            with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                await pending
        await items.aclose()
