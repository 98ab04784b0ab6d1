"""What the agent layer uses of the running service. `lgurban.resources.Resources` provides it; the agent
never imports the composition root, so the layers stay one-way."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

    from lgurban.artifacts.service import ArtifactService
    from lgurban.datasets.geocoder import Geocoder
    from lgurban.datasets.service import DatasetService
    from lgurban.db.quotas import SandboxCaps
    from lgurban.sandbox.sandboxes import Sandboxes
    from lgurban.sandbox.workspace import Workspace
    from lgurban.settings import Settings


class Services(Protocol):
    @property
    def settings(self) -> Settings: ...
    @property
    def engine(self) -> AsyncEngine: ...
    @property
    def sessionmaker(self) -> async_sessionmaker[AsyncSession]: ...
    @property
    def sandboxes(self) -> Sandboxes: ...
    @property
    def artifacts(self) -> ArtifactService: ...
    @property
    def datasets(self) -> DatasetService: ...
    @property
    def sandbox_caps(self) -> SandboxCaps: ...
    @property
    def geocoder(self) -> Geocoder: ...

    def workspace(self, thread_id: uuid.UUID) -> Workspace:
        """The thread's workspace (where its code runs and its datasets are loaded)."""
        ...
