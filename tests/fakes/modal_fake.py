"""A stand-in for exactly the part of the `modal` SDK the Modal sandbox backend calls; runs the REAL driver.

`FakeModal(root)` has the module's shape (`App`, `Image`, `Volume`, `Sandbox`, `exception`): a sandbox is a
folder under `root` holding the image's files, `sandbox.exec(...)` starts a real local process (`python` →
this interpreter, absolute paths → the sandbox's folders and mounts), and its stdin/stdout/stderr are
streamed in chunks that do not respect line boundaries, as Modal's are.

Modal semantics kept where the backend depends on them:
- a Volume mounted in a sandbox is a copy taken when the sandbox starts and committed back only after the
  sandbox stops (a little later than `terminate()` returns), so reading the Volume while it runs is stale;
- the sandbox filesystem API sees the running sandbox's files; paths must be absolute;
- async methods must be called through `.aio` (a blocking call inside the event loop is a bug here);
- errors are the real `modal.exception` classes; listings are real `modal.types` objects;
- `idle_timeout` counts only while no exec runs, so a driver exec that never ends keeps it from firing;
- a sandbox has a `name` unique among the running ones of its app, `tags`, and is found again by
  `Sandbox.from_name` / `from_id` / `Sandbox.list(tags=...)` (a new FakeModal on the same root = a new client
  after a restart: it sees the sandboxes still running, but their exec stdio belongs to the old client);
- a stopped sandbox raises `NotFoundError("Sandbox is unavailable")` on exec and filesystem calls;
- `detach()` closes the handle: only `wait` works after it;
- stdin holds at most 2 MiB between drains (BufferError beyond, as io_streams.MAX_BUFFER_SIZE);
- files put into the Volume after a sandbox mounted it are seen inside only after `reload_volumes()`;
- `memory`/`cpu` as ints are reservations (soft); a `(request, limit)` tuple is the hard limit;
- `Dict.from_name(...).get` answers what was `put`, a missing Dict raises NotFoundError at the call;
  `Image.from_id` finds a built image by its `object_id` (NotFoundError otherwise). With `publish_all` (the
  default) the image registry answers every name with a freshly built `build_image` — as if `lgurban deploy
  modal` had run for the release; tests of the unpublished case set it False.
Every SDK call is recorded in `calls` (name, args, kwargs, via .aio) so a test can check it against the real
signatures of the installed SDK.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import modal.exception
from modal.types import FileEntry, FileEntryType, FileInfo, FileType

STDIN_BUFFER = 2 * 1024 * 1024  # modal.io_streams.MAX_BUFFER_SIZE
UNAVAILABLE = "Sandbox is unavailable"
CHUNK = 1531  # an odd chunk size, so protocol lines arrive split across reads
COMMIT_DELAY_S = 0.2


@dataclass
class Call:
    name: str  # e.g. "Sandbox.create": the SDK object it stands for
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    aio: bool


class _Method:
    """One SDK callable: sync ones are called directly, async ones only through `.aio`."""

    def __init__(self, fake: FakeModal, name: str, impl: Callable[..., Any], kind: str = "async") -> None:
        self.fake, self.name, self.impl, self.kind = fake, name, impl, kind

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.fake.calls.append(Call(self.name, args, kwargs, aio=False))
        if self.kind != "sync":
            raise AssertionError(f"{self.name} was called blocking inside the event loop; use .aio")
        return self.impl(*args, **kwargs)

    def aio(self, *args: Any, **kwargs: Any) -> Any:
        self.fake.calls.append(Call(self.name, args, kwargs, aio=True))
        if self.kind == "sync":
            raise AssertionError(f"{self.name} has no .aio variant")
        return self.impl(*args, **kwargs)


class FakeModal:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.calls: list[Call] = []
        self.exception = modal.exception
        self.apps: dict[str, FakeApp] = {}
        self.sandboxes: list[FakeSandbox] = []
        self.lookup_error: Exception | None = None  # set to make App.lookup fail (no token, outage…)
        self.on_create: Callable[[FakeSandbox], Any] | None = None  # awaited as Sandbox.create returns
        self.App = _Namespace(lookup=_Method(self, "App.lookup", self._app_lookup))
        self.Image = _Namespace(
            debian_slim=_Method(self, "Image.debian_slim", self._debian_slim, "sync"),
            from_id=_Method(self, "Image.from_id", self._image_from_id),
        )
        self.Dict = _Namespace(from_name=_Method(self, "Dict.from_name", self._dict_from_name, "sync"))
        self.dicts: dict[str, dict[str, Any]] = {}
        self.images: dict[str, FakeImage] = {}  # object_id → built image
        self.publish_all = True
        self.Volume = _Namespace(
            from_name=_Method(self, "Volume.from_name", self._volume_from_name, "sync"),
            objects=_Namespace(delete=_Method(self, "Volume.objects.delete", self._volume_delete)),
        )
        self.Sandbox = _Namespace(
            create=_Method(self, "Sandbox.create", self._sandbox_create),
            from_name=_Method(self, "Sandbox.from_name", self._sandbox_from_name),
            from_id=_Method(self, "Sandbox.from_id", self._sandbox_from_id),
            list=_Method(self, "Sandbox.list", self._sandbox_list, "gen"),
        )

    def adopt(self, other: FakeModal) -> None:
        """This client sees the other one's sandboxes (the same Modal account, after a restart)."""
        self.apps, self.sandboxes = other.apps, other.sandboxes

    def running(self) -> list[FakeSandbox]:
        return [sb for sb in self.sandboxes if sb.returncode is None]

    async def _sandbox_from_name(self, app_name: str, name: str, **_: Any) -> FakeSandbox:
        for sb in self.running():
            if sb.app.name == app_name and sb.name == name:
                return sb.handle(self)
        raise modal.exception.NotFoundError(f"Sandbox with name '{name}' not found")

    async def _sandbox_from_id(self, sandbox_id: str, **_: Any) -> FakeSandbox:
        for sb in self.sandboxes:
            if sb.object_id == sandbox_id:
                return sb.handle(self)
        raise modal.exception.NotFoundError(f"Sandbox {sandbox_id} not found")

    async def _sandbox_list(self, *, tags: dict[str, str] | None = None, **_: Any) -> AsyncIterator[Any]:
        for sb in self.running():
            if all(sb.tags.get(k) == v for k, v in (tags or {}).items()):
                yield sb.handle(self)

    def volume_dir(self, name: str) -> Path:
        return self.root / "volumes" / name

    def calls_to(self, name: str) -> list[Call]:
        return [c for c in self.calls if c.name == name]

    async def _app_lookup(self, name: str, *, create_if_missing: bool = False, **_: Any) -> FakeApp:
        if self.lookup_error is not None:
            raise self.lookup_error
        if name not in self.apps:
            if not create_if_missing:
                raise modal.exception.NotFoundError(f"App '{name}' not found")
            self.apps[name] = FakeApp(name)
        return self.apps[name]

    def _dict_from_name(self, name: str, *, create_if_missing: bool = False, **_: Any) -> FakeDict:
        return FakeDict(self, name, create_if_missing)

    async def _image_from_id(self, image_id: str, **_: Any) -> FakeImage:
        if image_id not in self.images:
            raise modal.exception.NotFoundError(f"Image '{image_id}' not found")
        return self.images[image_id]

    def publish(self, name: str) -> str:
        """What `lgurban deploy modal` does: build the image, record its id under `name`."""
        from lgurban.sandbox.modal_image import REGISTRY, build_image

        image = build_image(self)
        image.built, image.object_id = True, f"im-fake{len(self.images) + 1}"
        self.images[image.object_id] = image
        self.dicts.setdefault(REGISTRY, {})[name] = image.object_id
        return image.object_id

    def _debian_slim(self, python_version: str | None = None, **_: Any) -> FakeImage:
        return FakeImage(self, steps=[("debian_slim", python_version)])

    def _volume_from_name(self, name: str, *, create_if_missing: bool = False, **_: Any) -> FakeVolume:
        return FakeVolume(self, name, create_if_missing)

    async def _volume_delete(self, name: str, *, allow_missing: bool = False, **_: Any) -> None:
        path = self.volume_dir(name)
        if not path.is_dir():
            if allow_missing:
                return
            raise modal.exception.NotFoundError(f"Volume '{name}' not found")
        shutil.rmtree(path)

    async def _sandbox_create(
        self,
        *args: str,
        app: FakeApp | None = None,
        image: FakeImage | None = None,
        volumes: dict[str, FakeVolume] | None = None,
        workdir: str | None = None,
        **options: Any,
    ) -> FakeSandbox:
        timeout = options.get("timeout", 300)
        if not isinstance(app, FakeApp):
            raise modal.exception.InvalidError("Sandbox.create needs an app (App.lookup)")
        if not isinstance(image, FakeImage):
            raise modal.exception.InvalidError("Sandbox.create needs an image")
        name = options.get("name")
        if name and any(sb.app.name == app.name and sb.name == name for sb in self.running()):
            raise modal.exception.AlreadyExistsError(f"Sandbox with name '{name}' already exists")
        sandbox = FakeSandbox(self, len(self.sandboxes) + 1, image, workdir)
        sandbox.app, sandbox.name, sandbox.tags = app, name, dict(options.get("tags") or {})
        sandbox.memory, sandbox.cpu = options.get("memory"), options.get("cpu")
        sandbox.idle_timeout = options.get("idle_timeout")
        for mount, volume in (volumes or {}).items():
            sandbox.mount(mount, volume)
        if timeout:
            sandbox.expire_handle = asyncio.get_running_loop().call_later(timeout, sandbox.expire)
        self.sandboxes.append(sandbox)
        if sandbox.idle_timeout:
            sandbox.idle_task = asyncio.get_running_loop().create_task(sandbox.idle_watch())
        if self.on_create is not None:
            await self.on_create(sandbox)
        return sandbox


