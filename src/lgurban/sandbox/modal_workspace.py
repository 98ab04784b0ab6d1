"""A thread's files on Modal: through the running sandbox's filesystem API, else through its Volume."""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio

from lgurban.errors import FileNotFoundInWorkspace
from lgurban.sandbox.modal_image import WORKDIR
from lgurban.sandbox.modal_names import volume_name
from lgurban.sandbox.workspace import WorkspaceFile, clean_relative_path

log = logging.getLogger(__name__)


class ModalWorkspace:
    """A thread's files on Modal: the sandbox filesystem while it runs, the Volume otherwise.

    `backend` is the ModalBackend (typed loosely: it imports this module)."""

    def __init__(self, backend: Any, thread_id: uuid.UUID) -> None:
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
            try:
                await sandbox.filesystem.copy_from_local.aio(str(src), f"{WORKDIR}/{rel}")
                return WorkspaceFile(rel, size, datetime.now(UTC))
            except self._errors.SandboxFilesystemError:
                raise
            except Exception as exc:  # the sandbox stopped (NotFoundError "Sandbox is unavailable")…
                await self._lost(exc)
        await self.backend.settled(self.thread_id)
        async with self._volume(create=True).batch_upload.aio(force=True) as batch:
            batch.put_file(str(src), f"/{rel}")
        self.backend.note_volume_put(self.thread_id)
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
                return target
            except (errors.SandboxFilesystemNotFoundError, errors.SandboxFilesystemIsADirectoryError) as exc:
                raise missing from exc
            except Exception as exc:  # the sandbox stopped: its files are on the Volume once committed
                await self._lost(exc)
        await self.backend.settled(self.thread_id)
        tmp = target.with_name(f".{target.name}.part-{uuid.uuid4().hex}")  # concurrent downloads
        try:
            with tmp.open("wb") as f:
                async for chunk in self._volume(create=False).read_file.aio(f"/{rel}"):
                    f.write(chunk)
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
        out: list[WorkspaceFile] | None = None
        if sandbox is not None:
            try:
                out = await self._walk(sandbox, WORKDIR)
            except Exception as exc:
                await self._lost(exc)
        if out is None:
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

    async def _lost(self, exc: Exception) -> None:
        """The running sandbox answered with an error (stopped, unreachable): treat it as gone, so the files
        are read from its Volume once committed and the next cell starts a new sandbox with a note."""
        log.info("Modal sandbox of thread %s unavailable (%r): using its Volume", self.thread_id, exc)
        process = self.backend.live.get(self.thread_id)
        if process is not None:
            await process.kill()

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
