"""The workspace disk quota of the local backend (SANDBOX_DISK_MB), by accounting: the host measures a
workspace's allocated blocks while a cell runs (every POLL_S) and when it returns; a cell that grows the
workspace past the quota is interrupted and its result becomes an OSError (ENOSPC) saying so. Files stay (the
next cells can read and delete them); every cell that grows the workspace further fails the same way.

Why accounting and not a hard limit: a loop-mounted image per workspace needs mount rights in the initial
user namespace and loop devices (not on non-root or container hosts), project quotas need a filesystem
mounted with them. The overshoot is bounded by POLL_S of writing and, per file, by RLIMIT_FSIZE
(SANDBOX_MAX_FILE_MB)."""

from __future__ import annotations

import os
from pathlib import Path

POLL_S = 0.25


def usage_bytes(root: Path) -> int:
    """Allocated bytes under root (st_blocks: sparse files count what they use); symlinks not followed."""
    total, stack = 0, [str(root)]
    while stack:
        try:
            with os.scandir(stack.pop()) as it:
                for entry in it:
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    total += st.st_blocks * 512
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
        except OSError:
            continue
    return total


def full_error(used: int, quota_mb: int) -> dict[str, str]:
    value = (
        f"[Errno 28] No space left on device: the workspace is full: {used / 2**20:,.0f} MB of "
        f"SANDBOX_DISK_MB={quota_mb} MB. Delete files (or write smaller ones) and run the cell again."
    )
    return {"name": "OSError", "value": value, "traceback": f"OSError: {value}\n"}
