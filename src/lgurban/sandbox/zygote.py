"""The local backend's fork server. Runs inside bubblewrap (no network, read-only host, all workspaces at
/workspaces), imports the data libraries once, then forks one sandbox per request:

  C  (child of the zygote) enters new mount/pid/ipc/network (loopback only) namespaces, binds only its
     thread's workspace at /workspace, unmounts /workspaces, forks R and reports R's pid;
  R  (pid 1 of the new pid namespace) mounts a fresh /proc and a private /tmp, hands the workspace to the
     session uid, forks D and then only reaps; killing R kills every process of the session;
  D  sets resource limits, drops to the unprivileged session uid (no capabilities, no_new_privs), builds its
     environment from scratch, installs the seccomp filter (seccomp.py) and runs the driver on the socket
     the host passed in.

Standard library only; no lgurban imports (the package source is not mounted in the sandbox). The control
channel is a SOCK_SEQPACKET socket (one JSON message per packet, the session socket attached with SCM_RIGHTS).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import gc
import json
import os
import resource
import signal
import socket
import struct
import sys
import time

CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWIPC, CLONE_NEWNET = 0x00020000, 0x20000000, 0x08000000, 0x40000000
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP, PR_SET_DUMPABLE = 38, 24, 4
WORKSPACES, WORKSPACE = "/workspaces", "/workspace"

libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(src: str | None, dst: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = lambda s: s.encode() if s is not None else None  # noqa: E731
    _check(libc.mount(enc(src), enc(dst), enc(fstype), flags, enc(data)), f"mount {dst}")


def enter_namespaces(name: str, cgroups: list[str]) -> None:
    """C: its sandbox's cgroups (every later process is inside), own mount/pid/ipc/network namespaces;
    only this thread's workspace stays visible, the cgroup folders do not."""
    for cg in cgroups:
        with open(os.path.join(cg, "cgroup.procs"), "w") as f:
            f.write("0")  # cgroup v1: the writing process
    _check(libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNET), "unshare")
    loopback_up()
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount(os.path.join(WORKSPACES, name), WORKSPACE, None, MS_BIND | MS_REC)
    _check(libc.umount2(WORKSPACES.encode(), MNT_DETACH), "umount /workspaces")
    for cg in cgroups:
        _check(libc.umount2(os.path.dirname(cg).encode(), MNT_DETACH), "umount cgroup")


