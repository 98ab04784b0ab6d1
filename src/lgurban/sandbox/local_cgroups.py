"""cgroup v1 for the local backend, host side: one parent per backend (memory sized from the machine) and one
cgroup per sandbox in each of memory, pids, cpu, cpuacct and freezer. The host creates them; the zygote's
child C joins them (bubblewrap binds the parents read-write at /opt/lgurban/cg/<i>, and C unmounts them
before any user code runs) so every process of the sandbox is inside from the start."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

CGROOT = Path("/sys/fs/cgroup")
CONTROLLERS = ("memory", "pids", "cpu", "cpuacct", "freezer")
INSIDE = "/opt/lgurban/cg"
PERIOD_US = 100_000


def machine_memory_bytes() -> int:
    with open("/proc/meminfo") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("MemTotal:"))


def parent_memory_bytes(per_sandbox_mb: int, max_live: int) -> int:
    """The cap around all sandboxes: their sum plus the fork server, never above 75 % of the machine."""
    return min((per_sandbox_mb * max_live + 1024) * 2**20, machine_memory_bytes() * 3 // 4)


def make_parents(name: str, memory_bytes: int, max_pids: int) -> tuple[list[Path], list[str]]:
    """The backend's parent cgroup in each controller this host lets us write; a note for each other."""
    made, notes = [], []
    _sweep_stale(name.split("-")[0])
    seen: set[str] = set()
    for ctl in CONTROLLERS:
        base = CGROOT / ctl
        if not base.is_dir() or os.path.realpath(base) in seen:
            continue
        seen.add(os.path.realpath(base))
        path = base / name
        try:
            path.mkdir(exist_ok=True)
            if ctl == "memory":
                (path / "memory.limit_in_bytes").write_text(str(memory_bytes))
            elif ctl == "pids":
                (path / "pids.max").write_text(str(max_pids))
            made.append(path)
        except OSError:
            notes.append(f"cgroup {ctl} not writable")
    return made, notes


def make_sandbox(parents: list[Path], name: str, *, memory_mb: int, max_pids: int, cpus: float) -> list[Path]:
    """One sandbox's cgroups (raises OSError when the host refuses)."""
    made = []
    for parent in parents:
        path = parent / name
        path.mkdir(exist_ok=True)
        made.append(path)
        ctl = parent.parent.name
        if ctl == "memory":
            (path / "memory.limit_in_bytes").write_text(str(memory_mb * 2**20))
        elif ctl == "pids":
            (path / "pids.max").write_text(str(max_pids))
        elif ctl == "cpu" and cpus > 0:
            (path / "cpu.cfs_period_us").write_text(str(PERIOD_US))
            (path / "cpu.cfs_quota_us").write_text(str(max(1000, int(cpus * PERIOD_US))))
    return made


def inside_paths(parents: list[Path], name: str) -> list[str]:
    """Where the zygote sees a sandbox's cgroups (parents bound in the order given)."""
    return [f"{INSIDE}/{i}/{name}" for i in range(len(parents))]


def _controller(cgroups: list[Path], ctl: str) -> Path | None:
    return next((cg for cg in cgroups if cg.parent.parent.name == ctl), None)


def cpu_usage_ns(cgroups: list[Path]) -> int | None:
    cg = _controller(cgroups, "cpuacct")
    try:
        return int((cg / "cpuacct.usage").read_text()) if cg else None
    except (OSError, ValueError):
        return None


def oom_kills(cgroups: list[Path]) -> int:
    cg = _controller(cgroups, "memory")
    with contextlib.suppress(OSError, ValueError, StopIteration):
        if cg is not None:
            text = (cg / "memory.oom_control").read_text().splitlines()
            return int(next(line.split()[1] for line in text if line.startswith("oom_kill ")))
    return 0


def set_frozen(cgroups: list[Path], frozen: bool) -> None:
    cg = _controller(cgroups, "freezer")
    if cg is not None:
        with contextlib.suppress(OSError):
            (cg / "freezer.state").write_text("FROZEN" if frozen else "THAWED")


def kill_background(cgroups: list[Path]) -> tuple[int, int | None]:
    """SIGKILL every process of the sandbox but its pid 1 (R) and the driver (pid 2): how many were killed,
    and the driver's host pid. C, outside the sandbox's pid namespace, is one level shallower and is kept."""
    cg = _controller(cgroups, "pids") or (cgroups[0] if cgroups else None)
    if cg is None:
        return 0, None
    levels: dict[int, list[int]] = {}
    try:
        pids = [int(p) for p in (cg / "cgroup.procs").read_text().split()]
    except (OSError, ValueError):
        return 0, None
    for pid in pids:
        with contextlib.suppress(OSError, StopIteration, ValueError):
            with open(f"/proc/{pid}/status") as f:
                levels[pid] = [int(x) for x in next(ln for ln in f if ln.startswith("NSpid:")).split()[1:]]
    depth = max((len(v) for v in levels.values()), default=0)
    killed, driver = 0, None
    for pid, ns in levels.items():
        if len(ns) == depth and ns[-1] == 2:
            driver = pid
        elif len(ns) == depth and ns[-1] > 2:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                killed += 1
    return killed, driver


def has_processes(cgroups: list[Path]) -> bool:
    """Whether any process of the sandbox is still alive (False when it has no cgroup to tell)."""
    cg = _controller(cgroups, "pids") or (cgroups[0] if cgroups else None)
    if cg is None:
        return False
    try:
        return bool((cg / "cgroup.procs").read_text().split())
    except OSError:
        return False


def remove(cgroups: list[Path]) -> bool:
    """rmdir each (children first); False while processes are still leaving."""
    ok = True
    for cg in cgroups:
        for child in [c for c in cg.iterdir() if c.is_dir()] if cg.is_dir() else []:
            with contextlib.suppress(OSError):
                child.rmdir()
        try:
            cg.rmdir()
        except FileNotFoundError:
            pass
        except OSError:
            ok = False
    return ok


def _sweep_stale(prefix: str) -> None:
    """Remove empty cgroups left by servers that died before they could (their pid is in the name)."""
    for ctl in CONTROLLERS:
        for path in (CGROOT / ctl).glob(f"{prefix}-*"):
            pid = path.name.split("-")[1]
            if pid.isdigit() and not Path("/proc", pid).exists():
                remove([path])
