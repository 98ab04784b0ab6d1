"""Chat runs (the public names; the machinery lives in lgurban.agent.run, one module per job)."""

from __future__ import annotations

from typing import Any

from lgurban.agent.run.bus import BusEvent, EventBus, InProcessBus
from lgurban.agent.run.classify import classify
from lgurban.agent.run.context import GraphFactory, RunContext
from lgurban.agent.run.manager import ActiveRun, RunManager, RunState, StartedRun
from lgurban.agent.run.resend import Resend

RunEvent = BusEvent  # one event of a run's stream with its seq (the name the API used first)


async def analyst_graph(ctx: RunContext) -> Any:
    """The analyst graph for one run (lgurban.agent.analyst): the thread's model, its tools, its title.

    Imported on first use (the run manager's warm_up imports it in the background at start-up)."""
    from lgurban.agent.analyst import build_analyst

    return await build_analyst(ctx)


__all__ = [
    "ActiveRun",
    "BusEvent",
    "EventBus",
    "GraphFactory",
    "InProcessBus",
    "Resend",
    "RunContext",
    "RunEvent",
    "RunManager",
    "RunState",
    "StartedRun",
    "analyst_graph",
    "classify",
]