class _Namespace:
    def __init__(self, **members: Any) -> None:
        self.__dict__.update(members)


class FakeDict:
    def __init__(self, fake: FakeModal, name: str, create_if_missing: bool) -> None:
        self.fake, self.name, self.create_if_missing = fake, name, create_if_missing
        self.get = _Method(fake, "Dict.get", self._get)

    async def _get(self, key: str, default: Any = None) -> Any:
        from lgurban.sandbox.modal_image import REGISTRY

        if self.name == REGISTRY and self.fake.publish_all and key not in self.fake.dicts.get(REGISTRY, {}):
            self.fake.publish(key)
        if self.name not in self.fake.dicts:
            if not self.create_if_missing:
                raise modal.exception.NotFoundError(f"Dict '{self.name}' not found")
            self.fake.dicts[self.name] = {}
        return self.fake.dicts[self.name].get(key, default)


@dataclass
class FakeApp:
    name: str


class FakeImage:
    def __init__(
        self,
        fake: FakeModal,
        steps: list[tuple[Any, ...]],
        files: dict[str, Path] | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.fake, self.steps = fake, steps
        self.files: dict[str, Path] = dict(files or {})  # remote path → local file
        self.env_vars: dict[str, str] = dict(env or {})
        self.pip_install = _Method(fake, "Image.pip_install", self._pip_install, "sync")
        self.env = _Method(fake, "Image.env", self._env, "sync")
        self.add_local_file = _Method(fake, "Image.add_local_file", self._add_local_file, "sync")
        self.build = _Method(fake, "Image.build", self._build)
        self.built = False
        self.object_id: str | None = None

    def _next(self, step: tuple[Any, ...]) -> FakeImage:
        return FakeImage(self.fake, [*self.steps, step], self.files, self.env_vars)

    def _pip_install(self, *packages: str, **_: Any) -> FakeImage:
        return self._next(("pip_install", packages))

    def _env(self, vars: dict[str, str]) -> FakeImage:
        image = self._next(("env", dict(vars)))
        image.env_vars.update(vars)
        return image

    def _add_local_file(self, local_path: str | Path, remote_path: str, *, copy: bool = False) -> FakeImage:
        if not Path(local_path).is_file():
            raise FileNotFoundError(local_path)
        image = self._next(("add_local_file", str(local_path), remote_path, copy))
        image.files[remote_path] = Path(local_path)
        return image

    async def _build(self, app: FakeApp | None = None) -> FakeImage:
        self.built = True
        return self


class FakeVolume:
    def __init__(self, fake: FakeModal, name: str, create_if_missing: bool) -> None:
        self.fake, self.name, self.create_if_missing = fake, name, create_if_missing
        self.batch_upload = _Method(fake, "Volume.batch_upload", self._batch_upload, "cm")
        self.read_file = _Method(fake, "Volume.read_file", self._read_file, "gen")
        self.listdir = _Method(fake, "Volume.listdir", self._listdir)

    def resolve(self) -> Path:
        path = self.fake.volume_dir(self.name)
        if not path.is_dir():
            if not self.create_if_missing:
                raise modal.exception.NotFoundError(f"Volume '{self.name}' not found")
            path.mkdir(parents=True)
        return path

    def _file(self, remote: str) -> Path:
        return self.resolve() / remote.lstrip("/")

    def _batch_upload(self, force: bool = False) -> _Batch:
        return _Batch(self, force)

    async def _read_file(self, path: str) -> AsyncIterator[bytes]:
        source = self._file(path)
        if not source.is_file():
            raise FileNotFoundError(f"No such file: {path}")
        data = source.read_bytes()
        for i in range(0, len(data), 64 * 1024):
            yield data[i : i + 64 * 1024]
            await asyncio.sleep(0)

    async def _listdir(self, path: str, *, recursive: bool = False) -> list[FileEntry]:
        base = self._file(path)
        if not base.is_dir():
            raise FileNotFoundError(f"No such directory: {path}")
        found = base.rglob("*") if recursive else base.iterdir()
        root = self.resolve()
        out = []
        for p in sorted(found):
            st = p.stat()
            kind = FileEntryType.DIRECTORY if p.is_dir() else FileEntryType.FILE
            out.append(FileEntry(p.relative_to(root).as_posix(), kind, int(st.st_mtime), st.st_size))
        return out


class _Batch:
    def __init__(self, volume: FakeVolume, force: bool) -> None:
        self.volume, self.force = volume, force
        self.items: list[tuple[str, str]] = []
        self.put_file = _Method(volume.fake, "VolumeUploadContextManager.put_file", self._put_file, "sync")

    def _put_file(self, local_file: str | Path, remote_path: str, mode: int | None = None) -> None:
        self.items.append((str(local_file), remote_path))

    async def __aenter__(self) -> _Batch:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if exc[0] is not None:
            return
        for local, remote in self.items:
            target = self.volume._file(remote)
            if target.exists() and not self.force:
                raise FileExistsError(f"{remote} exists in the volume (pass force=True)")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(local, target)


class FakeSandbox:
    def __init__(self, fake: FakeModal, number: int, image: FakeImage, workdir: str | None) -> None:
        self.fake, self.image, self.workdir = fake, image, workdir
        self.object_id = f"sb-fake{number:04d}"
        self.dir = fake.root / "sandboxes" / self.object_id
        (self.dir / "fs").mkdir(parents=True)
        self.mounts: dict[str, tuple[FakeVolume, Path]] = {}
        for remote, local in image.files.items():  # the image's files are in the container's filesystem
            target = self.local(remote)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(local, target)
        self.processes: list[FakeContainerProcess] = []
        self.returncode: int | None = None
        self.stopped = asyncio.Event()
        self.expire_handle: asyncio.TimerHandle | None = None
        self.app: FakeApp | None = None
        self.name: str | None = None
        self.tags: dict[str, str] = {}
        self.memory: Any = None
        self.cpu: Any = None
        self.idle_timeout: int | None = None
        self.idle_task: asyncio.Task[None] | None = None
        self.last_active = asyncio.get_running_loop().time()
        self.attached = True
        self.state = self
        _bind_sandbox_methods(self, self)
        self._ended: asyncio.Task[None] | None = None

    @property
    def hard_memory_limit_mb(self) -> int | None:
        """Modal's `memory=int` is a request the container may exceed; only `(request, limit)` caps it."""
        return self.memory[1] if isinstance(self.memory, tuple) else None

    def handle(self, client: FakeModal) -> SandboxHandle:
        return SandboxHandle(client, self)

    def require_running(self) -> None:
        if self.returncode is not None:
            raise modal.exception.NotFoundError(UNAVAILABLE)

    def busy(self) -> bool:
        return any(p.returncode is None for p in self.processes)

    async def idle_watch(self) -> None:
        """Modal's idle_timeout: the sandbox stops after that long with no exec running (and no input)."""
        loop = asyncio.get_running_loop()
        assert self.idle_timeout
        while self.returncode is None:
            await asyncio.sleep(0.05)
            if self.busy():
                self.last_active = loop.time()
            elif loop.time() - self.last_active > self.idle_timeout:
                self._stop(0)

    async def _reload_volumes(self, *, timeout: int = 55) -> None:  # noqa: ASYNC109 (the SDK's)
        self.require_running()
        for volume, copy in self.mounts.values():
            shutil.copytree(volume.resolve(), copy, dirs_exist_ok=True)

    def mount(self, mount: str, volume: FakeVolume) -> None:
        copy = self.dir / "mounts" / str(len(self.mounts))
        shutil.copytree(volume.resolve(), copy)
        self.mounts[mount.rstrip("/")] = (volume, copy)

    def local(self, remote: str) -> Path:
        """Where an absolute path inside the sandbox lives on this machine."""
        if not remote.startswith("/"):
            raise modal.exception.InvalidError(f"{remote!r} is not an absolute path")
        for mount, (_, copy) in self.mounts.items():
            if remote == mount or remote.startswith(mount + "/"):
                return copy / remote[len(mount) :].lstrip("/")
        return self.dir / "fs" / remote.lstrip("/")

    def _argv(self, args: tuple[str, ...]) -> list[str]:
        out = []
        for arg in args:
            if arg in ("python", "python3"):
                out.append(sys.executable)
            elif arg.startswith("/"):
                out.append(str(self.local(arg)))
            else:
                out.append(arg)
        return out

    async def _exec(
        self,
        *args: str,
        workdir: str | None = None,
        text: bool = True,
        env: dict[str, str] | None = None,
        **_: Any,
    ) -> FakeContainerProcess:
        self.require_running()
        self.last_active = asyncio.get_running_loop().time()
        cwd = self.local(workdir or self.workdir or "/")
        cwd.mkdir(parents=True, exist_ok=True)
        # a container's environment: the image's variables, nothing of the host's
        child_env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.dir / "fs"),
            **self.image.env_vars,
        }
        child_env.update(env or {})
        proc = await asyncio.create_subprocess_exec(
            *self._argv(args),
            cwd=cwd,
            env=child_env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
        )
        process = FakeContainerProcess(self.fake, proc, text)
        self.processes.append(process)
        return process

    async def _get_tags(self) -> dict[str, str]:
        return dict(self.tags)

    async def _detach(self) -> None:
        pass  # the handle's flag is set by the guard

    def expire(self) -> None:
        """What Modal does at the sandbox's `timeout` (or when out of memory): stop it from outside."""
        if self.returncode is None:
            self._stop(137)

    def _stop(self, code: int) -> None:
        self.returncode = code
        if self.expire_handle is not None:
            self.expire_handle.cancel()
        for process in self.processes:
            process.kill()
        self._ended = asyncio.get_running_loop().create_task(self._commit())

    async def _commit(self) -> None:
        for process in self.processes:
            await process.reap()
        await asyncio.sleep(COMMIT_DELAY_S)  # Modal commits the Volume as the container shuts down
        for volume, copy in self.mounts.values():
            target = self.fake.volume_dir(volume.name)
            if target.parent.is_dir():
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(copy, target)
        self.stopped.set()

    async def _terminate(self, *, wait: bool = False) -> int | None:
        if self.stopped.is_set() and self.returncode is not None and not wait:
            return None
        if self.returncode is None:
            self._stop(0)
        if wait:
            await self.stopped.wait()
            return self.returncode
        return None

    async def _poll(self) -> int | None:
        return self.returncode

    async def _wait(self, raise_on_termination: bool = True) -> None:
        await self.stopped.wait()
        if raise_on_termination:
            raise modal.exception.SandboxTerminatedError("Sandbox was terminated")