def loopback_up() -> None:
    """A new network namespace has only `lo`, down: bring it up (SIOCSIFFLAGS) so local servers work."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        req = struct.pack("16sh22x", b"lo", 0)
        flags = struct.unpack("16sh22x", fcntl.ioctl(s.fileno(), SIOCGIFFLAGS, req))[1]
        fcntl.ioctl(s.fileno(), SIOCSIFFLAGS, struct.pack("16sh22x", b"lo", flags | IFF_UP))


def init_session_fs(tmp_mb: int) -> None:
    """R (pid 1 of the session): /proc of this pid namespace only, private size-capped /tmp and /dev/shm."""
    try:
        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV)  # over bubblewrap's: shows this sandbox only
    except PermissionError:
        # inside a user namespace (non-root host) the kernel refuses a new proc while bubblewrap's has masked
        # entries; bubblewrap's stays, and non-dumpable sandboxes (drop_privileges) keep each other's
        # /proc/<pid> entries unreadable
        pass
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={tmp_mb}m,mode=1777")
    # POSIX shared memory (multiprocessing's locks and queues): private too, the same size cap as /tmp and
    # charged to the sandbox's memory cgroup; bubblewrap's /dev stays read-only around it
    _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, f"size={tmp_mb}m,mode=1777")


def give_workspace(path: str, uid: int) -> None:
    """The session uid owns its workspace (host-written files too): it writes there and nowhere else."""
    for root, dirs, files in os.walk(path):
        for entry in [root, *(os.path.join(root, n) for n in dirs + files)]:
            try:
                st = os.lstat(entry)
                if st.st_uid != uid:
                    os.lchown(entry, uid, uid)
            except OSError:
                continue


def drop_privileges(uid: int | None) -> None:
    """Become the unprivileged session uid with no capabilities left and no way to gain new ones.

    uid None: the unsandboxed mode (SANDBOX_REQUIRE_ISOLATION=false on a host without bubblewrap) keeps the
    server's user, so the interpreter's files stay readable; only no_new_privs and the rlimits apply."""
    if uid is None:
        pass
    elif os.getuid() == 0 and _in_initial_userns():
        for cap in range(64):
            libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    else:  # inside a user namespace (non-root host): one uid only; drop every capability instead
        for cap in range(64):
            libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
        _drop_all_caps()
        _check(libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "dumpable")
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def _in_initial_userns() -> bool:
    try:
        with open("/proc/self/uid_map") as f:
            return f.read().split() == ["0", "0", "4294967295"]
    except OSError:
        return False


def _drop_all_caps() -> None:
    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [
            ("effective", ctypes.c_uint32),
            ("permitted", ctypes.c_uint32),
            ("inheritable", ctypes.c_uint32),
        ]

    header, data = Header(0x20080522, 0), (Data * 2)()
    _check(libc.capset(ctypes.byref(header), ctypes.byref(data)), "capset")


def set_limits(limits: dict[str, int]) -> None:
    with open("/proc/self/status") as f:
        vm_kb = next(int(line.split()[1]) for line in f if line.startswith("VmSize:"))
    mem = vm_kb * 1024 + limits["memory_mb"] * 1024 * 1024
    for res, value in (
        (resource.RLIMIT_AS, mem),
        (resource.RLIMIT_CPU, limits["cpu_time_s"]),
        (resource.RLIMIT_NPROC, limits["max_processes"]),
        (resource.RLIMIT_FSIZE, limits["max_file_mb"] * 1024 * 1024),
        (resource.RLIMIT_NOFILE, limits["max_open_files"]),
        (resource.RLIMIT_CORE, 0),
    ):
        resource.setrlimit(res, (value, value))


def session_env(workdir: str) -> dict[str, str]:
    """Built from nothing: no variable of the server (or of anyone else) reaches user code."""
    bin_dir = os.path.dirname(sys.executable)
    return {
        "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp",
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "PWD": workdir,
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp/.matplotlib",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
    }


def fork() -> int:
    """os.fork, waiting out EAGAIN: a fork bomb just killed holds the process limit until it is reaped."""
    deadline = time.monotonic() + 3.0
    while True:
        try:
            return os.fork()
        except OSError as exc:  # EAGAIN, or ENOMEM from a pids cgroup still full
            if exc.errno not in (errno.EAGAIN, errno.ENOMEM) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def run_session(req: dict, session_fd: int, report_fd: int, isolated: bool) -> None:
    """Runs in C; never returns."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    name, uid = req["name"], int(req["uid"])
    if isolated:
        enter_namespaces(name, list(req.get("cgroups") or []))
        workdir = WORKSPACE
    else:
        workdir = os.path.join(req["workspaces"], name)
    r_pid = fork()
    if r_pid == 0:
        os.close(report_fd)
        try:
            run_pid1(req, session_fd, workdir, uid, isolated)
        except BaseException as exc:
            report_failure(session_fd, exc)
    os.write(report_fd, json.dumps({"pid": r_pid}).encode())
    os.close(report_fd)
    _, status = os.waitpid(r_pid, 0)
    # C still holds the session socket: tell the host how the sandbox ended before the channel closes
    code = os.waitstatus_to_exitcode(status)
    with contextlib.suppress(OSError):
        line = {"v": 1, "type": "exit", "code": code, "reason": describe_exit(code)}
        os.write(session_fd, (json.dumps(line) + "\n").encode())
    os._exit(0)


def describe_exit(code: int) -> str:
    if code >= 128:  # pid 1 passes on the driver's fate as 128 + signal
        code = -(code - 128)
    if code == -signal.SIGKILL:
        return "killed (SIGKILL): out of memory, a resource limit, or stopped by the host"
    if code == -signal.SIGXCPU:
        return "CPU time limit reached"
    if code < 0:
        return f"killed by signal {signal.Signals(-code).name}"
    return f"the sandbox process exited with code {code}"


