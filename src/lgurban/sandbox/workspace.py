"""A thread's workspace: the files its sandbox sees at its working directory (`datasets/`, `artifacts/`).

The host moves files in and out through this interface, whatever the backend: a folder under DATA_DIR for
the local sandbox, a Modal Volume for the Modal one. Paths are always relative to the workspace root and are
checked before use (no `..`, no absolute paths, no symlinks pointing out).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Protocol

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
    if any(len(part.encode("utf-8", "surrogatepass")) > 255 for part in parts):
        raise InvalidPath("a path component is longer than 255 bytes")
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
        try:
            target = (root / rel).resolve()
        except OSError as exc:  # e.g. a link replaced by a file mid-resolution (EINVAL from readlink)
            raise InvalidPath(f"path {rel_path!r} changed while it was being checked") from exc
        if not target.is_relative_to(root):
            raise InvalidPath(f"path {rel_path!r} points outside the workspace")
        return target

    # The sandbox writes this folder while the host (possibly root) reads and writes it: every host access
    # walks the path one component at a time with O_NOFOLLOW from the root's descriptor, so a symlink the
    # sandbox swaps in between a check and an open can never point the host at a file outside.

    async def put_file(self, rel_path: str, src: Path) -> WorkspaceFile:
        parts = clean_relative_path(rel_path).split("/")

        def copy() -> WorkspaceFile:
            self.root.mkdir(parents=True, exist_ok=True)
            dir_fd = _open_dir(self.root, parts[:-1], rel_path, create=True)
            tmp = f".{parts[-1]}.tmp-{secrets.token_hex(8)}"
            try:
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
                fd = os.open(tmp, flags, 0o644, dir_fd=dir_fd)
                with open(fd, "wb") as dst, open(src, "rb") as source:
                    shutil.copyfileobj(source, dst, 1024 * 1024)
                    dst.flush()
                    st = os.fstat(dst.fileno())
                os.replace(tmp, parts[-1], src_dir_fd=dir_fd, dst_dir_fd=dir_fd)  # replaces a symlink itself
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp, dir_fd=dir_fd)
                os.close(dir_fd)
            return WorkspaceFile(rel_path, st.st_size, datetime.fromtimestamp(st.st_mtime).astimezone())

        return await anyio.to_thread.run_sync(copy)

    async def local_path(self, rel_path: str) -> Path:
        """The file, pinned: a /proc/self/fd path to the very inode checked (valid while the Path lives)."""
        self.resolve(rel_path)
        parts = clean_relative_path(rel_path).split("/")

        def pin() -> Path:
            dir_fd = _open_dir(self.root, parts[:-1], rel_path, create=False)
            try:
                fd = _open_nofollow(parts[-1], dir_fd, rel_path, os.O_RDONLY | os.O_NONBLOCK)
            finally:
                os.close(dir_fd)
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                os.close(fd)
                raise FileNotFoundInWorkspace(f"no file {rel_path!r} in the workspace")
            os.set_blocking(fd, True)
            return PinnedPath(fd)

        return await anyio.to_thread.run_sync(pin)

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


async def open_once(workspace: Workspace, rel: str) -> tuple[BinaryIO, int]:
    """The file behind `rel`, open, and its size; FileNotFoundInWorkspace unless it is a regular file.

    For a download: opened once before the answer starts (so a bad path is a clean 4xx) and then streamed
    from this descriptor, so the sandbox swapping the name for a symlink meanwhile changes nothing."""
    pinned = await workspace.local_path(rel)  # InvalidPath for escapes and symlinks, checked on the open file

    def open_it() -> tuple[BinaryIO, int]:
        f = open(pinned, "rb")
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            f.close()
            raise FileNotFoundInWorkspace(f"no file {rel!r} in the workspace")
        return f, st.st_size

    try:
        return await anyio.to_thread.run_sync(open_it)
    except OSError as exc:  # gone between the check and the open (a local cache file, say)
        raise FileNotFoundInWorkspace(f"no file {rel!r} in the workspace") from exc


async def stream_open_file(f: BinaryIO, size: int) -> AsyncIterator[bytes]:
    """Exactly `size` bytes (the Content-Length sent), unless the file is cut short in place meanwhile."""
    try:
        left = size
        while left > 0:
            chunk = await anyio.to_thread.run_sync(f.read, min(left, 1024 * 1024))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk
    finally:
        f.close()


class PinnedPath(type(Path())):  # type: ignore[misc]
    """A path that names one open file (/proc/self/fd/N); the descriptor closes with the object."""

    _fd: int | None = None

    def __new__(cls, fd: int) -> PinnedPath:
        self = super().__new__(cls, f"/proc/self/fd/{fd}")
        self._fd = fd
        return self

    def __del__(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None


def _open_nofollow(name: str, dir_fd: int, rel_path: str, flags: int) -> int:
    try:
        return os.open(name, flags | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd)
    except FileNotFoundError:
        raise FileNotFoundInWorkspace(f"no file {rel_path!r} in the workspace") from None
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
            raise InvalidPath(f"path {rel_path!r} goes through a symbolic link or a file") from None
        if exc.errno in (errno.ENAMETOOLONG, errno.EILSEQ, errno.EINVAL):
            raise InvalidPath(f"path {rel_path!r} is not a valid file name here") from None
        raise


def _open_dir(root: Path, parts: list[str], rel_path: str, *, create: bool) -> int:
    """A descriptor of root/parts…, every component a real directory (never a symlink)."""
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError:  # no cell has run yet: the workspace itself does not exist
        raise FileNotFoundInWorkspace(f"no file {rel_path!r} in the workspace") from None
    try:
        for part in parts:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o755, dir_fd=fd)
            nfd = _open_nofollow(part, fd, rel_path, os.O_RDONLY | os.O_DIRECTORY)
            os.close(fd)
            fd = nfd
    except BaseException:
        os.close(fd)
        raise
    return fd
