"""What the running service holds: built once in the lifespan and handed to whoever needs it."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from lgurban.db.models import User
from lgurban.settings import Settings

HealthCheck = Callable[[], Awaitable[str]]
ThreadCleanup = Callable[[uuid.UUID], Awaitable[None]]


@dataclass
class Resources:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    # name → check returning "ok" or a short reason; /api/health runs them all
    health_checks: dict[str, HealthCheck] = field(default_factory=dict)
    # run when a thread is deleted (sandbox, workspace, checkpoints…)
    thread_cleanups: list[ThreadCleanup] = field(default_factory=list)
    # parts filled in by the sandbox, storage, datasets and agent modules
    store: Any = None
    sandboxes: Any = None
    artifacts: Any = None
    datasets: Any = None
    agent: Any = None
    # AUTH_MODE=local: the implicit user, loaded once and kept detached (read-only: use its id)
    local_user: User | None = None
