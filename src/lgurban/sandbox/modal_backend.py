"""The `modal` backend: one Modal Sandbox per thread, the same driver.py, files on a per-thread Volume.

Cost and lifetime (issue 21): the driver's exec never ends, and Modal's `idle_timeout` only counts while no
exec runs, so it would never fire; the sandbox is therefore created WITHOUT idle_timeout, the session
manager's own idle reaper (SANDBOX_IDLE_TIMEOUT_S) terminates it, and `timeout` (MODAL_SANDBOX_TIMEOUT_S)
is the hard cap Modal enforces whatever this process does. Each thread's sandbox is named and tagged
(modal_names.py); on start this backend terminates every running sandbox of its deployment it does not own
(exec stdio cannot be re-attached from another client, so a sandbox left by a previous process is of no use
and only costs), and so must be the ONLY process running SANDBOX_BACKEND=modal for a deployment: with
several API replicas, run it in the `lgurban sandbox-host` and point the replicas at it
(SANDBOX_BACKEND=host).
Variables live only in the driver: when a sandbox stops (hard timeout, idle reaping, memory) they are lost
and the next cell's notes say so; files stay on the Volume.

A sandbox is created with the image of modal_image.py, the thread's Volume (`lgurban-ws-<thread_id>`)
mounted at /workspace, network blocked, CPU/memory/timeouts from the settings and no credentials of any
kind; the driver is started with `sandbox.exec("python", "/root/driver.py", "/workspace")` and spoken to
over that exec's stdin/stdout. Interrupts are protocol messages on stdin (the driver raises
KeyboardInterrupt in the cell).

Files move through the host, never through code: while the thread's sandbox runs, through the sandbox
filesystem API (what the running code sees, at once); otherwise through the Volume API. A mounted Volume
is committed when its sandbox stops, so after terminating a sandbox we wait for it to end before reading
the Volume or mounting it in a new sandbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from typing import Any

from lgurban.errors import SandboxUnavailable
from lgurban.sandbox import modal_names
from lgurban.sandbox.modal_image import (
    DRIVER_REMOTE_PATH,
    WORKDIR,
    ImageNotPublished,
    published_image_id_aio,
)
from lgurban.sandbox.modal_names import sandbox_name, sandbox_tags, volume_name
from lgurban.sandbox.modal_workspace import ModalWorkspace
from lgurban.sandbox.types import CellReport
from lgurban.settings import Settings

log = logging.getLogger(__name__)

__all__ = ["ModalBackend", "ModalProcess", "volume_name"]

STDIN_CHUNK = 1024 * 1024  # Modal's stdin buffer holds 2 MiB between drains
SETTLE_TIMEOUT_S = 60.0
STDERR_TAIL_BYTES = 4096
EXIT_INFO_TIMEOUT_S = 5.0  # asking Modal how a process ended must not hold up the crash report
WORKSPACE_DIRS = ("datasets", "artifacts")


def load_sdk() -> Any:
    """The `modal` module, imported only when the Modal backend is used."""
    import modal

    return modal


class ModalProcess:
    """The driver running in one Modal sandbox: its exec's stdin/stdout as a line channel."""

    def __init__(self, backend: ModalBackend, thread_id: uuid.UUID, sandbox: Any, proc: Any) -> None:
        self.backend, self.thread_id, self.sandbox, self.proc = backend, thread_id, sandbox, proc
        self.external_id = f"modal:{sandbox.object_id}"
        self.killed = False
        self._buf = bytearray()
        self._eof = False
        self._stdout = proc.stdout.__aiter__()
        self._send_lock = asyncio.Lock()
        self._reason: str | None = None
        self._stderr_tail = b""
        self._stderr_task = asyncio.create_task(self._drain_stderr())

    async def send(self, line: bytes) -> None:
        async with self._send_lock:
            for start in range(0, len(line), STDIN_CHUNK):
                self.proc.stdin.write(line[start : start + STDIN_CHUNK])
                await asyncio.wait_for(
                    self.proc.stdin.drain.aio(), self.backend.settings.sandbox_transport_timeout_s
                )

    async def read(self, n: int) -> bytes:
        while True:
            if self._buf or self._eof:
                data = bytes(self._buf[:n])
                del self._buf[:n]
                return data
            try:
                chunk = await self._stdout.__anext__()
            except StopAsyncIteration:
                self._eof = True
                await self._note_exit()
                continue
            except Exception as exc:  # the stream broke: the channel is gone either way
                self._eof = True
                self._reason = self._reason or f"lost the connection to the Modal sandbox ({exc!r})"
                continue
            self._buf += chunk if isinstance(chunk, bytes) else str(chunk).encode()

    async def kill(self) -> None:
        if not self.killed:
            self.killed = True
            self.backend.forget(self)
            await self.backend.terminate(self.thread_id, self.sandbox)
        self._stderr_task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._stderr_task

    def after_cell(self) -> CellReport:
        return CellReport()  # Modal enforces its limits itself; nothing seen from outside

    def exit_reason(self) -> str | None:
        if self.killed:
            return "the Modal sandbox was terminated by the host"
        return self._reason

    async def _drain_stderr(self) -> None:
        """The driver's own stderr (crashes before its capture is set up); keep the tail for exit reasons."""
        with contextlib.suppress(Exception):
            async for chunk in self.proc.stderr:
                data = chunk if isinstance(chunk, bytes) else str(chunk).encode()
                self._stderr_tail = (self._stderr_tail + data)[-STDERR_TAIL_BYTES:]

    async def _note_exit(self) -> None:
        if self.killed:
            return
        timeout = min(EXIT_INFO_TIMEOUT_S, self.backend.settings.sandbox_transport_timeout_s)
        code = sandbox_code = None
        with contextlib.suppress(Exception):
            sandbox_code = await asyncio.wait_for(self.sandbox.poll.aio(), timeout)
        if sandbox_code is None:  # only the driver ended: ask how
            with contextlib.suppress(Exception):
                code = await asyncio.wait_for(self.proc.wait.aio(), timeout)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.shield(self._stderr_task), 2)
        if sandbox_code is not None:
            reason = (
                f"the Modal sandbox stopped (exit code {sandbox_code}; its time limit "
                f"MODAL_SANDBOX_TIMEOUT_S={self.backend.settings.modal_sandbox_timeout_s} or its memory "
                "limit may have been reached)"
            )
        elif code in (137, -9):
            reason = "the driver was killed (out of memory?)"
        else:
            reason = f"the driver exited with code {code}"
        lines = self._stderr_tail.decode(errors="replace").strip().splitlines()
        self._reason = f"{reason}: {lines[-1][:300]}" if lines else reason


