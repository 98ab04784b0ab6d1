"""A thread made from another (issue 20: re-run, fork): its settings, its workspace files, its cells re-run.

The source thread is only read. Files are copied through the Workspace interface (local folder or Modal
Volume alike); cells are re-run through the sandboxes' normal execute, so the new thread's sandbox also
remembers them for a later restore (sandbox/replay.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from lgurban.db.models import Thread, utcnow
from lgurban.sandbox.replay import Replayed, replay_cells
from lgurban.sandbox.sandboxes import Sandboxes
from lgurban.sandbox.types import Execution
from lgurban.sandbox.workspace import Workspace

TITLE_MAX = 200


def derived_thread(source: Thread, title: str) -> Thread:
    """A new thread of the same owner with the source's model settings (not yet added to a session)."""
    now = utcnow()
    return Thread(
        id=uuid.uuid4(),
        owner_id=source.owner_id,
        title=title[:TITLE_MAX],
        title_is_auto=False,
        created_at=now,
        updated_at=now,
        model=source.model,
        temperature=source.temperature,
        system_prompt=source.system_prompt,
        context_window=source.context_window,
    )


async def copy_workspace(src: Workspace, dst: Workspace, *, skip: Callable[[str], bool] | None = None) -> int:
    """Copy every file of `src` (but those `skip` names) into `dst`; the number copied."""
    copied = 0
    for f in await src.list_files():
        if skip is not None and skip(f.path):
            continue
        local = await src.local_path(f.path)
        await dst.put_file(f.path, local)
        copied += 1
    return copied


async def replay_into(
    sandboxes: Sandboxes, thread_id: uuid.UUID, cells: list[str], budget_s: float
) -> Replayed:
    """Re-run `cells` in the thread's sandbox, outputs discarded (to rebuild its variables)."""

    async def run(code: str, timeout_s: float) -> Execution:
        return await sandboxes.execute(thread_id, code, timeout_s=timeout_s)

    return await replay_cells(cells, run, budget_s)


def replay_note(r: Replayed, budget_s: float) -> str:
    """In words: which variables the re-run restored."""
    if r.total == 0:
        return "No cells had run by then: nothing to restore."
    if r.stopped_at is None:
        plural = "s" if r.total != 1 else ""
        return (
            f"Variables restored by re-running the {r.total} cell{plural} that had succeeded "
            f"({r.took_s:.1f} s)."
        )
    cause = f"the {budget_s:g} s budget (SANDBOX_REPLAY_S) ran out" if r.reason == "out of time" else r.reason
    return (
        f"Re-running the {r.total} cells stopped at cell {r.stopped_at} ({cause}): variables from cell "
        f"{r.stopped_at} on are missing."
    )