def run_pid1(req: dict, session_fd: int, workdir: str, uid: int, isolated: bool) -> None:
    """R: pid 1 of the sandbox. Sets up its filesystem, starts the driver, then only reaps; never returns."""
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    if isolated:
        init_session_fs(int(req["limits"]["tmp_mb"]))
    if isolated and os.getuid() == 0 and _in_initial_userns():
        give_workspace(workdir, uid)
    d_pid = fork()
    if d_pid == 0:
        try:
            run_driver(session_fd, workdir, uid if isolated else None, req["limits"])
        except BaseException as exc:
            report_failure(session_fd, exc)
    os.close(session_fd)
    drop_privileges(uid if isolated else None)
    while True:  # reap orphans; leave (taking the whole pid namespace along) when the driver ends
        try:
            pid, status = os.wait()
        except ChildProcessError:
            os._exit(0)
        if pid == d_pid:
            code = os.waitstatus_to_exitcode(status)
            os._exit(128 - code if code < 0 else code & 0x7F)


def report_failure(session_fd: int, exc: BaseException) -> None:
    """Say on the channel why set-up failed (the host shows it instead of "exit code 1"); never returns."""
    line = {"v": 1, "type": "exit", "reason": f"sandbox set-up failed: {type(exc).__name__}: {exc}"}
    with contextlib.suppress(OSError):
        os.write(session_fd, (json.dumps(line) + "\n").encode())
    os._exit(1)


def run_driver(session_fd: int, workdir: str, uid: int | None, limits: dict[str, int]) -> None:
    import driver
    import seccomp

    os.chdir(workdir)
    set_limits(limits)
    drop_privileges(uid)
    seccomp.install()  # last step of set-up: user code never runs without the filter
    start_reaper()
    os.environ.clear()
    os.environ.update(session_env(workdir))
    driver.serve(session_fd, session_fd, workdir)


def start_reaper() -> None:
    """D: a thread that, when the host sends SIGURG (between cells, after it killed the leftovers of the last
    one), reaps every exited child, so no zombie outlives a cell by more than SANDBOX_BACKGROUND_GRACE_S.
    A child the user's code meant to wait for in a later cell then reports returncode 0 (ECHILD)."""
    import threading

    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGURG})

    def loop() -> None:
        while True:
            signal.sigwait({signal.SIGURG})
            with contextlib.suppress(ChildProcessError):
                while os.waitpid(-1, os.WNOHANG)[0] > 0:
                    pass

    threading.Thread(target=loop, name="zombie-reaper", daemon=True).start()


def main() -> None:
    control_fd = int(sys.argv[sys.argv.index("--control-fd") + 1])
    isolated = "--no-isolation" not in sys.argv
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import driver
    import seccomp  # noqa: F401  (imported once here, shared by every fork)

    driver.preload()
    threads = len(os.listdir("/proc/self/task"))
    if threads > 1:  # forking a multi-threaded process can copy a lock some other thread held
        print(f"warning: the fork server has {threads} threads after preloading", file=sys.stderr, flush=True)
    control = socket.socket(fileno=control_fd)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # C processes are reaped by the kernel
    gc.collect()
    gc.freeze()  # keep the preloaded heap shared with every fork (no copy-on-write from the collector)
    control.send(json.dumps({"type": "ready", "pid": os.getpid()}).encode())
    while True:
        msg, fds, _flags, _addr = socket.recv_fds(control, 65536, 4)
        if not msg:
            os._exit(0)
        req = json.loads(msg)
        if req.get("op") == "kill":
            for kill in (os.killpg, os.kill):
                try:
                    kill(int(req["pid"]), signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            continue
        if req.get("op") != "spawn" or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            control.send(json.dumps({"id": req.get("id"), "error": "bad request"}).encode())
            continue
        reply = spawn(req, fds[0], control_fd, isolated)
        control.send(json.dumps({"id": req["id"], **reply}).encode())


def spawn(req: dict, session_fd: int, control_fd: int, isolated: bool) -> dict:
    report_r, report_w = os.pipe()
    pid = fork()
    if pid == 0:
        try:
            os.close(control_fd)
            os.close(report_r)
            run_session(req, session_fd, report_w, isolated)
        except BaseException as exc:
            try:
                os.write(report_w, json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode())
            finally:
                os._exit(1)
    os.close(session_fd)
    os.close(report_w)
    with os.fdopen(report_r, "rb") as f:
        data = f.read()
    try:
        return json.loads(data) if data else {"error": "sandbox set-up failed"}
    except ValueError:
        return {"error": "sandbox set-up failed"}


if __name__ == "__main__":
    main()