class ModalBackend:
    name = "modal"

    def __init__(self, settings: Settings, *, sdk: Any | None = None) -> None:
        self.settings = settings
        self._sdk = sdk  # the `modal` module; tests hand in a fake with the same surface
        self._app: Any = None
        self._image: Any = None
        self._prepare_lock = asyncio.Lock()
        self.failure: str | None = None
        self._error: Exception | None = None  # what made `failure`
        self.live: dict[uuid.UUID, ModalProcess] = {}
        self._settling: dict[uuid.UUID, asyncio.Task[None]] = {}
        self._starting: dict[uuid.UUID, bool] = {}  # thread → "a file went into its Volume meanwhile"
        self.reaped: list[str] = []  # ids of sandboxes of a previous process ended at start
        self.cache_root = settings.data_dir.resolve() / "modal-cache"

    @property
    def modal(self) -> Any:
        if self._sdk is None:
            self._sdk = load_sdk()
        return self._sdk

    # --- lifecycle
    async def start(self) -> None:
        """Refuse to start without this release's published image (ConfigurationError naming `lgurban deploy
        modal`: building it here would stall every start); look the app up and end what a previous process
        left running. A Modal outage or a missing token does not stop the start: it is reported by `check`
        and retried at the first cell."""
        await self._ensure_prepared(raise_errors=False)
        if isinstance(self._error, ImageNotPublished):
            raise self._error

    async def _reap_leftovers(self) -> None:
        """Terminate this deployment's running sandboxes that are not ours (a previous process's)."""
        keep = {p.sandbox.object_id for p in self.live.values()}
        try:
            ended = await modal_names.reap(
                self.modal, self.settings.modal_app_name, keep, self.settings.sandbox_transport_timeout_s
            )
        except Exception as exc:
            log.warning("could not list this deployment's Modal sandboxes: %r", exc)
            return
        self.reaped += [sb.object_id for sb in ended]
        if ended:
            log.info("terminated %d Modal sandboxes left by a previous process", len(ended))

    async def _ensure_prepared(self, *, raise_errors: bool = True) -> None:
        async with self._prepare_lock:
            if self._app is not None:
                return
            try:
                app = await self.modal.App.lookup.aio(self.settings.modal_app_name, create_if_missing=True)
                image_id = await published_image_id_aio(self.modal, self.settings)
                image = await self.modal.Image.from_id.aio(image_id)
            except Exception as exc:
                self._error = exc
                self.failure = (
                    exc.message
                    if isinstance(exc, ImageNotPublished)
                    else f"{type(exc).__name__}: {exc} (is a Modal token set? MODAL_TOKEN_ID/"
                    "MODAL_TOKEN_SECRET or `modal token new`)"
                )
                log.error("modal sandbox backend unavailable: %s", self.failure)
                if raise_errors:
                    raise SandboxUnavailable(
                        f"the Modal sandbox backend is unavailable: {self.failure}"
                    ) from exc
                return
            self._app, self._image, self.failure, self._error = app, image, None, None
            await self._reap_leftovers()

    async def spawn(self, thread_id: uuid.UUID) -> ModalProcess:
        await self._ensure_prepared()
        await self.settled(thread_id)
        await self._end_previous(thread_id)
        self._starting[thread_id] = False
        sandbox = None
        try:
            sandbox = await self._create(thread_id)
            proc = await sandbox.exec.aio("python", DRIVER_REMOTE_PATH, WORKDIR, workdir=WORKDIR, text=False)
            # a new Volume is empty: make the workspace's folders while the driver imports its libraries
            mkdir = await sandbox.exec.aio("mkdir", "-p", *(f"{WORKDIR}/{d}" for d in WORKSPACE_DIRS))
            await asyncio.wait_for(mkdir.wait.aio(), self.settings.sandbox_transport_timeout_s)
            while self._starting.get(thread_id):  # files went into the Volume after it was mounted
                self._starting[thread_id] = False
                await sandbox.reload_volumes.aio()
        except Exception as exc:
            if sandbox is not None:
                await self.terminate(thread_id, sandbox)
            raise SandboxUnavailable(f"could not start a Modal sandbox: {type(exc).__name__}: {exc}") from exc
        finally:
            self._starting.pop(thread_id, None)
        process = ModalProcess(self, thread_id, sandbox, proc)
        self.live[thread_id] = process
        return process

    def note_volume_put(self, thread_id: uuid.UUID) -> None:
        """A file went into the thread's Volume: a sandbox starting now must reload it to see the file."""
        if thread_id in self._starting:
            self._starting[thread_id] = True

    async def _create(self, thread_id: uuid.UUID) -> Any:
        s = self.settings
        return await self.modal.Sandbox.create.aio(
            app=self._app,
            name=sandbox_name(thread_id),
            tags=sandbox_tags(s.modal_app_name, thread_id),
            image=self._image,
            volumes={WORKDIR: self.modal.Volume.from_name(volume_name(thread_id), create_if_missing=True)},
            workdir=WORKDIR,
            timeout=int(s.modal_sandbox_timeout_s),  # the hard cap; idle stops are the manager's (see above)
            cpu=(s.modal_cpu, s.modal_cpu),  # (request, limit): a plain number is only a reservation
            memory=(s.modal_memory_mb, s.modal_memory_mb),
            block_network=True,
        )

    async def _end_previous(self, thread_id: uuid.UUID) -> None:
        """A sandbox of this thread still running under its name (a previous process's, whose driver
        nobody can reach any more): terminate it, so its Volume is committed before we mount it again."""
        try:
            old = await self.modal.Sandbox.from_name.aio(
                self.settings.modal_app_name, sandbox_name(thread_id)
            )
        except Exception:
            return  # NotFoundError: none running (the usual case)
        log.info("terminating a leftover Modal sandbox %s of thread %s", old.object_id, thread_id)
        await modal_names.end(old, SETTLE_TIMEOUT_S)
        self.reaped.append(old.object_id)

    def forget(self, process: ModalProcess) -> None:
        if self.live.get(process.thread_id) is process:
            del self.live[process.thread_id]

    async def terminate(self, thread_id: uuid.UUID, sandbox: Any) -> None:
        """Stop a sandbox now; its Volume is committed as it stops, which `settled()` waits for."""
        try:
            await asyncio.wait_for(sandbox.terminate.aio(), self.settings.sandbox_transport_timeout_s)
        except Exception as exc:
            log.warning("terminating Modal sandbox %s failed: %r", getattr(sandbox, "object_id", "?"), exc)
        previous = self._settling.get(thread_id)
        self._settling[thread_id] = asyncio.create_task(self._wait_stopped(sandbox, previous))

    async def _wait_stopped(self, sandbox: Any, previous: asyncio.Task[None] | None) -> None:
        if previous is not None:
            await previous
        try:
            await asyncio.wait_for(sandbox.wait.aio(raise_on_termination=False), SETTLE_TIMEOUT_S)
        except Exception as exc:
            log.warning(
                "Modal sandbox %s did not report its end: %r", getattr(sandbox, "object_id", "?"), exc
            )
        with contextlib.suppress(Exception):
            await sandbox.detach.aio()  # release this client's connection to it

    async def settled(self, thread_id: uuid.UUID) -> None:
        """Wait until the thread's last terminated sandbox has stopped (and so committed its Volume)."""
        task = self._settling.get(thread_id)
        if task is not None:
            await asyncio.shield(task)
            if self._settling.get(thread_id) is task:
                del self._settling[thread_id]

    def workspace(self, thread_id: uuid.UUID) -> ModalWorkspace:
        return ModalWorkspace(self, thread_id)

    async def check(self) -> str:
        if self.failure:
            return f"unavailable (Modal: {self.failure})"
        name = self.settings.modal_app_name
        if self._app is None:
            return f"ok (Modal app {name!r}: looking the image up)"
        return f"ok (Modal app {name!r}, {len(self.live)} live sandboxes, network blocked)"

    async def close(self) -> None:
        """Terminate every sandbox this backend started and wait for them to stop."""
        await asyncio.gather(*(process.kill() for process in list(self.live.values())))
        await asyncio.gather(*(self.settled(thread_id) for thread_id in list(self._settling)))
