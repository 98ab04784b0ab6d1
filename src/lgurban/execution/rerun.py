"""Re-run a thread on today's data (issue 20): its cells, in order, in a fresh sandbox of a NEW thread.

The datasets the thread loaded are loaded again (the portal is always asked; an unchanged `modified` or a
304 to the recorded ETag confirms the cached copy), the other workspace files (uploads, artifacts) are
copied, then every recorded cell runs again as a cell of the new thread (recorded there, so its notebook
and export show today's outputs). Each cell's shown output is compared with the recorded one: the
differences, and the numbers that moved, are the report, also the new thread's first message.

Time: each cell gets SANDBOX_EXEC_TIMEOUT_S at most, the whole re-run `budget_s(...)`; cells the budget
does not reach are reported as changes ("not re-run"), and so are cells that fail now. A sandbox that
cannot start (SandboxUnavailable) or a portal that is down with no cached copy removes the new thread and
raises (503 with its code): nothing half-made is left behind.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lgurban.db.models import DatasetLoad, Message, Thread, utcnow
from lgurban.db.session import session_scope
from lgurban.execution.compare import CellChange, Moved, compare
from lgurban.execution.derive import copy_workspace, derived_thread
from lgurban.execution.models import ExecutionErrorOut, ExecutionOut
from lgurban.execution.service import list_executions, run_cell
from lgurban.settings import Settings

if TYPE_CHECKING:
    from lgurban.artifacts.service import ArtifactService
    from lgurban.datasets.service import DatasetService
    from lgurban.sandbox.sandboxes import Sandboxes

MAX_BUDGET_S = 900.0


@dataclass
class Change:
    execution_id: uuid.UUID  # the recorded cell (of the source thread)
    new_execution_id: uuid.UUID | None  # its re-run (in the new thread); None when it was not re-run
    old: str
    new: str
    numbers: list[Moved] = field(default_factory=list)


@dataclass
class DatasetVersion:
    id: str
    changed: bool
    old_modified: str | None
    new_modified: str | None
    stale: bool  # the portal did not answer: the cached copy was used


@dataclass
class RerunReport:
    thread_id: uuid.UUID
    unchanged: bool
    changes: list[Change]
    datasets: list[DatasetVersion]
    cells: int
    duration_ms: int  # the cells' re-run, in all
    original_ms: int  # the recorded cells' own durations, summed
    download_ms: int  # loading the datasets again
    message: str = ""
    message_id: uuid.UUID | None = None  # the new thread's first message (the report)


def budget_s(settings: Settings, original_ms: int) -> float:
    """The whole re-run's time: a generous multiple of the original, at least the replay budget, ≤ 15 min."""
    return min(MAX_BUDGET_S, max(settings.sandbox_replay_s, 60.0, 3 * original_ms / 1000 + 30))


