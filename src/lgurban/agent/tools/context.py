"""What a tool is bound to: the service's parts, one thread and run, and the run's live-event callback."""

from __future__ import annotations

import inspect
import logging
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lgurban.agent.events import ChatEvent, Emit
from lgurban.agent.services import Services

if TYPE_CHECKING:
    from lgurban.datasets.service import DatasetService
    from lgurban.sandbox.workspace import Workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ToolContext:
    """One thread's and one run's tools share this; `emit` may be a plain function or a coroutine one."""

    resources: Services
    thread_id: uuid.UUID
    user_id: uuid.UUID | None
    run_id: uuid.UUID | None
    emit: Emit | None = None

    async def send(self, event: ChatEvent) -> None:
        """Hand `event` to the run's stream; a broken listener must not fail the tool."""
        if self.emit is None:
            return
        try:
            out = self.emit(event)
            if inspect.isawaitable(out):
                await out
        except Exception:
            log.warning("emit %s failed", event.type, exc_info=True)

    def datasets(self) -> DatasetService:
        """The dataset service (catalog, loading)."""
        return self.resources.datasets

    def workspace(self) -> Workspace:
        """The thread's workspace (the sandbox's files: datasets/, artifacts/, …)."""
        return self.resources.workspace(self.thread_id)
