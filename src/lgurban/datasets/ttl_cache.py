"""A small in-memory cache with a time to live, and one fetch for concurrent look-ups of the same key."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class TTLCache:
    """Values kept `ttl_s` seconds (0 keeps nothing), at most `max_items`, oldest dropped first."""

    def __init__(self, ttl_s: float, max_items: int = 512) -> None:
        self.ttl_s = ttl_s
        self.max_items = max_items
        self._items: dict[Hashable, tuple[float, Any]] = {}
        self._inflight: dict[Hashable, asyncio.Future[Any]] = {}

    def put(self, key: Hashable, value: Any) -> None:
        if self.ttl_s <= 0:
            return
        if len(self._items) >= self.max_items:
            now = time.monotonic()
            self._items = {k: v for k, v in self._items.items() if v[0] > now}
            while len(self._items) >= self.max_items:
                self._items.pop(next(iter(self._items)))
        self._items[key] = (time.monotonic() + self.ttl_s, value)

    async def get(self, key: Hashable, fetch: Callable[[], Awaitable[T]]) -> T:
        hit = self._items.get(key)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]  # type: ignore[no-any-return,unused-ignore]
        if (pending := self._inflight.get(key)) is not None:  # one fetch for concurrent identical look-ups
            return await asyncio.shield(pending)  # type: ignore[no-any-return,unused-ignore]
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._inflight[key] = fut
        try:
            value = await fetch()
        except Exception as exc:
            fut.set_exception(exc)
            fut.exception()  # mark retrieved
            raise
        except BaseException:  # cancelled: the callers waiting on this fetch are cancelled too
            fut.cancel()
            raise
        else:
            fut.set_result(value)
            self.put(key, value)
            return value
        finally:
            self._inflight.pop(key, None)
