"""Per-user limits (issue 13): the server's defaults (settings), a user's own values (`user_quotas`, set with
`lgurban users set-quota`), and what a user has used of those counted in the database.

Limits (0 = no limit):
- `sandboxes`: sandboxes held at once (SANDBOX_MAX_PER_USER; sandbox/fairness.py applies it);
- `runs_per_hour`: chat runs started in the last hour (QUOTA_RUNS_PER_HOUR), checked when a run starts.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lgurban.db.models import Run, UserQuota, utcnow
from lgurban.errors import BadRequest, QuotaExceeded
from lgurban.settings import Settings

LIMITS = {
    "sandboxes": "sandboxes held at once (SANDBOX_MAX_PER_USER)",
    "runs_per_hour": "chat runs started in the last hour (QUOTA_RUNS_PER_HOUR)",
}
HOUR = timedelta(hours=1)


def default(settings: Settings, name: str) -> int:
    return settings.sandbox_user_cap if name == "sandboxes" else settings.runs_per_hour_cap


async def limits_of(session: AsyncSession, settings: Settings, user_id: uuid.UUID) -> dict[str, int]:
    """Every limit of `user_id`: their own value where set, the server's default elsewhere."""
    values = {name: default(settings, name) for name in LIMITS}
    rows = await session.execute(select(UserQuota.name, UserQuota.value).where(UserQuota.user_id == user_id))
    values.update({name: int(value) for name, value in rows if name in LIMITS})
    return values


async def set_quota(session: AsyncSession, user_id: uuid.UUID, name: str, value: int | None) -> None:
    """Give `user_id` their own value for `name`; None goes back to the server's default."""
    if name not in LIMITS:
        raise BadRequest(f"no limit named {name!r}: the limits are {', '.join(LIMITS)}")
    if value is not None and value < 0:
        raise BadRequest("a limit is 0 (no limit) or more")
    await session.execute(delete(UserQuota).where(UserQuota.user_id == user_id, UserQuota.name == name))
    if value is not None:
        session.add(UserQuota(user_id=user_id, name=name, value=value, updated_at=utcnow()))
    await session.flush()


@dataclass
class Usage:
    name: str
    used: int
    limit: int
    resets_at: datetime | None  # when one more becomes possible, for a limit that is reached


async def runs_usage(
    session: AsyncSession, user_id: uuid.UUID, limit: int, *, besides: uuid.UUID | None = None
) -> Usage:
    """Runs `user_id` started in the last hour (not counting `besides`, the one being started)."""
    since = utcnow() - HOUR
    query = select(Run.started_at).where(Run.user_id == user_id, Run.started_at > since)
    if besides is not None:
        query = query.where(Run.id != besides)
    started = sorted((await session.execute(query)).scalars())
    resets = started[len(started) - limit] + HOUR if limit and len(started) >= limit else None
    return Usage("runs_per_hour", len(started), limit, resets)


async def check_run_allowed(
    session: AsyncSession, settings: Settings, user_id: uuid.UUID | None, run_id: uuid.UUID
) -> None:
    """Refuse (429 QUOTA_EXCEEDED) a run past the user's runs_per_hour (the caller rolls back)."""
    if user_id is None:
        return
    limit = (await limits_of(session, settings, user_id))["runs_per_hour"]
    if not limit:
        return
    usage = await runs_usage(session, user_id, limit, besides=run_id)
    if usage.used >= limit and usage.resets_at is not None:
        at = usage.resets_at.strftime("%H:%M UTC")
        raise QuotaExceeded(
            f"You have started {usage.used} chat runs in the last hour, your limit (runs_per_hour={limit}); "
            f"the next one is possible at {at}. Your message was not sent."
        )


class SandboxCaps:
    """The `sandboxes` limit per user for each cell, read from the database at most every `ttl_s` (a
    `set-quota` from the command line reaches a running server within that time)."""

    def __init__(
        self, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], ttl_s: float = 10.0
    ) -> None:
        self.settings, self.sessionmaker, self.ttl_s = settings, sessionmaker, ttl_s
        self._cache: dict[uuid.UUID, tuple[float, int]] = {}

    async def get(self, user_id: uuid.UUID) -> int:
        now = time.monotonic()
        hit = self._cache.get(user_id)
        if hit is not None and now - hit[0] < self.ttl_s:
            return hit[1]
        async with self.sessionmaker() as session:
            cap = (await limits_of(session, self.settings, user_id))["sandboxes"]
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[user_id] = (now, cap)
        return cap
