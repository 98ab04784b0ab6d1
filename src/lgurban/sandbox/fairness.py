"""Fair sharing of the sandbox slots between users (issue 13): whose sandbox makes room when one more must
start. A user holds at most SANDBOX_MAX_PER_USER sandboxes (past it their own least recently used idle one is
stopped; with all of theirs busy the cell is refused); under the server-wide cap the caller's own idle
sandboxes go before anyone else's, and a busy sandbox never goes."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from lgurban.errors import SandboxQuotaExceeded

FOR_YOURS = "stopped to make room for your other conversations"
FOR_OTHERS = "stopped to make room for other conversations"


class Owners:
    """Who holds each live (or starting) sandbox; a thread run without an owner belongs to nobody."""

    def __init__(self) -> None:
        self._of: dict[uuid.UUID, str] = {}

    def hold(self, thread_id: uuid.UUID, owner: str | None) -> None:
        if owner is not None:
            self._of[thread_id] = owner

    def release(self, thread_id: uuid.UUID) -> None:
        self._of.pop(thread_id, None)

    def over_cap(self, owner: str | None, user_cap: int) -> bool:
        """Whether `owner` already holds the `user_cap` sandboxes they may (0: no cap); then one of theirs
        must make room."""
        if owner is None or not user_cap:
            return False
        return sum(1 for o in self._of.values() if o == owner) >= user_cap

    def victim(
        self,
        lru: Iterable[uuid.UUID],
        idle: Callable[[uuid.UUID], bool],
        owner: str | None,
        *,
        own_only: bool,
    ) -> tuple[uuid.UUID, str] | None:
        """The idle sandbox to stop (least recently used first, the caller's own before others') and why."""
        other = None
        for thread_id in lru:
            if not idle(thread_id):
                continue
            if owner is not None and self._of.get(thread_id) == owner:
                return thread_id, FOR_YOURS
            if other is None:
                other = thread_id
        if own_only or other is None:
            return None
        return other, FOR_OTHERS

    @staticmethod
    def refused(n: int) -> SandboxQuotaExceeded:
        return SandboxQuotaExceeded(
            f"All {n} sandbox{'es' if n != 1 else ''} you may hold at once are busy running code "
            f"(SANDBOX_MAX_PER_USER={n}): wait for one of your cells to finish or stop it, "
            "then run this again."
        )
