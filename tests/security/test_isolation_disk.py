"""Finding 7: a workspace has a disk quota (SANDBOX_DISK_MB); a cell writing past it gets a clear error, the
other workspaces and the server are unaffected, and deleting files makes room again."""

from __future__ import annotations

import uuid
from pathlib import Path

from lgurban.sandbox.manager import SandboxManager
from tests.sandbox.conftest import local_backend, sandbox_settings

WRITE = (
    "import os\n"
    "os.makedirs('big', exist_ok=True)\n"
    "chunk = b'1' * 2**20\n"
    "for i in range({files}):\n"
    "    with open(f'big/f{{i}}.bin', 'wb') as f:\n"
    "        for _ in range(10):\n"
    "            f.write(chunk)\n"
    "'written'"
)


async def test_writing_past_the_workspace_quota_is_a_clear_error(tmp_path: Path) -> None:
    settings = sandbox_settings(tmp_path, sandbox_disk_mb=50, sandbox_max_file_mb=20)
    m = SandboxManager(settings, local_backend(settings))
    await m.start()
    try:
        hog, other = uuid.uuid4(), uuid.uuid4()
        res = await m.execute(hog, WRITE.format(files=200))  # 2 GB into 50 MB
        assert not res.ok and res.error is not None
        assert res.error.name == "OSError" and "workspace is full" in res.error.value, res.error
        assert "SANDBOX_DISK_MB=50" in res.error.value
        root = m.workspace(hog).root  # type: ignore[attr-defined]
        used = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
        assert used < 50 * 2**20 + 600 * 2**20  # stopped long before 2 GB (bounded overshoot)
        res = await m.execute(other, WRITE.format(files=2))  # another workspace: its own quota
        assert res.ok, res.error
        res = await m.execute(hog, "import shutil\nshutil.rmtree('big')\n'freed'")
        assert res.ok, res.error
        res = await m.execute(hog, WRITE.format(files=2))
        assert res.ok, res.error
    finally:
        await m.close()
