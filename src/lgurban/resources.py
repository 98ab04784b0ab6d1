"""What the running service holds: built once in the lifespan and handed to whoever needs it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import InitVar, dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from lgurban.api.deps import HealthCheck, ThreadCleanup
from lgurban.datasets.geocoder import Geocoder
from lgurban.db.models import User
from lgurban.db.quotas import SandboxCaps
from lgurban.settings import Settings

# type-only: these modules import Resources themselves
if TYPE_CHECKING:
    from lgurban.agent.runs import RunManager
    from lgurban.artifacts.service import ArtifactService
    from lgurban.datasets.service import DatasetService
    from lgurban.sandbox.sandboxes import Sandboxes
    from lgurban.sandbox.workspace import Workspace
    from lgurban.storage.base import ObjectStore

AgentFactory = Callable[["Resources"], "RunManager"]


@dataclass(kw_only=True)
class Resources:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    store: ObjectStore
    sandboxes: Sandboxes
    artifacts: ArtifactService
    datasets: DatasetService
    # the agent runs with these resources, so it is made from them once they are complete
    make_agent: InitVar[AgentFactory]
    agent: RunManager = field(init=False)
    # name → check returning "ok" or a short reason; /api/health runs them all
    health_checks: dict[str, HealthCheck] = field(default_factory=dict)
    # run when a thread is deleted (sandbox, workspace, checkpoints…)
    thread_cleanups: list[ThreadCleanup] = field(default_factory=list)
    # AUTH_MODE=local: the implicit user, loaded once and kept detached (read-only: use its id)
    local_user: User | None = None
    # issue 13: each user's `sandboxes` quota, cached for the cells' hot path
    sandbox_caps: SandboxCaps = field(init=False)
    # maps (issue 16): geocode / reverse_geocode; its HTTP client opens on first use (close() in the lifespan)
    geocoder: Geocoder = field(init=False)

    def __post_init__(self, make_agent: AgentFactory) -> None:
        self.sandbox_caps = SandboxCaps(self.settings, self.sessionmaker)
        self.geocoder = Geocoder(self.settings)
        self.agent = make_agent(self)

    def workspace(self, thread_id: uuid.UUID) -> Workspace:
        """The thread's workspace: the one the sandbox manager runs its code in."""
        return self.sandboxes.workspace(thread_id)
