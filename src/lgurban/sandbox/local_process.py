"""One sandbox of the local backend, host side: the socket to its driver, and what the host watches between
cells through the sandbox's cgroups (out-of-memory kills, processes left busy after a cell)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
from pathlib import Path
from typing import Protocol

from lgurban.sandbox import local_cgroups as cgs
from lgurban.sandbox import local_disk
from lgurban.sandbox.types import CellReport, ExecutionError
from lgurban.settings import Settings

KILL_WAIT_STEPS = 300  # 10 ms each: how long a kill waits for the sandbox's processes to be gone


class LocalBackend(Protocol):
    """What a sandbox needs of its backend (local.LocalBackend)."""

    settings: Settings

    async def kill_pid(self, pid: int) -> None: ...
    def release_uid(self, uid: int) -> None: ...
    def forget_cgroups(self, cgroups: list[Path]) -> None: ...


class LocalProcess:
    """One sandbox: the host end of its socket, killed through the zygote (its pid 1 takes the rest along)."""

    def __init__(self, backend: LocalBackend, sock: socket.socket, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter, pid: int, uid: int, cgroups: list[Path],
                 workspace: Path | None = None) -> None:  # fmt: skip
        self.backend, self.sock, self.reader, self.writer = backend, sock, reader, writer
        self.pid, self.uid, self.cgroups = pid, uid, cgroups
        self.external_id = f"local:{pid}"
        self._killed = False
        self._notes: list[str] = []  # told with the next result
        self._oom_kills = 0
        self._watch: asyncio.Task[None] | None = None
        self.workspace = workspace
        self._disk: asyncio.Task[None] | None = None
        self._disk_full: int | None = None  # bytes used when the running cell went past SANDBOX_DISK_MB
        self._disk_start = 0
        self._frozen = False

    async def send(self, line: bytes) -> None:
        self._stop_watch()
        if self._frozen:
            self._frozen = False
            cgs.set_frozen(self.cgroups, False)
        if self.workspace is not None and b'"type":"execute"' in line[:80]:
            with contextlib.suppress(ValueError, KeyError):
                self._start_disk_watch(str(json.loads(line)["id"]))
        self.writer.write(line)
        await self.writer.drain()

    def _start_disk_watch(self, req_id: str) -> None:
        if self._disk is not None:
            self._disk.cancel()
        self._disk_full = None
        self._disk_start = local_disk.usage_bytes(self.workspace) if self.workspace else 0
        self._disk = asyncio.create_task(self._watch_disk(req_id))

    async def _watch_disk(self, req_id: str) -> None:
        """While the cell runs: once the workspace grew past the quota, interrupt the cell."""
        assert self.workspace is not None
        quota = self.backend.settings.sandbox_disk_mb * 2**20
        start = self._disk_start
        while True:
            await asyncio.sleep(local_disk.POLL_S)
            used = await asyncio.to_thread(local_disk.usage_bytes, self.workspace)
            if used > quota and used > start:
                self._disk_full = used
                msg = {"v": 1, "id": f"disk-{req_id}", "type": "interrupt", "target": req_id}
                with contextlib.suppress(OSError, RuntimeError):
                    self.writer.write((json.dumps(msg) + "\n").encode())
                return

    async def read(self, n: int) -> bytes:
        try:
            return await self.reader.read(n)
        except (ConnectionError, ValueError):
            return b""

    def after_cell(self) -> CellReport:
        """A cell returned: watch for background work; tell what the host saw (notes, a disk-full error)."""
        self._stop_watch()
        if self.cgroups:
            self._watch = asyncio.create_task(self._stop_background(cgs.cpu_usage_ns(self.cgroups)))
        full = self._disk_check()
        kills = cgs.oom_kills(self.cgroups)
        if kills > self._oom_kills:
            self._notes.append(
                f"out of memory: {kills - self._oom_kills} process(es) of this sandbox were killed "
                f"(SANDBOX_MEMORY_MB={self.backend.settings.sandbox_memory_mb} for all its processes "
                "together)."
            )
            self._oom_kills = kills
        notes, self._notes = self._notes, []
        error = None
        if full is not None:
            err = local_disk.full_error(full, self.backend.settings.sandbox_disk_mb)
            error = ExecutionError(err["name"], err["value"], err["traceback"])
        return CellReport(notes=notes, error=error)

    async def _stop_background(self, usage_at_return: int | None) -> None:
        """SANDBOX_BACKGROUND_GRACE_S after a cell: kill its leftover processes (forks, subprocesses) and,
        if the driver's own threads still burn CPU, freeze the sandbox until the next cell."""
        grace = self.backend.settings.sandbox_background_grace_s
        await asyncio.sleep(grace)
        usage = cgs.cpu_usage_ns(self.cgroups)
        busy = usage is not None and usage_at_return is not None and usage - usage_at_return > grace * 5e7
        killed, driver = cgs.kill_background(self.cgroups)
        await asyncio.sleep(0.2)
        if driver is not None:  # its reaper thread collects the exited children (zygote.start_reaper)
            with contextlib.suppress(OSError):
                os.kill(driver, signal.SIGURG)
        after = cgs.cpu_usage_ns(self.cgroups)
        await asyncio.sleep(0.3)
        threads = after is not None and (cgs.cpu_usage_ns(self.cgroups) or 0) - after > 3e7
        if threads:
            self._frozen = True
            cgs.set_frozen(self.cgroups, True)
        if killed or threads or busy:
            what = [f"{killed} process(es) killed"] if killed else []
            what += ["threads still running were paused until this cell"] if threads else []
            self._notes.append(
                f"background processes stopped {grace:g} s after the previous cell returned "
                f"(SANDBOX_BACKGROUND_GRACE_S): {', '.join(what) or 'they had ended'}."
            )

    def _disk_check(self) -> int | None:
        """At the end of a cell: bytes used if it took the workspace past the quota (None if not)."""
        if self._disk is None or self.workspace is None:
            return None
        self._disk.cancel()
        self._disk = None
        if self._disk_full is None:
            used = local_disk.usage_bytes(self.workspace)
            if used > self.backend.settings.sandbox_disk_mb * 2**20 and used > self._disk_start:
                self._disk_full = used
        full, self._disk_full = self._disk_full, None
        return full

    def _stop_watch(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None

    async def kill(self) -> None:
        self._stop_watch()
        if self._disk is not None:
            self._disk.cancel()
        if not self._killed:
            self._killed = True
            cgs.set_frozen(self.cgroups, False)  # frozen tasks would not die (cgroup v1)
            await self.backend.kill_pid(self.pid)
            # gone before its slot and uid are given to another sandbox (SANDBOX_MAX_LIVE counts processes)
            for _ in range(KILL_WAIT_STEPS):
                if not cgs.has_processes(self.cgroups):
                    break
                await asyncio.sleep(0.01)
            self.backend.release_uid(self.uid)
            self.backend.forget_cgroups(self.cgroups)
        self.writer.close()
        with contextlib.suppress(OSError):
            await self.writer.wait_closed()

    def exit_reason(self) -> str | None:
        return "killed by the host" if self._killed else None
