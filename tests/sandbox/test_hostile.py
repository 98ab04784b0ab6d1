"""Hostile code on the local backend: every attack fails or is contained; the result says what happened."""

from __future__ import annotations

import asyncio
import socket
import time
import uuid

from lgurban.sandbox.manager import SandboxManager
from tests.sandbox.conftest import FAKE_SECRETS


async def test_huge_allocation_is_a_memory_error_and_others_are_fine(
    manager: SandboxManager, thread_id: uuid.UUID
) -> None:
    other = uuid.uuid4()
    await manager.execute(other, "v = 123")
    res = await manager.execute(thread_id, "x = bytearray(10**11)")
    assert res.error is not None and res.error.name == "MemoryError"
    res = await manager.execute(thread_id, "chunks = []\nwhile True:\n    chunks.append(bytearray(10**7))")
    assert res.error is not None and res.error.name in ("MemoryError", "SandboxCrashed")
    res = await manager.execute(other, "v")
    assert res.ok and res.outputs[0].data == "123"


async def test_fork_bomb_is_contained(manager: SandboxManager, thread_id: uuid.UUID) -> None:
    other = uuid.uuid4()
    await manager.execute(other, "w = 'other thread'")
    res = await manager.execute(thread_id, "import os\nwhile True:\n    os.fork()", timeout_s=5)
    assert not res.ok
    assert res.error is not None and res.error.name in ("BlockingIOError", "TimeoutError", "SandboxCrashed")
    res = await manager.execute(thread_id, "'alive'")
    assert res.ok and res.outputs[0].data == "'alive'"
    res = await manager.execute(other, "w")
    assert res.ok and res.outputs[0].data == "'other thread'"


async def test_killing_the_parent_or_exiting_is_contained(
    manager: SandboxManager, thread_id: uuid.UUID
) -> None:
    await manager.execute(thread_id, "a = 1")
    res = await manager.execute(
        thread_id, "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n'after'"
    )
    assert res.ok or (res.error is not None and res.error.name == "SandboxCrashed")
    res = await manager.execute(thread_id, "import sys\nsys.exit(3)")
    assert res.error is not None and res.error.name == "SystemExit" and res.error.value == "3"


async def test_closing_stdout_does_not_break_the_sandbox(
    manager: SandboxManager, thread_id: uuid.UUID
) -> None:
    await manager.execute(thread_id, "import os, sys\nsys.stdout.close()\nos.close(1)\nos.close(2)")
    res = await manager.execute(thread_id, "print('back')")
    assert res.ok and res.stdout == "back\n"


async def test_printing_a_gigabyte_is_capped_quickly(manager: SandboxManager, thread_id: uuid.UUID) -> None:
    started = time.monotonic()
    res = await manager.execute(thread_id, "line = 'x' * 2**20\nfor _ in range(1024):\n    print(line)")
    assert time.monotonic() - started < 15
    head, _, marker = res.stdout.rpartition("\n[… ")  # the head within the limit, then what was dropped
    assert res.ok and len(head) == manager.settings.sandbox_output_limit_bytes and "bytes truncated" in marker
    assert any("stdout was cut" in n for n in res.notes)


async def test_writing_ten_gigabytes_hits_the_file_size_limit(
    manager: SandboxManager, thread_id: uuid.UUID
) -> None:
    code = (
        "chunk = b'0' * 2**20\n"
        "with open('artifacts/big.bin', 'wb') as f:\n"
        "    for _ in range(10 * 1024):\n"
        "        f.write(chunk)"
    )
    res = await manager.execute(thread_id, code)
    assert res.error is not None and res.error.name == "OSError" and "File too large" in res.error.value
    size = (manager.workspace(thread_id).root / "artifacts" / "big.bin").stat().st_size  # type: ignore[attr-defined]
    assert size <= manager.settings.sandbox_max_file_mb * 2**20


async def test_no_secret_reaches_the_sandbox(manager: SandboxManager, thread_id: uuid.UUID) -> None:
    code = (
        "import os\n"
        "seen = [repr(dict(os.environ))]\n"
        "for pid in os.listdir('/proc'):\n"
        "    if pid.isdigit():\n"
        "        try:\n"
        "            seen.append(open(f'/proc/{pid}/environ', 'rb').read().decode(errors='replace'))\n"
        "        except OSError as e:\n"
        "            seen.append(type(e).__name__)\n"
        "print('\\n'.join(seen))"
    )
    res = await manager.execute(thread_id, code)
    assert res.ok, res.error
    for value in FAKE_SECRETS.values():
        assert value not in res.stdout
    for name in FAKE_SECRETS:
        assert name not in res.stdout
    res = await manager.execute(thread_id, "open('/proc/1/environ').read()")
    assert res.error is not None and res.error.name == "PermissionError"