ALLOWED_DETACHED = ("wait", "detach")


def _bind_sandbox_methods(handle: Any, state: FakeSandbox) -> None:
    """The SDK methods of one handle on a sandbox: after `detach()` only `wait` still works."""
    fake = state.fake

    def guarded(name: str, impl: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if not handle.attached and name not in ALLOWED_DETACHED:
                raise modal.exception.ClientClosed("Unable to perform operation on a detached sandbox")
            if name == "detach":
                handle.attached = False
            return impl(*args, **kwargs)

        return call

    for name, impl in (
        ("exec", state._exec),
        ("terminate", state._terminate),
        ("poll", state._poll),
        ("wait", state._wait),
        ("detach", state._detach),
        ("reload_volumes", state._reload_volumes),
        ("get_tags", state._get_tags),
    ):
        setattr(handle, name, _Method(fake, f"Sandbox.{name}", guarded(name, impl)))
    handle.filesystem = FakeFilesystem(state, lambda: handle.attached)


class SandboxHandle:
    """Another client's handle on a running sandbox (from_name/from_id/list): same sandbox, own attachment."""

    def __init__(self, client: FakeModal, state: FakeSandbox) -> None:
        self.attached = True
        self.state = state
        self.object_id, self.name, self.tags = state.object_id, state.name, dict(state.tags)
        _bind_sandbox_methods(self, state)

    @property
    def returncode(self) -> int | None:
        return self.state.returncode


class FakeFilesystem:
    def __init__(self, sandbox: FakeSandbox, attached: Callable[[], bool] = lambda: True) -> None:
        self.sandbox, self.attached = sandbox, attached
        fake = sandbox.fake
        self.copy_from_local = _Method(fake, "SandboxFilesystem.copy_from_local", self._copy_from_local)
        self.copy_to_local = _Method(fake, "SandboxFilesystem.copy_to_local", self._copy_to_local)
        self.list_files = _Method(fake, "SandboxFilesystem.list_files", self._list_files)

    def _path(self, remote: str) -> Path:
        if not self.attached():
            raise modal.exception.ClientClosed("Unable to perform operation on a detached sandbox")
        self.sandbox.require_running()
        return self.sandbox.local(remote)

    async def _copy_from_local(self, local_path: str | os.PathLike[str], remote_path: str) -> None:
        target = self._path(remote_path)
        if target.is_dir():
            raise modal.exception.SandboxFilesystemIsADirectoryError(f"{remote_path} is a directory")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(local_path, target)

    async def _copy_to_local(self, remote_path: str, local_path: str | os.PathLike[str]) -> None:
        source = self._path(remote_path)
        if source.is_dir():
            raise modal.exception.SandboxFilesystemIsADirectoryError(f"{remote_path} is a directory")
        if not source.is_file():
            raise modal.exception.SandboxFilesystemNotFoundError(f"{remote_path} not found")
        Path(local_path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, local_path)

    async def _list_files(self, remote_path: str) -> list[FileInfo]:
        base = self._path(remote_path)
        if not base.is_dir():
            raise modal.exception.SandboxFilesystemNotFoundError(f"{remote_path} not found")
        out = []
        for p in sorted(base.iterdir()):
            st = p.lstat()
            kind = FileType.DIRECTORY if p.is_dir() else FileType.FILE
            remote = f"{remote_path.rstrip('/')}/{p.name}"
            out.append(
                FileInfo(p.name, remote, kind, st.st_size, st.st_mode, "", "root", "root", st.st_mtime, None)
            )
        return out


class FakeContainerProcess:
    def __init__(self, fake: FakeModal, proc: asyncio.subprocess.Process, text: bool) -> None:
        self.proc = proc
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        self.stdin = FakeStreamWriter(fake, proc.stdin)
        self.stdout = FakeStreamReader(proc.stdout, text)
        self.stderr = FakeStreamReader(proc.stderr, text)
        self.wait = _Method(fake, "ContainerProcess.wait", self._wait)
        self.poll = _Method(fake, "ContainerProcess.poll", self._poll)

    @property
    def returncode(self) -> int | None:
        return self.proc.returncode

    def kill(self) -> None:
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)

    async def reap(self) -> None:
        await self.proc.wait()

    async def _wait(self) -> int:
        return await self.proc.wait()

    async def _poll(self) -> int | None:
        return self.proc.returncode


