"""Variables across a sandbox stop: the cells that built the interpreter's state, re-run in the new one.

A sandbox can stop without the user asking: idle reaping (the cost guard), eviction past SANDBOX_MAX_LIVE, a
crash, Modal's hard timeout. Its files stay (the workspace, the Modal Volume) but its variables are lost. The
manager remembers, per thread, the code of the cells that succeeded in the current interpreter (bounded),
and when the thread's next cell needs a new sandbox after such a stop it re-runs them there first, outputs
discarded, within SANDBOX_REPLAY_S in all, stopping at the first one that fails. The cell's notes say what
was restored, or where the replay stopped. An explicit restart clears the history (fresh interpreter wanted).
Modal's memory snapshots are not used: experimental in the pinned SDK (see deploy/modal/README.md).
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from lgurban.sandbox.types import Execution

MAX_CELLS = 200  # per thread: a longer history is not replayed (the note says so)
MAX_BYTES = 1024 * 1024  # of code per thread
MAX_THREADS = 2000  # histories kept (least recently used dropped): bounded memory for a long-running server

RunCell = Callable[[str, float], Awaitable[Execution]]


class CellHistory:
    """Per thread, the code of the cells that succeeded since its interpreter started."""

    def __init__(self) -> None:
        self._cells: OrderedDict[uuid.UUID, list[str]] = OrderedDict()
        self._too_long: set[uuid.UUID] = set()

    def add(self, thread_id: uuid.UUID, code: str) -> None:
        if thread_id in self._too_long:
            return
        cells = self._cells.setdefault(thread_id, [])
        self._cells.move_to_end(thread_id)
        cells.append(code)
        if len(cells) > MAX_CELLS or sum(len(c) for c in cells) > MAX_BYTES:
            self._too_long.add(thread_id)
            del self._cells[thread_id]
        while len(self._cells) > MAX_THREADS:
            self._cells.popitem(last=False)

    def clear(self, thread_id: uuid.UUID) -> None:
        """A fresh interpreter: nothing to replay (explicit restart, removed thread)."""
        self._cells.pop(thread_id, None)
        self._too_long.discard(thread_id)

    def take(self, thread_id: uuid.UUID) -> list[str] | None:
        """The cells to re-run (and forget: the new interpreter's history starts from them); None when the
        history was too long to keep."""
        if thread_id in self._too_long:
            self._too_long.discard(thread_id)
            return None
        return self._cells.pop(thread_id, [])


@dataclass
class Replayed:
    """What re-running a list of cells did: the cells that ran, and where and why it stopped (if it did)."""

    done: list[str]
    total: int
    took_s: float = 0.0
    stopped_at: int | None = None  # 1-based: the cell that failed or that the budget did not reach
    reason: str | None = None  # "NameError: ..." or "out of time"


async def replay_cells(cells: list[str], run: RunCell, budget_s: float) -> Replayed:
    """Re-run `cells` in order with `run(code, timeout_s)`, `budget_s` in all; stop at the first failure."""
    started = time.monotonic()
    out = Replayed(done=[], total=len(cells))
    for i, code in enumerate(cells, start=1):
        left = budget_s - (time.monotonic() - started)
        if left <= 0:
            out.stopped_at, out.reason = i, "out of time"
            break
        result = await run(code, left)
        if not result.ok:
            error = f"{result.error.name}: {result.error.value}"[:200] if result.error else "it failed"
            out.stopped_at, out.reason = i, error
            break
        out.done.append(code)
    out.took_s = time.monotonic() - started
    return out


async def replay(cells: list[str] | None, run: RunCell, budget_s: float, why: str) -> tuple[list[str], str]:
    """Re-run `cells` with `run(code, timeout_s)`: (the cells that ran, the note for the user)."""
    lost = f"The sandbox was restarted{why}"
    kept = "workspace files were kept."
    if cells is None:
        return [], f"{lost}: variables were lost (too many earlier cells to re-run them); {kept}"
    if not cells or budget_s <= 0:
        return [], f"{lost}: variables from earlier cells were lost; {kept}"
    r = await replay_cells(cells, run, budget_s)
    if r.stopped_at is not None:
        i = r.stopped_at
        cause = f"SANDBOX_REPLAY_S, {budget_s:g} s, ran out" if r.reason == "out of time" else r.reason
        return r.done, (
            f"{lost}: re-running the {len(cells)} earlier cells stopped at cell {i} ({cause}): variables "
            f"from cell {i} on are missing; {kept}"
        )
    plural = "s" if len(cells) != 1 else ""
    return r.done, (
        f"{lost}: its variables were restored by re-running the {len(cells)} earlier cell{plural} that had "
        f"succeeded ({r.took_s:.1f} s); {kept}"
    )
