"""The `modal` backend: one Modal Sandbox per thread, the same driver.py, files on a per-thread Volume.

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
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio

from lgurban.errors import FileNotFoundInWorkspace, SandboxUnavailable
from lgurban.sandbox.modal_image import DRIVER_REMOTE_PATH, WORKDIR, build_image
from lgurban.sandbox.types import CellReport
from lgurban.sandbox.workspace import WorkspaceFile, clean_relative_path
from lgurban.settings import Settings

log = logging.getLogger(__name__)

VOLUME_PREFIX = "lgurban-ws-"
SETTLE_TIMEOUT_S = 60.0
STDERR_TAIL_BYTES = 4096
EXIT_INFO_TIMEOUT_S = 5.0  # asking Modal how a process ended must not hold up the crash report
WORKSPACE_DIRS = ("datasets", "artifacts")


def load_sdk() -> Any:
    """The `modal` module, imported only when the Modal backend is used."""
    import modal

    return modal


def volume_name(thread_id: uuid.UUID) -> str:
    return f"{VOLUME_PREFIX}{thread_id}"


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
            self.proc.stdin.write(line)
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
                f"the Modal sandbox stopped (exit code {sandbox_code}; its time limit, idle limit or "
                "memory limit may have been reached)"
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
        self._prepared: asyncio.Task[None] | None = None
        self.failure: str | None = None
        self.live: dict[uuid.UUID, ModalProcess] = {}
        self._settling: dict[uuid.UUID, asyncio.Task[None]] = {}
        self.cache_root = settings.data_dir.resolve() / "modal-cache"

    @property
    def modal(self) -> Any:
        if self._sdk is None:
            self._sdk = load_sdk()
        return self._sdk

    # --- lifecycle
    async def start(self) -> None:
        """Look the app up and build the image in the background: the first sandbox then starts warm."""
        self._prepared = asyncio.create_task(self._ensure_prepared(raise_errors=False))

    async def _ensure_prepared(self, *, raise_errors: bool = True) -> None:
        async with self._prepare_lock:
            if self._app is not None:
                return
            try:
                app = await self.modal.App.lookup.aio(self.settings.modal_app_name, create_if_missing=True)
                image = build_image(self.modal)
                await image.build.aio(app)
            except Exception as exc:
                self.failure = (
                    f"{type(exc).__name__}: {exc} (is a Modal token set? MODAL_TOKEN_ID/MODAL_TOKEN_SECRET "
                    "or `modal token new`)"
                )
                log.error("modal sandbox backend unavailable: %s", self.failure)
                if raise_errors:
                    raise SandboxUnavailable(
                        f"the Modal sandbox backend is unavailable: {self.failure}"
                    ) from exc
                return
            self._app, self._image, self.failure = app, image, None

    async def spawn(self, thread_id: uuid.UUID) -> ModalProcess:
        await self._ensure_prepared()
        await self.settled(thread_id)
        s = self.settings
        volume = self.modal.Volume.from_name(volume_name(thread_id), create_if_missing=True)
        sandbox = None
        try:
            sandbox = await self.modal.Sandbox.create.aio(
                app=self._app,
                image=self._image,
                volumes={WORKDIR: volume},
                workdir=WORKDIR,
                timeout=int(s.modal_sandbox_timeout_s),
                idle_timeout=max(1, int(min(s.sandbox_idle_timeout_s, s.modal_sandbox_timeout_s))),
                cpu=s.modal_cpu,
                memory=s.modal_memory_mb,
                block_network=True,
                tags={"app": "lgurban", "thread_id": str(thread_id)},
            )
            proc = await sandbox.exec.aio("python", DRIVER_REMOTE_PATH, WORKDIR, workdir=WORKDIR, text=False)
            # a new Volume is empty: make the workspace's folders while the driver imports its libraries
            mkdir = await sandbox.exec.aio("mkdir", "-p", *(f"{WORKDIR}/{d}" for d in WORKSPACE_DIRS))
            await asyncio.wait_for(mkdir.wait.aio(), s.sandbox_transport_timeout_s)
        except Exception as exc:
            if sandbox is not None:
                await self.terminate(thread_id, sandbox)
            raise SandboxUnavailable(f"could not start a Modal sandbox: {type(exc).__name__}: {exc}") from exc
        process = ModalProcess(self, thread_id, sandbox, proc)
        self.live[thread_id] = process
        return process

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
            return f"ok (Modal app {name!r}: preparing the image)"
        return f"ok (Modal app {name!r}, {len(self.live)} live sandboxes, network blocked)"

    async def close(self) -> None:
        """Terminate every sandbox this backend started and wait for them to stop."""
        await asyncio.gather(*(process.kill() for process in list(self.live.values())))
        if self._prepared is not None and not self._prepared.done():
            self._prepared.cancel()
        if self._prepared is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._prepared
        await asyncio.gather(*(self.settled(thread_id) for thread_id in list(self._settling)))


class ModalWorkspace:
    """A thread's files on Modal: the sandbox filesystem while it runs, the Volume otherwise."""

    def __init__(self, backend: ModalBackend, thread_id: uuid.UUID) -> None:
        self.backend, self.thread_id = backend, thread_id
        self.cache = backend.cache_root / str(thread_id)

    def _sandbox(self) -> Any:
        process = self.backend.live.get(self.thread_id)
        return process.sandbox if process is not None and not process.killed else None

    def _volume(self, *, create: bool) -> Any:
        return self.backend.modal.Volume.from_name(volume_name(self.thread_id), create_if_missing=create)

    @property
    def _errors(self) -> Any:
        return self.backend.modal.exception

    async def put_file(self, rel_path: str, src: Path) -> WorkspaceFile:
        rel = clean_relative_path(rel_path)
        size = (await anyio.Path(src).stat()).st_size
        sandbox = self._sandbox()
        if sandbox is not None:
            await sandbox.filesystem.copy_from_local.aio(str(src), f"{WORKDIR}/{rel}")
        else:
            await self.backend.settled(self.thread_id)
            async with self._volume(create=True).batch_upload.aio(force=True) as batch:
                batch.put_file(str(src), f"/{rel}")
        return WorkspaceFile(rel, size, datetime.now(UTC))

    async def local_path(self, rel_path: str) -> Path:
        rel = clean_relative_path(rel_path)
        target = self.cache / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        missing = FileNotFoundInWorkspace(f"no file {rel_path!r} in the workspace")
        sandbox = self._sandbox()
        if sandbox is not None:
            errors = self._errors
            try:
                await sandbox.filesystem.copy_to_local.aio(f"{WORKDIR}/{rel}", str(target))
            except (errors.SandboxFilesystemNotFoundError, errors.SandboxFilesystemIsADirectoryError) as exc:
                raise missing from exc
            return target
        await self.backend.settled(self.thread_id)
        tmp = target.with_name(f".{target.name}.part-{os.getpid()}")
        try:
            with tmp.open("wb") as f:
                await self._volume(create=False).read_file_into_fileobj.aio(f"/{rel}", f)
        except (FileNotFoundError, IsADirectoryError, self._errors.NotFoundError) as exc:
            tmp.unlink(missing_ok=True)
            raise missing from exc
        os.replace(tmp, target)
        return target

    async def open_read(self, rel_path: str) -> AsyncIterator[bytes]:
        path = await self.local_path(rel_path)
        async with await anyio.open_file(path, "rb") as f:
            while chunk := await f.read(1024 * 1024):
                yield chunk

    async def list_files(self) -> list[WorkspaceFile]:
        sandbox = self._sandbox()
        if sandbox is not None:
            out = await self._walk(sandbox, WORKDIR)
        else:
            await self.backend.settled(self.thread_id)
            try:
                entries = await self._volume(create=False).listdir.aio("/", recursive=True)
            except self._errors.NotFoundError:
                return []
            out = [
                WorkspaceFile(e.path.lstrip("/"), e.size, datetime.fromtimestamp(e.mtime, UTC))
                for e in entries
                if getattr(e.type, "name", "") == "FILE"
                and not any(part.startswith(".") for part in e.path.strip("/").split("/"))
            ]
        return sorted(out, key=lambda f: f.path)

    async def _walk(self, sandbox: Any, directory: str) -> list[WorkspaceFile]:
        out: list[WorkspaceFile] = []
        for entry in await sandbox.filesystem.list_files.aio(directory):
            if entry.name.startswith("."):
                continue
            full = f"{directory}/{entry.name}"
            if entry.is_dir():
                out.extend(await self._walk(sandbox, full))
            elif entry.is_file():
                rel = full[len(WORKDIR) + 1 :]
                out.append(WorkspaceFile(rel, entry.size, datetime.fromtimestamp(entry.modified_time, UTC)))
        return out

    async def remove(self) -> None:
        """Delete the thread's Volume (after its sandbox, if one still runs) and the local download cache."""
        process = self.backend.live.get(self.thread_id)
        if process is not None:
            await process.kill()
        await self.backend.settled(self.thread_id)
        await self.backend.modal.Volume.objects.delete.aio(volume_name(self.thread_id), allow_missing=True)
        await anyio.to_thread.run_sync(lambda: shutil.rmtree(self.cache, ignore_errors=True))
