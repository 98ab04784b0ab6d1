"""Issue 17, finding 1: the host enforces every limit of the driver protocol itself.

Cell code can reach the driver's channel (gc.get_objects()) and write whatever it likes on it: floods of
stream messages, one endless line, a forged result with 100k outputs, malformed fields. The server's memory
must stay bounded, the recorded execution small and saying what happened, no request may answer 500, other
threads' sandboxes keep running, and the sandbox still works afterwards. The same for 1 GB sent through
each ordinary channel (print, stderr, a displayed value).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.security.proto_kit import FIND_DRIVER, LoopLag, PeakRss, execute, new_thread, running_app

MB = 1024 * 1024
MAX_GROWTH_MB = 300
OUTPUT_LIMIT = 1 * MB  # the default SANDBOX_OUTPUT_LIMIT_BYTES


@pytest.fixture
async def api(settings_factory: Any) -> AsyncIterator[httpx.AsyncClient]:
    settings = settings_factory(sandbox_exec_timeout_s=120, sandbox_memory_mb=3072, sandbox_max_file_mb=64)
    async with running_app(settings) as (_app, client):
        yield client


async def _flood(client: httpx.AsyncClient, code: str) -> tuple[dict[str, Any], PeakRss, LoopLag, str]:
    """Run `code` in a new thread while another thread runs short cells; bounded memory, a live loop."""
    tid, other = await new_thread(client), await new_thread(client)
    assert (await execute(client, tid, "1")).status_code == 200  # sandboxes warm before measuring
    assert (await execute(client, other, "n = 0")).status_code == 200
    others: list[float] = []

    async def meanwhile() -> None:
        while not done.is_set():
            started = time.monotonic()
            r = await execute(client, other, "n += 1\nn")
            assert r.status_code == 200 and r.json()["ok"], r.text
            others.append(time.monotonic() - started)
            await asyncio.sleep(0.2)

    done = asyncio.Event()
    with PeakRss() as peak:
        async with LoopLag() as lag:
            side = asyncio.create_task(meanwhile())
            r = await execute(client, tid, code)
            done.set()
            await side
    assert r.status_code == 200, r.text[:500]
    assert len(r.content) < 12 * MB
    assert peak.growth_mb <= MAX_GROWTH_MB, f"server peak memory grew by {peak.growth_mb:.0f} MB"
    assert others and max(others) < 10, others  # the other thread's cells kept answering during the flood
    listed = await client.get(f"/api/threads/{tid}/executions")
    assert listed.status_code == 200 and len(listed.content) < 4 * MB
    after = await execute(client, tid, "6 * 7")
    assert after.status_code == 200 and after.json()["outputs"][-1]["data"] == "42", after.text[:300]
    return r.json(), peak, lag, tid


async def test_a_gigabyte_of_forged_stream_messages(api: httpx.AsyncClient) -> None:
    code = FIND_DRIVER + (
        'line = (json.dumps({"id": rid, "v": 1, "type": "stream", "name": "stdout", "text": "x" * (1 << 20)})'
        ' + "\\n").encode()\n'
        "for _ in range(1024):\n"
        "    raw(line)\n"
        "'flooded'"
    )
    body, peak, lag, _ = await _flood(api, code)
    assert body["outputs"][-1]["data"] == "'flooded'"
    assert body["stdout"].startswith("x" * 1000) and len(body["stdout"].encode()) <= OUTPUT_LIMIT + 200
    assert "bytes truncated" in body["stdout"]
    assert any("stdout was cut" in n for n in body["notes"]), body["notes"]
    assert lag.max_s < 2.0, f"the event loop stalled for {lag.max_s:.2f} s"  # the flood takes longer
    print(f"1 GB forged stream: peak growth {peak.growth_mb:.0f} MB, loop lag {lag.max_s * 1000:.0f} ms")


async def test_one_line_of_200_megabytes(api: httpx.AsyncClient) -> None:
    code = FIND_DRIVER + (
        'raw((\'{"id": "%s", "v": 1, "type": "stream", "name": "stdout", "text": "\' % rid)'
        ".encode())\n"
        'chunk = b"y" * (1 << 20)\n'
        "for _ in range(200):\n"
        "    raw(chunk)\n"
        "raw(b'\"}\\n')\n"
        "print('after the line')\n"
        "'done'"
    )
    body, peak, lag, _ = await _flood(api, code)
    assert not body["ok"]
    assert body["error"]["name"] == "SandboxProtocolError", body["error"]
    assert "limit" in body["error"]["value"]
    assert "after the line" in body["stdout"] and "yyyy" not in body["stdout"]
    assert body["outputs"][-1]["data"] == "'done'"  # the cell's real result still arrived and is kept
    print(f"200 MB line: peak growth {peak.growth_mb:.0f} MB, loop lag {lag.max_s * 1000:.0f} ms")


async def test_a_hundred_thousand_outputs_and_reported_files(api: httpx.AsyncClient) -> None:
    code = FIND_DRIVER + (
        'outs = [{"mime": "text/plain", "data": "z" * 100, "bundle": i} for i in range(100_000)]\n'
        'files = [{"path": f"artifacts/f{i}.txt", "size": 1, "sha256": "0" * 64, "mime": "text/plain"}'
        " for i in range(20_000)]\n"
        'msg(type="result", ok=True, outputs=outs, error=None, files=files, cut={}, duration_ms=1, count=1)\n'
        "del outs, files"
    )
    body, peak, _, _ = await _flood(api, code)
    assert len(body["outputs"]) <= 100
    assert any("outputs" in n and "dropped" in n for n in body["notes"]), body["notes"]
    assert len(body["notes"]) < 300
    print(f"100k outputs: peak growth {peak.growth_mb:.0f} MB")


MALFORMED = {
    "size NaN": 'msg(type="result", ok=True, outputs=[], error=None, cut={}, duration_ms=1, count=1,'
    ' files=[{"path": "artifacts/a.txt", "size": "NaN", "sha256": "0" * 64, "mime": "text/plain"}])',
    "a float NaN": 'raw((\'{"id": "%s", "v": 1, "type": "result", "ok": true, "outputs": [],'
    ' "error": null, "files": [], "cut": {}, "duration_ms": NaN, "count": 1}\\n\' % rid).encode())',
    "an output without mime": 'msg(type="result", ok=True, outputs=[{"data": "x"}], error=None, files=[],'
    " cut={}, duration_ms=1, count=1)",
    "an error without value": 'msg(type="result", ok=False, outputs=[], error={"name": "E", "traceback": ""},'
    " files=[], cut={}, duration_ms=1, count=1)",
    "ok as a string": 'msg(type="result", ok="yes", outputs=[], error=None, files=[], cut={}, duration_ms=1,'
    " count=1)",
    "outputs as a string": 'msg(type="result", ok=True, outputs="abc", error=None, files=[], cut={},'
    " duration_ms=1, count=1)",
    "a NUL in a mime type": 'msg(type="result", ok=True, outputs=[{"mime": "text/plain\\x00", "data": "x"}],'
    " error=None, files=[], cut={}, duration_ms=1, count=1)",
    "a lone surrogate in data": 'msg(type="result", ok=True, outputs=[{"mime": "text/plain", "data":'
    ' "\\ud800"}], error=None, files=[], cut={}, duration_ms=1, count=1)',
    "a huge count": 'msg(type="result", ok=True, outputs=[], error=None, files=[], cut={}, duration_ms=-5,'
    " count=10**30)",
    "a path out of the workspace": 'msg(type="result", ok=True, outputs=[], error=None, cut={},'
    ' duration_ms=1, count=1, files=[{"path": "../../etc/passwd", "size": 1, "sha256": "0" * 64,'
    ' "mime": "text/plain"}])',
    "cut as a list": 'msg(type="result", ok=True, outputs=[], error=None, files=[], cut=[1], duration_ms=1,'
    " count=1)",
    "a NUL in a stream": 'msg(type="stream", name="stdout", text="a\\x00b")',
    "a lone surrogate in a stream": 'msg(type="stream", name="stderr", text="\\udcff")',
    "invalid UTF-8": 'raw((\'{"id": "%s", "type": "stream", "name": "stdout", "text": "\''
    " % rid).encode() + b'\\xff\\xfe\"}\\n')",
    "a line that is not JSON": "raw(b'{not json\\n')",
}


async def test_malformed_messages_are_recorded_protocol_errors(api: httpx.AsyncClient) -> None:
    tid = await new_thread(api)
    for kind, forge in MALFORMED.items():
        r = await execute(api, tid, FIND_DRIVER + forge)
        assert r.status_code == 200, (kind, r.text[:300])
        body = r.json()
        assert not body["ok"], kind
        assert body["error"]["name"] == "SandboxProtocolError", (kind, body["error"])
        assert body["error"]["value"], kind
    listed = await api.get(f"/api/threads/{tid}/executions")
    assert listed.status_code == 200, listed.text[:300]
    names = [i["error"]["name"] for i in listed.json()["items"]]
    assert names == ["SandboxProtocolError"] * len(MALFORMED)
    after = await execute(api, tid, "6 * 7")
    assert after.json()["outputs"][-1]["data"] == "42"


async def test_nul_and_surrogates_from_user_code_are_recorded(api: httpx.AsyncClient) -> None:
    """Not an attack: a cell may print any string; what reaches the database is valid text."""
    tid = await new_thread(api)
    r = await execute(
        api, tid, "import sys\nprint('a\\x00b\\ud800c')\nsys.stderr.write('\\x00')\n'\\x00\\udfff'"
    )
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    assert body["ok"], body["error"]
    assert body["stdout"] == "a\ufffdb\ufffdc\n" and body["stderr"] == "\ufffd"
    listed = await api.get(f"/api/threads/{tid}/executions")
    assert listed.status_code == 200 and listed.json()["items"][0]["stdout"] == "a\ufffdb\ufffdc\n"


CHANNELS = {
    "print": "for _ in range(1024):\n    print('p' * (1 << 20))",
    "stderr": "import sys\nfor _ in range(1024):\n    sys.stderr.write('e' * (1 << 20))",
    "fd 1 of a child process": "import subprocess, sys\nsubprocess.run([sys.executable, '-c', "
    "'import os\\nb = b\"c\" * (1 << 20)\\nfor _ in range(1024): os.write(1, b)'])",
    "a displayed value": "class Big:\n    def _repr_html_(self):\n        return 'h' * (1 << 30)\nBig()",
}


@pytest.mark.parametrize("channel", list(CHANNELS))
async def test_a_gigabyte_through_each_channel(api: httpx.AsyncClient, channel: str) -> None:
    body, peak, _, _ = await _flood(api, CHANNELS[channel])
    assert len(body["stdout"].encode()) + len(body["stderr"].encode()) <= OUTPUT_LIMIT + 400
    assert sum(len(o["data"]) for o in body["outputs"]) <= 8 * MB
    said = body["notes"] + [o["data"] for o in body["outputs"] if "not kept" in o["data"]]
    assert said, "what was cut is said"
    print(f"1 GB via {channel}: peak growth {peak.growth_mb:.0f} MB")
