"""The sandbox's seccomp policy: a small classic-BPF program, generated here, that makes the kernel answer
EPERM to the system calls user code has no business making (new user namespaces, keyrings, BPF, perf,
ptrace, mounts, modules, kexec, swap, reboot, handle-based opens, userfaultfd, …).

Standard library only: the zygote imports it inside the sandbox (no lgurban package there). No binding is
used: `pyseccomp` needs libseccomp.so in every sandbox image and is unmaintained since 2021; the filter is ~60
instructions, so it is written out directly (see seccomp(2), linux/filter.h, linux/seccomp.h).
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct

PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2
RET_ALLOW, RET_ERRNO = 0x7FFF0000, 0x00050000
LD_ABS, JEQ, JGE, JSET, RET = 0x20, 0x15, 0x35, 0x45, 0x06  # BPF_LD|W|ABS, BPF_JMP|K variants, BPF_RET|K
OFF_NR, OFF_ARCH, OFF_ARG0 = 0, 4, 16  # struct seccomp_data (args[0]'s low 32 bits on little-endian)
CLONE_NEWUSER = 0x10000000
X32_SYSCALL_BIT = 0x40000000

DENIED = (
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp",
    "keyctl", "add_key", "request_key",
    "bpf", "perf_event_open", "userfaultfd", "syslog", "lookup_dcookie",
    "mount", "umount2", "pivot_root", "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick",
    "mount_setattr", "setns",
    "swapon", "swapoff", "reboot", "kexec_load", "kexec_file_load", "acct", "quotactl",
    "init_module", "finit_module", "delete_module",
    "name_to_handle_at", "open_by_handle_at", "iopl", "ioperm",
)  # fmt: skip

# audit arch, then syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl, include/uapi/asm-generic/unistd.h)
ARCHES: dict[str, tuple[int, dict[str, int]]] = {
    "x86_64": (0xC000003E, {
        "clone": 56, "clone3": 435, "unshare": 272, "ptrace": 101, "syslog": 103, "pivot_root": 155,
        "acct": 163, "mount": 165, "umount2": 166, "swapon": 167, "swapoff": 168, "reboot": 169, "iopl": 172,
        "ioperm": 173, "init_module": 175, "delete_module": 176, "quotactl": 179, "lookup_dcookie": 212,
        "kexec_load": 246, "add_key": 248, "request_key": 249, "keyctl": 250, "perf_event_open": 298,
        "name_to_handle_at": 303, "open_by_handle_at": 304, "setns": 308, "process_vm_readv": 310,
        "process_vm_writev": 311, "kcmp": 312, "finit_module": 313, "kexec_file_load": 320, "bpf": 321,
        "userfaultfd": 323, "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431,
        "fsmount": 432, "fspick": 433, "mount_setattr": 442,
    }),
    "aarch64": (0xC00000B7, {
        "clone": 220, "clone3": 435, "unshare": 97, "ptrace": 117, "syslog": 116, "pivot_root": 41,
        "acct": 89, "mount": 40, "umount2": 39, "swapon": 224, "swapoff": 225, "reboot": 142,
        "init_module": 105, "delete_module": 106, "quotactl": 60, "lookup_dcookie": 18, "kexec_load": 104,
        "add_key": 217, "request_key": 218, "keyctl": 219, "perf_event_open": 241, "name_to_handle_at": 264,
        "open_by_handle_at": 265, "setns": 268, "process_vm_readv": 270, "process_vm_writev": 271,
        "kcmp": 272, "finit_module": 273, "kexec_file_load": 294, "bpf": 280, "userfaultfd": 282,
        "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
        "mount_setattr": 442,
    }),
}  # fmt: skip


def program(machine: str | None = None) -> list[tuple[int, int, int, int]]:
    """The filter as (code, jt, jf, k) instructions for this machine's architecture."""
    machine = machine or platform.machine()
    arch, nr = ARCHES[machine]
    eperm = RET_ERRNO | errno.EPERM
    prog = [(LD_ABS, 0, 0, OFF_ARCH), (JEQ, 1, 0, arch), (RET, 0, 0, eperm), (LD_ABS, 0, 0, OFF_NR)]
    if machine == "x86_64":
        prog += [(JGE, 0, 1, X32_SYSCALL_BIT), (RET, 0, 0, eperm)]  # the x32 ABI's numbers: none allowed
    for name in DENIED:
        if name in nr:
            prog += [(JEQ, 0, 1, nr[name]), (RET, 0, 0, eperm)]
    # clone3 passes its flags in memory a filter cannot read: ENOSYS makes glibc fall back to clone
    prog += [(JEQ, 0, 1, nr["clone3"]), (RET, 0, 0, RET_ERRNO | errno.ENOSYS)]
    prog += [
        (JEQ, 1, 0, nr["clone"]),
        (JEQ, 0, 3, nr["unshare"]),
        (LD_ABS, 0, 0, OFF_ARG0),
        (JSET, 0, 1, CLONE_NEWUSER),  # a new user namespace would give uid 0 and every capability in it
        (RET, 0, 0, eperm),
        (RET, 0, 0, RET_ALLOW),
    ]
    return prog


def install() -> None:
    """Apply the filter to the calling thread and everything it starts (no_new_privs must already be set)."""
    prog = program()
    buf = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *ins) for ins in prog))

    class FProg(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = FProg(len(prog), ctypes.addressof(buf))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"seccomp: {errno.errorcode.get(err, err)}")
