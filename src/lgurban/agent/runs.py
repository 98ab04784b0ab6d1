"""Chat runs (the public names; the machinery lives in lgurban.agent.run, one module per job)."""

from __future__ import annotations

from lgurban.agent.run.bus import BusEvent, EventBus, InProcessBus
from lgurban.agent.run.classify import classify
from lgurban.agent.run.context import GraphFactory, RunContext
from lgurban.agent.run.manager import ActiveRun, RunManager, RunState, StartedRun, analyst_graph

RunEvent = BusEvent  # one event of a run's stream with its seq (the name the API used first)

__all__ = [
    "ActiveRun",
    "BusEvent",
    "EventBus",
    "GraphFactory",
    "InProcessBus",
    "RunContext",
    "RunEvent",
    "RunManager",
    "RunState",
    "StartedRun",
    "analyst_graph",
    "classify",
]
