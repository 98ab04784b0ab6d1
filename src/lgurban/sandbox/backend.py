"""What a sandbox backend provides to the session manager. `local` and `modal` implement these two protocols.

A backend starts processes that run `driver.py` (see its docstring for the wire protocol) and hands back a
`SandboxProcess`: a bidirectional line channel to the driver plus a way to kill it.
Everything above the channel (request ids, timeouts, interrupts, output caps, crash handling) lives
in the session manager, once. tests/sandbox/test_contract.py runs the same contract against every backend.
"""

from __future__ import annotations

import uuid
from typing import Protocol

from lgurban.sandbox.types import CellReport
from lgurban.sandbox.workspace import Workspace


class SandboxProcess(Protocol):
    """One running driver, bound to one thread's workspace."""

    external_id: str  # shown in sandbox_sessions.external_id (a pid, a Modal sandbox id…)

    async def send(self, line: bytes) -> None:
        """Write one protocol line (ends with b"\\n") to the driver's input."""
        ...

    async def read(self, n: int) -> bytes:
        """Up to `n` bytes the driver wrote (as soon as some are there); b"" once the driver has gone.

        The host splits lines itself, within its own limits: the driver side is not trusted."""
        ...

    async def kill(self) -> None:
        """Stop the driver and everything it started, now. Idempotent."""
        ...

    def exit_reason(self) -> str | None:
        """After the channel closed: why, in words (e.g. "killed by signal 9 (out of memory?)"), if known."""
        ...

    def after_cell(self) -> CellReport:
        """Called once a cell's result arrived: what the backend saw of it from outside (may be empty)."""
        ...


class Backend(Protocol):
    name: str  # "local" | "modal"

    async def start(self) -> None:
        """Pre-warm so the first spawn is fast. Must not raise for a missing primitive: check() says."""
        ...

    async def spawn(self, thread_id: uuid.UUID) -> SandboxProcess:
        """Start a driver whose working directory is the thread's workspace (`/workspace` on Modal).

        Return as soon as the process exists; the manager itself waits for the driver's "ready" line."""
        ...

    def workspace(self, thread_id: uuid.UUID) -> Workspace:
        """The thread's files as the host sees them (they outlive every process)."""
        ...

    async def check(self) -> str:
        """ "ok" (optionally "ok (…)"), or a short reason naming what is missing."""
        ...

    async def close(self) -> None:
        """Kill every process this backend started."""
        ...
