"""A thread's workspace: the files its sandbox sees at its working directory (`datasets/`, `artifacts/`).

The host moves files in and out through this interface, whatever the backend: a folder under DATA_DIR for
the local sandbox, a Modal Volume for the Modal one. Paths are always relative to the workspace root and are
checked before use (no `..`, no absolute paths, no symlinks pointing out).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Protocol

import anyio

from lgurban.errors import FileNotFoundInWorkspace, InvalidPath


@dataclass(frozen=True)
class WorkspaceFile:
    path: str
    size: int
    modified_at: datetime


def clean_relative_path(path: str) -> str:
    """A normalised relative path, or InvalidPath for `..`, absolute paths and other escapes."""
    if not path or "\x00" in path or len(path) > 1000:
        raise InvalidPath("path must be a non-empty relative path inside the workspace")
    p = PurePosixPath(path.replace("\\", "/"))
    if p.is_absolute() or ".." in p.parts:
        raise InvalidPath(f"path {path!r} must be relative to the workspace and must not contain '..'")
    parts = [part for part in p.parts if part not in ("", ".")]
    if not parts:
        raise InvalidPath("path must name a file inside the workspace")
    return "/".join(parts)


class Workspace(Protocol):
    async def put_file(self, rel_path: str, src: Path) -> WorkspaceFile:
        """Copy (or move, when cheap) a local file into the workspace, atomically."""
        ...

    async def local_path(self, rel_path: str) -> Path:
        """A local file with the content of `rel_path` (the file itself when the workspace is local)."""
        ...

    def open_read(self, rel_path: str) -> AsyncIterator[bytes]: ...

    async def list_files(self) -> list[WorkspaceFile]: ...

    async def remove(self) -> None:
        """Delete the whole workspace."""
        ...


class LocalWorkspace:
    """A folder on this machine: DATA_DIR/workspaces/<thread_id>."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def ensure(self) -> Path:
        for sub in ("datasets", "artifacts"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        return self.root

    def resolve(self, rel_path: str) -> Path:
        """The absolute path for `rel_path`, refusing anything that resolves outside the root."""
        rel = clean_relative_path(rel_path)
        root = self.root.resolve()
        target = (root / rel).resolve()
        if not target.is_relative_to(root):
            raise InvalidPath(f"path {rel_path!r} points outside the workspace")
        return target

    async def put_file(self, rel_path: str, src: Path) -> WorkspaceFile:
        target = self.resolve(rel_path)

        def copy() -> WorkspaceFile:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            shutil.copyfile(src, tmp)
            os.replace(tmp, target)
            st = target.stat()
            return WorkspaceFile(rel_path, st.st_size, datetime.fromtimestamp(st.st_mtime).astimezone())

        return await anyio.to_thread.run_sync(copy)

    async def local_path(self, rel_path: str) -> Path:
        target = self.resolve(rel_path)
        if not target.is_file():
            raise FileNotFoundInWorkspace(f"no file {rel_path!r} in the workspace")
        return target

    async def open_read(self, rel_path: str) -> AsyncIterator[bytes]:
        path = await self.local_path(rel_path)
        async with await anyio.open_file(path, "rb") as f:
            while chunk := await f.read(1024 * 1024):
                yield chunk

    async def list_files(self) -> list[WorkspaceFile]:
        def walk() -> list[WorkspaceFile]:
            out: list[WorkspaceFile] = []
            if not self.root.is_dir():
                return out
            for dirpath, dirnames, filenames in os.walk(self.root):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if name.startswith("."):
                        continue
                    full = Path(dirpath) / name
                    try:
                        st = full.lstat()
                    except FileNotFoundError:
                        continue
                    if not full.is_file() or full.is_symlink():
                        continue
                    rel = full.relative_to(self.root).as_posix()
                    out.append(
                        WorkspaceFile(rel, st.st_size, datetime.fromtimestamp(st.st_mtime).astimezone())
                    )
            return out

        return await anyio.to_thread.run_sync(walk)

    async def remove(self) -> None:
        await anyio.to_thread.run_sync(lambda: shutil.rmtree(self.root, ignore_errors=True))
