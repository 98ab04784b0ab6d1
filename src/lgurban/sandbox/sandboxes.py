"""What the rest of the service uses of "the sandboxes": the in-process `SandboxManager` provides it, and so
does `HostSandboxes` (host_client.py), which reaches a separate `lgurban sandbox-host` process."""

from __future__ import annotations

import uuid
from typing import Protocol

from lgurban.sandbox.protocol import OnOutput
from lgurban.sandbox.types import Execution
from lgurban.sandbox.workspace import Workspace


class Sandboxes(Protocol):
    async def start(self) -> None: ...

    async def execute(
        self,
        thread_id: uuid.UUID,
        code: str,
        *,
        timeout_s: float | None = None,
        on_output: OnOutput | None = None,
        owner: str | None = None,
        user_cap: int | None = None,
    ) -> Execution:
        """Run one cell in the thread's sandbox; cells of one thread queue up, never interleave. A new
        sandbox counts against `owner`'s share of the slots: `user_cap` (default SANDBOX_MAX_PER_USER)."""
        ...

    async def interrupt(self, thread_id: uuid.UUID) -> None: ...

    async def restart(self, thread_id: uuid.UUID) -> None: ...

    def workspace(self, thread_id: uuid.UUID) -> Workspace: ...

    async def remove(self, thread_id: uuid.UUID) -> None: ...

    async def check(self) -> str: ...

    def live_count(self) -> int: ...

    async def close(self) -> None: ...