class FakeStreamWriter:
    def __init__(self, fake: FakeModal, pipe: asyncio.StreamWriter) -> None:
        self.pipe = pipe
        self.buffer = bytearray()
        self.write = _Method(fake, "StreamWriter.write", self._write, "sync")
        self.drain = _Method(fake, "StreamWriter.drain", self._drain)

    def _write(self, data: bytes | bytearray | memoryview | str) -> None:
        raw = data.encode() if isinstance(data, str) else bytes(data)
        if len(self.buffer) + len(raw) > STDIN_BUFFER:
            raise BufferError("Buffer size exceed limit. Call drain to flush the buffer.")
        self.buffer += raw

    async def _drain(self) -> None:
        data, self.buffer = bytes(self.buffer), bytearray()
        self.pipe.write(data)
        await self.pipe.drain()


class FakeStreamReader:
    def __init__(self, pipe: asyncio.StreamReader, text: bool) -> None:
        self.pipe, self.text = pipe, text

    async def __aiter__(self) -> AsyncIterator[Any]:
        decoder = None
        if self.text:
            import codecs

            decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        while chunk := await self.pipe.read(CHUNK):
            yield decoder.decode(chunk) if decoder else chunk


@dataclass
class ProcessCount:
    """How many fake sandbox processes are still running (for the clean-shutdown test)."""

    running: int = 0
    pids: list[int] = field(default_factory=list)


def running_processes(fake: FakeModal) -> ProcessCount:
    count = ProcessCount()
    for sandbox in fake.sandboxes:
        for process in sandbox.processes:
            if process.returncode is None:
                count.running += 1
                count.pids.append(process.proc.pid)
    return count
