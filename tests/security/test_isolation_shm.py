"""/dev/shm is each sandbox's own: multiprocessing works in a cell, and no sandbox sees another's segments."""

from __future__ import annotations

import uuid

from lgurban.sandbox.manager import SandboxManager

POOL = (
    "import multiprocessing as mp\n"
    "with mp.Pool(2) as pool:\n"
    "    squares = pool.map(abs, [-1, -2, -3])\n"
    "squares"
)


async def test_multiprocessing_pool_runs_in_a_cell(manager: SandboxManager, thread_id: uuid.UUID) -> None:
    res = await manager.execute(thread_id, POOL, timeout_s=30)
    assert res.ok, res.error
    assert res.outputs[-1].data == "[1, 2, 3]"


async def test_shared_memory_is_private_to_each_sandbox(
    manager: SandboxManager, thread_id: uuid.UUID
) -> None:
    other = uuid.uuid4()
    made = await manager.execute(
        other,
        "from multiprocessing import shared_memory\n"
        "seg = shared_memory.SharedMemory(name='lgurban-shm-probe', create=True, size=16)\n"
        "seg.buf[:6] = b'secret'\n"
        "import os\nsorted(os.listdir('/dev/shm'))",
    )
    assert made.ok, made.error
    assert "lgurban-shm-probe" in made.outputs[-1].data
    seen = await manager.execute(thread_id, "import os\nsorted(os.listdir('/dev/shm'))")
    assert seen.ok and seen.outputs[-1].data == "[]"
