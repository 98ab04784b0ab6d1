"""What one cell's execution returns. Errors in the user's code are data here, not exceptions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass
class ExecutionError:
    name: str
    value: str
    traceback: str


@dataclass
class Output:
    """One rich output: a MIME bundle flattened to one type (text/plain, text/html, image/png base64…)."""

    mime: str
    data: str
    bundle: int = 0  # which display result of the cell (0, 1, … in the order shown); shared by its MIME types
    is_result: bool = False  # the cell's value (its last expression), not a figure or another display


@dataclass
class ArtifactFile:
    """A file the cell created or changed under artifacts/ (or a figure it left open), as reported."""

    path: str  # relative to the workspace root, e.g. "artifacts/plot.png"
    size: int
    sha256: str
    mime: str


@dataclass
class StreamChunk:
    """Live output while a cell runs."""

    stream: Literal["stdout", "stderr"]
    text: str


@dataclass
class Execution:
    ok: bool
    stdout: str = ""
    stderr: str = ""
    outputs: list[Output] = field(default_factory=list)
    error: ExecutionError | None = None
    files: list[ArtifactFile] = field(default_factory=list)
    duration_ms: int = 0
    # said plainly to the user/agent: "sandbox restarted: variables were lost, files kept", output cut…
    notes: list[str] = field(default_factory=list)
    execution_count: int | None = None  # the interpreter's cell counter (In [n]); None when it never answered


@dataclass
class CellReport:
    """What a backend saw of a cell from outside the sandbox (local: out-of-memory kills, background work
    stopped, the workspace past its quota), added to the cell's result by the manager."""

    notes: list[str] = field(default_factory=list)
    error: ExecutionError | None = None  # replaces the cell's own (e.g. the disk quota interrupted it)


_INFRA_ERRORS = frozenset({"SandboxCrashed", "TimeoutError"})  # the manager's own faults


def cell_outcome(result: Execution) -> str:
    """ok, error (the user's code raised) or failed (the sandbox crashed or the cell timed out)."""
    if result.ok:
        return "ok"
    name = result.error.name if result.error is not None else ""
    return "failed" if name in _INFRA_ERRORS else "error"
