"""Prometheus metrics (plan §6.2), served at `GET /metrics`.

Per process: each `serve --workers N` worker (and each replica) counts for itself and answers a scrape with
its own numbers, so scrape every process (Prometheus sums them with `sum by (...)`). Labels are bounded sets
only — route templates, methods, statuses, outcomes, sources —, never an id, a path, a title or code.

The metrics live in one registry of their own (not prometheus_client's global one); counters only grow, so
tests compare a scrape before and after what they do.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)

HTTP_REQUESTS = Counter(
    "http_requests",
    "HTTP requests answered, by route template, method and status.",
    ["route", "method", "status"],
    registry=REGISTRY,
)
HTTP_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time to answer an HTTP request (to the end of the body: a chat stream counts whole).",
    ["route", "method", "status"],
    registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)
RUNS_ACTIVE = Gauge("lgurban_runs_active", "Agent runs in progress in this process.", registry=REGISTRY)
RUNS = Counter(
    "lgurban_runs", "Agent runs ended, by status (done, cancelled, error).", ["status"], registry=REGISTRY
)
CELLS = Counter(
    "lgurban_sandbox_cells",
    "Cells run in a sandbox, by outcome: ok, error (the user's code raised), failed (the sandbox crashed, "
    "timed out or could not start).",
    ["outcome"],
    registry=REGISTRY,
)
CELL_DURATION = Histogram(
    "lgurban_sandbox_cell_duration_seconds",
    "Time a cell took, sandbox start included.",
    registry=REGISTRY,
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
SANDBOXES_LIVE = Gauge("lgurban_sandboxes_live", "Sandboxes this process holds open.", registry=REGISTRY)
DATASET_LOADS = Counter(
    "lgurban_dataset_loads",
    "Datasets put into a workspace, by source (opendata, store), cache use and outcome.",
    ["source", "cached", "outcome"],
    registry=REGISTRY,
)

TOOL_CALLS = Counter(
    "lgurban_tool_calls",
    "The analyst's tool calls, by tool and outcome (ok, error).",
    ["tool", "outcome"],
    registry=REGISTRY,
)
DB_POOL_IN_USE = Gauge(
    "lgurban_db_pool_in_use", "Database connections checked out of this process's pool.", registry=REGISTRY
)
_TOOL_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
_MAX_TOOLS = 50
_tools_seen: set[str] = set()


def tool_label(name: str) -> str:
    """A tool's name as a label: the model may invent names, so past the first 50 (or an odd one) "other"."""
    if name in _tools_seen:
        return name
    if _TOOL_NAME.fullmatch(name) and len(_tools_seen) < _MAX_TOOLS:
        _tools_seen.add(name)
        return name
    return "other"


# read at scrape time (the live numbers belong to objects made in the lifespan)
_gauge_sources: dict[str, Callable[[], float]] = {}


def observe_at_scrape(name: str, read: Callable[[], float]) -> None:
    """Set gauge `name` from `read()` at every scrape (the last registration wins: one app per process)."""
    _gauge_sources[name] = read


def forget_scrape_sources() -> None:
    _gauge_sources.clear()


def render() -> bytes:
    """The text exposition format of every metric, gauges read now."""
    gauges = {
        "lgurban_sandboxes_live": SANDBOXES_LIVE,
        "lgurban_runs_active": RUNS_ACTIVE,
        "lgurban_db_pool_in_use": DB_POOL_IN_USE,
    }
    for name, read in list(_gauge_sources.items()):
        try:
            gauges[name].set(read())
        except Exception:  # a closing resource: keep the last value
            continue
    return generate_latest(REGISTRY)