async def test_no_network_even_to_loopback(manager: SandboxManager, thread_id: uuid.UUID) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        for target in (5432, port):
            code = f"import socket\nsocket.create_connection(('127.0.0.1', {target}), timeout=2)"
            res = await manager.execute(thread_id, code)
            assert res.error is not None and res.error.name in ("ConnectionRefusedError", "OSError"), (
                res.error
            )
        res = await manager.execute(thread_id, "import socket\nsocket.getaddrinfo('example.com', 80)")
        assert res.error is not None and res.error.name == "gaierror"


async def test_only_the_workspace_and_tmp_are_writable(manager: SandboxManager, thread_id: uuid.UUID) -> None:
    for path in ("/usr/evil", "/etc/evil", "/opt/lgurban/evil", "/evil", "/workspaces/evil", "/dev/evil"):
        res = await manager.execute(thread_id, f"open({path!r}, 'w').write('x')")
        assert res.error is not None and res.error.name in (
            "OSError",
            "PermissionError",
            "FileNotFoundError",
        ), path
    res = await manager.execute(
        thread_id, "open('/tmp/ok', 'w').write('x')\nopen('datasets/ok.txt', 'w').write('y')"
    )
    assert res.ok
    assert (manager.workspace(thread_id).root / "datasets" / "ok.txt").read_text() == "y"  # type: ignore[attr-defined]


async def test_another_threads_workspace_is_invisible(manager: SandboxManager, thread_id: uuid.UUID) -> None:
    victim = uuid.uuid4()
    code = "open('datasets/secret.txt', 'w').write('victim-secret-123')\nopen('/tmp/t.txt', 'w').write('tmp')"
    res = await manager.execute(victim, code)
    assert res.ok
    res = await manager.execute(thread_id, "import os\nos.path.exists('/tmp/t.txt')")
    assert res.outputs[0].data == "False"  # /tmp is private to each sandbox
    attempts = [
        f"open('/workspaces/{victim}/datasets/secret.txt').read()",
        f"open('../{victim}/datasets/secret.txt').read()",
        f"open('/workspace/../workspaces/{victim}/datasets/secret.txt').read()",
        "import glob\nprint(glob.glob('/proc/*/cwd/datasets/*'), glob.glob('/proc/*/root/workspace/*/*'))",
    ]
    for code in attempts:
        res = await manager.execute(thread_id, code)
        assert "victim-secret-123" not in res.stdout + "".join(o.data for o in res.outputs), code
        assert "secret.txt" not in res.stdout


async def test_invalid_python_is_a_syntax_error_result(manager: SandboxManager, thread_id: uuid.UUID) -> None:
    res = await manager.execute(thread_id, "def f(:\n  pass")
    assert not res.ok and res.error is not None and res.error.name == "SyntaxError"


async def test_cells_of_one_thread_queue_up(manager: SandboxManager, thread_id: uuid.UUID) -> None:
    await manager.execute(thread_id, "import time\nlog = []")
    cells = [f"time.sleep(0.05)\nlog.append({i})" for i in range(4)]
    await asyncio.gather(*(manager.execute(thread_id, c) for c in cells))
    res = await manager.execute(thread_id, "sorted(log) == log and len(log)")
    assert res.outputs[0].data == "4"


async def test_data_libraries_work_inside_the_sandbox(manager: SandboxManager, thread_id: uuid.UUID) -> None:
    code = (
        "import pandas as pd, pyarrow.parquet as pq, geopandas as gpd, shapely, folium\n"
        "df = pd.DataFrame({'x': range(100_000), 'y': range(100_000)})\n"
        "df.to_parquet('datasets/t.parquet')\n"
        "back = pq.read_table('datasets/t.parquet').to_pandas()\n"
        "g = gpd.GeoDataFrame(back.head(3), geometry=gpd.points_from_xy(back.x.head(3), back.y.head(3)))\n"
        "assert len(back) == 100_000 and g.geometry.iloc[2].x == 2\n"
        "folium.Map(location=[44.49, 11.34], zoom_start=12)"
    )
    res = await manager.execute(thread_id, code)
    assert res.ok, res.error
    # maps (issue 16): a map as the value is saved as an HTML artifact, the text stands for it
    assert res.outputs[0].mime == "text/plain" and "artifacts/map-" in res.outputs[0].data
    [page] = [f for f in res.files if f.path.startswith("artifacts/map-")]
    assert page.size > 1000
