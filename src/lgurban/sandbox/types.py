"""What one cell's execution returns. Errors in the user's code are data here, not exceptions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


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
    extra: dict[str, Any] = field(default_factory=dict)
