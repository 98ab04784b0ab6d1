"""What the sandbox host and its clients say to each other (host_server.py, host_client.py).

HTTP/1.1 over a unix socket or TCP, every request with `Authorization: Bearer <SANDBOX_HOST_SECRET>`:
- `GET /v1/health` → `{"check": "ok…", "live": n, "instance": id}`
- `POST /v1/threads/{id}/execute` `{"code", "timeout_s"}` → NDJSON lines: `{"type": "output",
  "stream", "text"}` while the cell runs, `{"type": "wait"}` every HEARTBEAT_S while it queues or runs
  silently, then one last line, `{"type": "result", "execution", "sandbox", "live", "instance"}` or
  `{"type": "unavailable", "message"}`. Closing the connection before the last line stops the cell (or
  takes it out of the queue).
- `POST /v1/threads/{id}/interrupt|restart|remove` → `{"status": "ok"}`
- a wrong or missing secret → 401 `{"code": "SANDBOX_HOST_UNAUTHORIZED", "message"}`, and nothing runs.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from lgurban.sandbox.types import ArtifactFile, Execution, ExecutionError, Output

HEARTBEAT_S = 5.0
MAX_BODY_BYTES = 8 * 1024 * 1024
UNAUTHORIZED = "SANDBOX_HOST_UNAUTHORIZED"

T = TypeVar("T")


def encode_execution(result: Execution) -> dict[str, Any]:
    return dataclasses.asdict(result)


def _make(cls: type[T], values: dict[str, Any]) -> T:
    """`cls(**values)` keeping only the fields `cls` has (a newer peer may send more)."""
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in values.items() if k in names})


def decode_execution(data: dict[str, Any]) -> Execution:
    result = _make(Execution, data)
    result.outputs = [_make(Output, o) for o in data.get("outputs") or []]
    result.files = [_make(ArtifactFile, f) for f in data.get("files") or []]
    result.error = _make(ExecutionError, data["error"]) if data.get("error") else None
    result.notes = list(data.get("notes") or [])
    return result
