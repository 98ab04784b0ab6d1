"""What a graph factory gets for one run (its own module so lgurban.agent.analyst can import it)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver

from lgurban.agent.events import Emit
from lgurban.agent.services import Services
from lgurban.db.models import Thread


@dataclass
class RunContext:
    """What a graph factory gets to build the graph for one run."""

    resources: Services
    thread: Thread
    user_id: uuid.UUID | None
    run_id: uuid.UUID
    emit: Emit  # tool output, artifacts and context usage, straight onto the run's stream
    checkpointer: BaseCheckpointSaver[Any] | None = None
    # async callbacks run when the run ends (close per-run HTTP clients and the like)
    cleanups: list[Callable[[], Awaitable[Any]]] = field(default_factory=list)
    own_key: bool = False  # the run's model uses the user's own provider key (issue 13): errors say so


# Builds the compiled graph for one run (model and tools depend on the thread's config and the run).
GraphFactory = Callable[[RunContext], Awaitable[Any]]
