"""The event bus across API replicas: Redis Streams for run events, Redis pub/sub for cancel requests.

Each run's events go to the stream `{prefix}run:{run_id}` with the explicit id `0-<seq>` (XADD, bounded with
MAXLEN ~, expiring), so the SSE `id:` a client saw is the position to XREAD after: `Last-Event-ID` resumes on
any replica. The replica running the run also keeps the stream in memory (its own subscribers read that, and
lose nothing while Redis is away); the others follow it with `remote`. Writes are queued in order and sent by
one task: `publish` stays synchronous (tools emit from callbacks). Cancel requests go to the channel
`{prefix}cancel`; every replica listens, the one running the run stops it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from lgurban.agent.events import ChatEvent, chat_event_adapter
from lgurban.agent.run.bus import BusEvent, CancelHandler, EventBus, InProcessBus
from lgurban.settings import Settings

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 2.0
RETRY_S = 1.0


class BusUnavailable(Exception):
    """Redis does not answer: live events from other replicas cannot be followed now."""


class RedisStreamsBus:
    """EventBus over Redis (see the module docstring); `start` before use, `close` at shutdown."""

    def __init__(
        self, url: str, *, prefix: str = "lgurban:", maxlen: int = 50_000, ttl_s: int = 3600
    ) -> None:
        self.prefix = prefix
        self.maxlen = maxlen
        self.ttl_s = ttl_s
        self.local = InProcessBus()
        self.redis: aioredis.Redis = aioredis.from_url(
            url, socket_connect_timeout=CONNECT_TIMEOUT_S, socket_timeout=30, health_check_interval=10
        )
        # pub/sub waits for messages for as long as it takes: no read timeout on its connection
        self._listener: aioredis.Redis = aioredis.from_url(
            url, socket_connect_timeout=CONNECT_TIMEOUT_S, socket_timeout=None, health_check_interval=10
        )
        self._queue: asyncio.Queue[tuple[uuid.UUID, int, ChatEvent]] = asyncio.Queue()
        self._handlers: list[CancelHandler] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._failing = False

    # --- keys -------------------------------------------------------------------------------------------
    def stream_key(self, run_id: uuid.UUID) -> str:
        return f"{self.prefix}run:{run_id}"

    @property
    def cancel_channel(self) -> str:
        return f"{self.prefix}cancel"

    # --- lifecycle --------------------------------------------------------------------------------------
    async def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._writer(), name="redis-bus-writer"),
            asyncio.create_task(self._listen_cancel(), name="redis-bus-cancel"),
        ]

    async def close(self) -> None:
        """Send what is queued (a short while), stop the tasks, close the connections."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._queue.join(), 2)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.redis.aclose()
        await self._listener.aclose()

    async def check(self) -> str:
        """Health: "ok" when Redis answers a PING."""
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT_S):
                await self.redis.ping()
        except Exception as exc:  # a short name, never the URL (it may hold a password)
            return f"unavailable ({type(exc).__name__})"
        return "ok"

    # --- EventBus ---------------------------------------------------------------------------------------
    @property
    def shared(self) -> bool:
        return True

    def publish(self, run_id: uuid.UUID, event: ChatEvent) -> int:
        seq = self.local.publish(run_id, event)
        if seq:
            self._queue.put_nowait((run_id, seq, event))
        return seq

    def subscribe(self, run_id: uuid.UUID, after: int = 0) -> AsyncGenerator[BusEvent, None]:
        """This replica's own runs (from memory)."""
        return self.local.subscribe(run_id, after)

    def has(self, run_id: uuid.UUID) -> bool:
        return self.local.has(run_id)

    def on_cancel(self, handler: CancelHandler) -> None:
        self._handlers.append(handler)

    async def request_cancel(self, run_id: uuid.UUID) -> None:
        try:
            await self.redis.publish(self.cancel_channel, str(run_id))
        except RedisError:  # the run row says "cancelling" too: the owner's heartbeat picks it up
            log.warning("cancel request for run %s not published (Redis unavailable)", run_id)

    async def remote(
        self, run_id: uuid.UUID, after: int = 0, *, block_s: float = 2.0
    ) -> AsyncIterator[BusEvent | None]:
        """Another replica's run: its events with seq > `after`, None after `block_s` of nothing.

        Ends after `done`; raises BusUnavailable when Redis fails."""
        key, last = self.stream_key(run_id), f"0-{after}"
        while True:
            try:
                answer: Any = await self.redis.xread({key: last}, count=500, block=int(block_s * 1000))
            except (RedisError, OSError) as exc:
                raise BusUnavailable(type(exc).__name__) from exc
            if not answer:
                yield None
                continue
            for raw_id, fields in answer[0][1]:
                last = raw_id.decode() if isinstance(raw_id, bytes) else str(raw_id)
                event = chat_event_adapter.validate_json(fields[b"e"])
                yield BusEvent(int(last.rpartition("-")[2]), event)
                if event.type == "done":
                    return

    # --- tasks ------------------------------------------------------------------------------------------
    async def _writer(self) -> None:
        """Send queued events in order, batched; while Redis is away they are dropped (the DB has them)."""
        while True:
            batch = [await self._queue.get()]
            while not self._queue.empty():
                batch.append(self._queue.get_nowait())
            pipe = self.redis.pipeline(transaction=False)
            for run_id, seq, event in batch:
                pipe.xadd(
                    self.stream_key(run_id),
                    {"e": event.model_dump_json()},
                    id=f"0-{seq}",
                    maxlen=self.maxlen,
                    approximate=True,
                )
            for run_id in {r for r, _, _ in batch}:
                pipe.expire(self.stream_key(run_id), self.ttl_s)
            try:
                await pipe.execute(raise_on_error=False)
                if self._failing:
                    log.info("Redis answers again: live run events are shared again")
                self._failing = False
            except (RedisError, OSError):
                if not self._failing:
                    log.warning("Redis unavailable: live run events stay on this replica", exc_info=True)
                self._failing = True
            for _ in batch:
                self._queue.task_done()

    async def _listen_cancel(self) -> None:
        """Hand every cancel request to the handlers; reconnect when Redis comes back."""
        while True:
            try:
                async with self._listener.pubsub() as pubsub:
                    await pubsub.subscribe(self.cancel_channel)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            await self._dispatch(message["data"])
            except (RedisError, OSError):
                await asyncio.sleep(RETRY_S)

    async def _dispatch(self, data: bytes | str) -> None:
        try:
            run_id = uuid.UUID(data.decode() if isinstance(data, bytes) else data)
        except ValueError:
            return
        for handler in self._handlers:
            try:
                await handler(run_id)
            except Exception:
                log.exception("cancel handler failed for run %s", run_id)


@contextlib.asynccontextmanager
async def open_bus(settings: Settings) -> AsyncIterator[EventBus]:
    """The deployment's bus: Redis when REDIS_URL is set (not refused when Redis is away: runs go on
    without it and /api/health says so), else in process."""
    if not settings.redis_url:
        yield InProcessBus()
        return
    bus = RedisStreamsBus(
        settings.redis_url,
        prefix=settings.redis_prefix,
        maxlen=settings.redis_stream_maxlen,
        ttl_s=settings.redis_stream_ttl_s,
    )
    await bus.start()
    if (state := await bus.check()) != "ok":
        log.warning("Redis %s at start-up: live events stay on this replica until it answers", state)
    try:
        yield bus
    finally:
        await bus.close()
