"""Finding 9: a seccomp filter answers EPERM to new user namespaces, keyrings, BPF, perf, ptrace, mounts…;
ordinary data work and subprocesses still run."""

from __future__ import annotations

import uuid

import pytest

from lgurban.sandbox.manager import SandboxManager

SYSCALL = (
    "import ctypes, os, platform\n"
    "libc = ctypes.CDLL(None, use_errno=True)\n"
    "NR = {{'x86_64': {x86}, 'aarch64': {arm}}}[platform.machine()]\n"
    "r = libc.syscall(NR, {args})\n"
    "print(r, os.strerror(ctypes.get_errno()) if r < 0 else '')\n"
)
CALLS = {
    # name: (x86_64 nr, aarch64 nr, arguments)
    "keyctl": (250, 219, "0, 0, 0, 0, 0"),  # KEYCTL_GET_KEYRING_ID
    "add_key": (248, 217, "b'user', b'k', b'v', 1, -3"),
    "bpf": (321, 280, "0, 0, 0"),
    "perf_event_open": (298, 241, "0, 0, -1, -1, 0"),
    "ptrace": (101, 117, "16, os.getppid(), 0, 0"),  # PTRACE_ATTACH
    "mount": (165, 40, "b'none', b'/tmp', b'tmpfs', 0, 0"),
    "unshare": (272, 97, "0x10000000"),  # CLONE_NEWUSER
    "userfaultfd": (323, 282, "0"),
    "process_vm_readv": (310, 270, "os.getppid(), 0, 0, 0, 0, 0"),
}


@pytest.mark.parametrize("name", sorted(CALLS))
async def test_dangerous_syscalls_are_denied(
    manager: SandboxManager, thread_id: uuid.UUID, name: str
) -> None:
    x86, arm, args = CALLS[name]
    res = await manager.execute(thread_id, SYSCALL.format(x86=x86, arm=arm, args=args))
    assert res.ok, res.error
    assert res.stdout.strip() == "-1 Operation not permitted", (name, res.stdout)


async def test_no_root_in_a_new_user_namespace(manager: SandboxManager, thread_id: uuid.UUID) -> None:
    code = (
        "import subprocess\n"
        "p = subprocess.run(['unshare', '-Ur', 'id', '-u'], capture_output=True, text=True)\n"
        "print(p.returncode, p.stdout.strip())"
    )
    res = await manager.execute(thread_id, code)
    assert res.ok, res.error
    code, out = [*res.stdout.split(), ""][:2]
    assert code != "0" and out != "0", res.stdout


async def test_ordinary_work_still_runs_under_the_filter(
    manager: SandboxManager, thread_id: uuid.UUID
) -> None:
    code = (
        "import os, subprocess, threading, numpy as np, pandas as pd\n"
        "import matplotlib.pyplot as plt\n"
        "plt.plot([1, 2, 3]); plt.savefig('artifacts/p.png')\n"
        "t = threading.Thread(target=lambda: None); t.start(); t.join()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    os._exit(7)\n"
        "squares = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])\n"
        "out = subprocess.run(['sh', '-c', 'echo hi'], capture_output=True, text=True).stdout\n"
        "print(out.strip(), squares, int(np.arange(10).sum()), len(pd.DataFrame({'a': [1, 2]})))"
    )
    res = await manager.execute(thread_id, code)
    assert res.ok, res.error
    assert res.stdout.strip() == "hi 7 45 2"
