"""thread → sandbox: created on first use, one cell at a time per thread, interrupted on timeout, replaced
after a crash, reaped when idle, evicted least-recently-used past the cap; after any such stop the thread's
earlier cells are re-run in the new sandbox (sandbox/replay.py) and the cell's note says so."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lgurban.db.models import SandboxSession, utcnow
from lgurban.errors import SandboxUnavailable
from lgurban.observability import metrics
from lgurban.sandbox.backend import Backend, SandboxProcess
from lgurban.sandbox.fairness import Owners
from lgurban.sandbox.messages import Limits, Reply, to_execution
from lgurban.sandbox.outcomes import crashed_result, stopped_result, with_report
from lgurban.sandbox.protocol import DriverClient, DriverGone, OnOutput
from lgurban.sandbox.replay import CellHistory, replay
from lgurban.sandbox.types import Execution, ExecutionError, cell_outcome
from lgurban.sandbox.workspace import Workspace
from lgurban.settings import Settings

log = logging.getLogger(__name__)

INTERRUPT_GRACE_S = 3.0
LOST = "The sandbox was restarted{why}: variables from earlier cells were lost; workspace files were kept."


@dataclass
class _Live:
    thread_id: uuid.UUID
    proc: SandboxProcess
    client: DriverClient
    created: float = field(default_factory=time.monotonic)
    last_used: float = field(default_factory=time.monotonic)
    running: str | None = None
    stopped: str | None = None  # why the sandbox was stopped under its running cell (the thread was deleted)


class SandboxManager:
    def __init__(
        self,
        settings: Settings,
        backend: Backend,
        sessionmaker: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        self.settings = settings
        self.backend = backend
        self.limits = Limits.from_settings(settings)
        self.sessionmaker = sessionmaker
        self._live: OrderedDict[uuid.UUID, _Live] = OrderedDict()
        # threads whose sandbox is being started: their slot under SANDBOX_MAX_LIVE is taken before the spawn
        self._starting: set[uuid.UUID] = set()
        self._room = asyncio.Event()  # set whenever a slot may have come free (a cell ended, a sandbox went)
        self._locks: dict[uuid.UUID, asyncio.Lock] = {}
        self._lost: dict[uuid.UUID, str] = {}
        self._owners = Owners()
        self._history = CellHistory()  # what to re-run after a stop the user did not ask for
        self._reaper: asyncio.Task[None] | None = None
        self._bg: set[asyncio.Task[Any]] = set()

    async def start(self) -> None:
        await self.backend.start()
        self._reaper = asyncio.create_task(self._reap_loop())

    # --- public interface (see COMMON interfaces)
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
        """Run one cell in the thread's sandbox; cells of one thread queue up, never interleave. `owner` (the
        user's id) is whose share of the sandbox slots a new sandbox takes (sandbox/fairness.py), at most
        `user_cap` of them (default: this process's SANDBOX_MAX_PER_USER)."""
        timeout = timeout_s if timeout_s is not None else self.settings.sandbox_exec_timeout_s
        started, outcome = time.perf_counter(), "failed"
        try:
            share = (owner, user_cap)
            result = await self._execute(thread_id, code, limit_s=timeout, on_output=on_output, owner=share)
            outcome = cell_outcome(result)
            return result
        finally:
            self._room.set()  # this sandbox is idle now: a thread waiting for a slot may evict it
            metrics.CELLS.labels(outcome).inc()
            metrics.CELL_DURATION.observe(time.perf_counter() - started)

    async def _execute(
        self,
        thread_id: uuid.UUID,
        code: str,
        *,
        limit_s: float,
        on_output: OnOutput | None,
        owner: tuple[str | None, int | None],
    ) -> Execution:
        async with self._lock(thread_id):
            notes: list[str] = []
            live = self._live.get(thread_id)
            if live is not None and live.client.closed.is_set():
                await self._discard(thread_id, "the sandbox process had stopped")
                live = None
            why = f" ({self._lost.pop(thread_id)})" if thread_id in self._lost else None
            if live is None:
                live = await self._create(thread_id, owner)
                if why is not None:  # a stop the user did not ask for: re-run what built the variables
                    notes.append(await self._restore(live, why))
                else:
                    self._history.clear(thread_id)
            elif why is not None:
                notes.append(LOST.format(why=why))
            self._live.move_to_end(thread_id)
            result = await self._run(live, code, limit_s, on_output)
            result.notes[:0] = notes
            live.last_used = time.monotonic()
            if result.ok:
                self._history.add(thread_id, code)
            return result

    async def _restore(self, live: _Live, why: str) -> str:
        async def run(code: str, timeout_s: float) -> Execution:
            return await self._run(live, code, timeout_s, None)

        cells = self._history.take(live.thread_id)
        done, note = await replay(cells, run, self.settings.sandbox_replay_s, why)
        for code in done:
            self._history.add(live.thread_id, code)
        return note

    async def interrupt(self, thread_id: uuid.UUID) -> None:
        """Raise KeyboardInterrupt in the thread's running cell, if any (variables are kept)."""
        live = self._live.get(thread_id)
        if live is not None and live.running is not None:
            await live.client.interrupt(live.running)

    async def restart(self, thread_id: uuid.UUID) -> None:
        """Fresh interpreter on the next cell: variables cleared, files kept."""
        await self.interrupt(thread_id)
        async with self._lock(thread_id):
            await self._discard(thread_id, None)
            self._lost.pop(thread_id, None)
            self._history.clear(thread_id)

    def workspace(self, thread_id: uuid.UUID) -> Workspace:
        return self.backend.workspace(thread_id)

    async def remove(self, thread_id: uuid.UUID) -> None:
        """Kill the thread's sandbox and delete its workspace."""
        live = self._live.get(thread_id)
        if live is not None:
            live.stopped = "the thread was deleted"
        await self.interrupt(thread_id)
        await self._discard(thread_id, None)
        self._lost.pop(thread_id, None)
        self._history.clear(thread_id)
        self._locks.pop(thread_id, None)
        await self.backend.workspace(thread_id).remove()

    async def check(self) -> str:
        return await self.backend.check()

    def live_count(self) -> int:
        return len(self._live)

    async def close(self) -> None:
        """Kill every sandbox; nothing is left running."""
        if self._reaper is not None:
            self._reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reaper
        stopped = list(self._live)
        for thread_id in stopped:
            await self._discard(thread_id, None, record=False)
        await self.backend.close()
        for task in list(self._bg):
            with contextlib.suppress(Exception):
                await task
        if self.sessionmaker is not None and stopped:
            try:
                async with self.sessionmaker() as session:
                    await session.execute(delete(SandboxSession).where(SandboxSession.thread_id.in_(stopped)))
                    await session.commit()
            except Exception as exc:  # the database may be going away too; these rows are advisory
                log.info("sandbox_sessions not cleared on shutdown: %r", exc)

    # --- internals
    def _lock(self, thread_id: uuid.UUID) -> asyncio.Lock:
        return self._locks.setdefault(thread_id, asyncio.Lock())

    async def _create(self, thread_id: uuid.UUID, owner: tuple[str | None, int | None]) -> _Live:
        await self._reserve_slot(thread_id, owner)
        try:
            proc, client = await self._spawn(thread_id)
            live = _Live(thread_id, proc, client)
            self._live[thread_id] = live  # before the reservation goes: the count never dips
        finally:
            self._starting.discard(thread_id)
            if thread_id not in self._live:
                self._owners.release(thread_id)
            self._room.set()
        self._record(thread_id, proc.external_id, "running")
        return live

    async def _spawn(self, thread_id: uuid.UUID) -> tuple[SandboxProcess, DriverClient]:
        ready_timeout = self.settings.sandbox_transport_timeout_s
        for attempt in range(6):
            try:
                proc = await self.backend.spawn(thread_id)
            except SandboxUnavailable as exc:  # transient while a killed sandbox's processes are reaped
                if attempt == 5 or "could not start" not in str(exc):
                    raise
                await asyncio.sleep(0.25 * (attempt + 1))
                continue
            client = DriverClient(proc, self.limits)
            try:
                await asyncio.wait_for(asyncio.shield(client.ready), ready_timeout)
                return proc, client
            except DriverGone:
                await client.close()
                # a sandbox killed just before (a fork bomb, say) can hold the process limit for a moment
                if attempt == 5:
                    raise
                await asyncio.sleep(0.25 * (attempt + 1))
            except BaseException:
                await client.close()
                raise
        raise SandboxUnavailable("could not start a sandbox")

    async def _reserve_slot(self, thread_id: uuid.UUID, owner_and_cap: tuple[str | None, int | None]) -> None:
        """Take one of the SANDBOX_MAX_LIVE slots: a free one, else an idle sandbox's (sandbox/fairness.py
        says whose), else wait for one (up to SANDBOX_TRANSPORT_TIMEOUT_S). Past the caller's own cap one of
        their idle sandboxes goes, or the cell is refused at once. Check and take happen without a pause, so
        concurrent first cells never start more sandboxes than the caps."""
        cap = max(1, self.settings.sandbox_max_live)
        deadline = time.monotonic() + self.settings.sandbox_transport_timeout_s
        owner, user_cap = owner_and_cap
        user_cap = self.settings.sandbox_user_cap if user_cap is None else user_cap
        while True:
            own_only = self._owners.over_cap(owner, user_cap)
            if not own_only and len(self._live) + len(self._starting) < cap:
                break
            victim = self._owners.victim(self._live, self._idle, owner, own_only=own_only)
            if victim is not None:
                async with self._lock(victim[0]):  # idle, so taken at once: no cell can start on it meanwhile
                    await self._discard(victim[0], victim[1])
                continue
            if own_only:
                raise self._owners.refused(user_cap)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SandboxUnavailable(
                    f"all {cap} sandboxes are busy running code (SANDBOX_MAX_LIVE); try again shortly"
                )
            self._room.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._room.wait(), remaining)
        self._starting.add(thread_id)
        self._owners.hold(thread_id, owner)

    def _idle(self, thread_id: uuid.UUID) -> bool:
        return not self._lock(thread_id).locked()

    async def _discard(self, thread_id: uuid.UUID, lost_reason: str | None, *, record: bool = True) -> None:
        live = self._live.pop(thread_id, None)
        if live is None:
            return
        self._owners.release(thread_id)
        try:
            await live.client.close()
        finally:
            self._room.set()
        if lost_reason is not None:
            self._lost[thread_id] = lost_reason
        if record:
            self._record(thread_id, live.proc.external_id, None)

    async def _run(self, live: _Live, code: str, timeout_s: float, on_output: OnOutput | None) -> Execution:
        started = time.perf_counter()
        result = await self._run_cell(live, code, timeout_s, on_output, started)
        return stopped_result(live.stopped, started) if live.stopped is not None else result

    async def _run_cell(
        self, live: _Live, code: str, timeout_s: float, on_output: OnOutput | None, started: float
    ) -> Execution:
        try:
            req_id, future = await live.client.request(
                {"type": "execute", "code": code, **self.limits.request_fields()}, on_output
            )
        except DriverGone as exc:
            await self._discard(live.thread_id, "it had stopped")
            return crashed_result(str(exc), started)
        live.running = req_id
        try:
            try:
                reply = await asyncio.wait_for(asyncio.shield(future), timeout_s)
                return with_report(self._execution(reply, started), live.client.proc.after_cell())
            except TimeoutError:
                return await self._timed_out(live, req_id, future, timeout_s, started)
        except DriverGone as exc:
            await self._discard(live.thread_id, "it had stopped")
            return crashed_result(str(exc), started)
        except asyncio.CancelledError:  # the caller went away (run cancelled, client gone): stop the cell too
            await live.client.interrupt(req_id)
            raise
        finally:
            live.running = None

    def _execution(self, reply: Reply, started: float) -> Execution:
        if reply.msg.get("type") != "result":
            what = reply.msg.get("message") or reply.msg.get("type")
            raise DriverGone(f"unexpected reply from the sandbox: {str(what)[:200]}")
        return to_execution(reply, self.limits, int((time.perf_counter() - started) * 1000))

    async def _timed_out(
        self,
        live: _Live,
        req_id: str,
        future: asyncio.Future[Reply],
        timeout_s: float,
        started: float,
    ) -> Execution:
        await live.client.interrupt(req_id)
        message = f"the cell ran longer than {timeout_s:g} s"
        try:
            reply = await asyncio.wait_for(asyncio.shield(future), INTERRUPT_GRACE_S)
        except TimeoutError:
            await self._discard(live.thread_id, None)
            result = crashed_result("", started)
            result.error = ExecutionError(
                "TimeoutError",
                f"{message} and did not stop when interrupted, so the sandbox was restarted: variables were "
                "lost; files in the workspace are kept.",
                "",
            )
            return result
        result = self._execution(reply, started)
        tb = result.error.traceback if result.error else ""
        result.ok = False
        result.error = ExecutionError(
            "TimeoutError", f"{message} and was interrupted; variables from earlier cells are kept.", tb
        )
        return result

    async def _reap_loop(self) -> None:
        idle = self.settings.sandbox_idle_timeout_s
        while True:
            await asyncio.sleep(max(0.2, min(30.0, idle / 4)))
            now = time.monotonic()
            for thread_id, live in list(self._live.items()):
                lock = self._lock(thread_id)
                if lock.locked():  # running a cell: not idle
                    continue
                async with lock:  # held while stopping, so no cell can start on a dying sandbox
                    if self._live.get(thread_id) is not live:
                        continue
                    if now - live.last_used > idle:
                        await self._discard(thread_id, f"stopped after {idle:g} s idle")
                    elif live.client.closed.is_set():
                        await self._discard(thread_id, "the sandbox process had stopped")

    def _record(self, thread_id: uuid.UUID, external_id: str, status: str | None) -> None:
        """Keep sandbox_sessions current, off the hot path (best effort: not the source of truth)."""
        if self.sessionmaker is None:
            return
        task = asyncio.create_task(self._write_record(thread_id, external_id, status))
        self._bg.add(task)
        task.add_done_callback(self._bg.discard)

    async def _write_record(self, thread_id: uuid.UUID, external_id: str, status: str | None) -> None:
        assert self.sessionmaker is not None
        try:
            async with self.sessionmaker() as session:
                if status is None:
                    await session.execute(delete(SandboxSession).where(SandboxSession.thread_id == thread_id))
                else:
                    row = SandboxSession(
                        thread_id=thread_id,
                        backend=self.backend.name,
                        external_id=external_id,
                        status=status,
                        last_used_at=utcnow(),
                    )
                    await session.merge(row)
                await session.commit()
        except Exception as exc:  # e.g. the thread was deleted meanwhile
            log.debug("sandbox_sessions not updated for %s: %r", thread_id, exc)