@dataclass
class Rerunner:
    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    sandboxes: Sandboxes
    artifacts: ArtifactService
    datasets: DatasetService

    async def rerun(self, source: Thread, user_id: uuid.UUID) -> RerunReport:
        async with session_scope(self.sessionmaker) as session:
            cells = await list_executions(session=session, thread_id=source.id)
            loads = list(
                (
                    await session.execute(
                        select(DatasetLoad)
                        .where(DatasetLoad.thread_id == source.id)
                        .order_by(DatasetLoad.loaded_at)
                    )
                ).scalars()
            )
            stamp = utcnow().strftime("%Y-%m-%d")
            new = derived_thread(source, f"{source.title} (re-run {stamp})")
            session.add(new)
        try:
            return await self._rerun(source, new, cells, loads, user_id)
        except BaseException:
            await self._discard(new.id)
            raise

    async def _rerun(
        self,
        source: Thread,
        new: Thread,
        cells: list[ExecutionOut],
        loads: list[DatasetLoad],
        user_id: uuid.UUID,
    ) -> RerunReport:
        latest = {load.dataset_id: load for load in loads}  # the version the later cells read
        paths = {load.path for load in loads}
        workspace = self.sandboxes.workspace(new.id)
        await copy_workspace(self.sandboxes.workspace(source.id), workspace, skip=paths.__contains__)
        started = time.perf_counter()
        versions = [await self._reload(new.id, old) for old in latest.values()]
        download_ms = int((time.perf_counter() - started) * 1000)
        original_ms = sum(c.duration_ms for c in cells)
        changes, duration_ms = await self._run_cells(
            new.id, cells, user_id, budget_s(self.settings, original_ms)
        )
        report = RerunReport(
            thread_id=new.id,
            unchanged=not changes,
            changes=changes,
            datasets=versions,
            cells=len(cells),
            duration_ms=duration_ms,
            original_ms=original_ms,
            download_ms=download_ms,
        )
        report.message = describe(source.title, report, cells)
        report.message_id = uuid.uuid4()
        async with session_scope(self.sessionmaker) as session:
            session.add(
                Message(
                    id=report.message_id,
                    thread_id=new.id,
                    seq=1,
                    role="assistant",
                    content=report.message,
                    meta={"rerun_of": str(source.id)},
                    created_at=utcnow(),
                )
            )
        return report

    async def _reload(self, thread_id: uuid.UUID, old: DatasetLoad) -> DatasetVersion:
        async with session_scope(self.sessionmaker) as session:
            loaded = await self.datasets.load_into_thread(
                session=session,
                thread_id=thread_id,
                dataset_id=old.dataset_id,
                workspace=self.sandboxes.workspace(thread_id),
            )
            row = (
                await session.execute(
                    select(DatasetLoad)
                    .where(DatasetLoad.thread_id == thread_id, DatasetLoad.dataset_id == old.dataset_id)
                    .order_by(DatasetLoad.loaded_at.desc())
                    .limit(1)
                )
            ).scalar_one()
        return DatasetVersion(
            id=old.dataset_id,
            changed=row.sha256 != old.sha256,
            old_modified=old.source_modified,
            new_modified=row.source_modified,
            stale=loaded.stale,
        )

    async def _run_cells(
        self, thread_id: uuid.UUID, cells: list[ExecutionOut], user_id: uuid.UUID, budget: float
    ) -> tuple[list[Change], int]:
        changes: list[Change] = []
        started = time.monotonic()
        for i, cell in enumerate(cells, start=1):
            left = budget - (time.monotonic() - started)
            if left <= 0:
                changes += [
                    not_rerun(c, f"not re-run: the re-run's {budget:g} s ran out") for c in cells[i - 1 :]
                ]
                break
            out = await run_cell(
                sandboxes=self.sandboxes,
                artifacts=self.artifacts,
                sessionmaker=self.sessionmaker,
                thread_id=thread_id,
                user_id=user_id,
                code=cell.code or "",
                timeout_s=min(self.settings.sandbox_exec_timeout_s, left),
                source="agent" if cell.source == "agent" else "user",
            )
            if (diff := compare(cell, out)) is not None:
                changes.append(_change(cell, out, diff))
        return changes, int((time.monotonic() - started) * 1000)

    async def _discard(self, thread_id: uuid.UUID) -> None:
        """The new thread, half made: its sandbox, workspace and rows go."""
        try:
            await self.sandboxes.remove(thread_id)
        finally:
            async with session_scope(self.sessionmaker) as session:
                await session.execute(delete(Thread).where(Thread.id == thread_id))


def _change(old: ExecutionOut, new: ExecutionOut, diff: CellChange) -> Change:
    return Change(old.id, new.id, diff.old, diff.new, diff.numbers)


def not_rerun(cell: ExecutionOut, why: str) -> Change:
    placeholder = ExecutionOut(
        id=cell.id, ok=False, error=ExecutionErrorOut(name="NotRerun", value=why, traceback="")
    )
    diff = compare(cell, placeholder)
    return Change(cell.id, None, diff.old if diff else "", why)


def describe(title: str, report: RerunReport, cells: list[ExecutionOut]) -> str:
    """The new thread's first message: the same report, in words."""
    index = {c.id: (i, c) for i, c in enumerate(cells, start=1)}
    took, then = report.duration_ms / 1000, report.original_ms / 1000
    plural = "s" if report.cells != 1 else ""
    lines = [
        f"Re-run of “{title}” on today's data ({utcnow():%Y-%m-%d %H:%M} UTC): {report.cells} cell{plural} "
        f"re-run in {took:.1f} s (originally {then:.1f} s)."
    ]
    for d in report.datasets:
        if d.stale:
            lines.append(f"- Dataset `{d.id}`: the portal did not answer; the cached copy was used.")
        elif d.changed:
            lines.append(f"- Dataset `{d.id}`: new data (modified {d.new_modified}, was {d.old_modified}).")
        else:
            lines.append(f"- Dataset `{d.id}`: unchanged since {d.old_modified}.")
    if report.unchanged:
        lines.append("\nNo change: every cell showed the same output as before.")
        return "\n".join(lines)
    lines.append(f"\n{len(report.changes)} of {report.cells} cells changed:")
    for ch in report.changes:
        n, cell = index.get(ch.execution_id, (0, None))
        first = ((cell.code or "").strip().splitlines() or [""])[0][:60] if cell else ""
        if ch.numbers:
            moved = ", ".join(f"{m.old} → {m.new}" for m in ch.numbers[:10])
            more = f" (and {len(ch.numbers) - 10} more)" if len(ch.numbers) > 10 else ""
            lines.append(f"- Cell {n} (`{first}`): {moved}{more}")
        else:
            old, new = _one_line(ch.old), _one_line(ch.new)
            lines.append(f"- Cell {n} (`{first}`): was “{old}”, now “{new}”")
    return "\n".join(lines)


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
