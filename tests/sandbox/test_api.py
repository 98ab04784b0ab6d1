"""The code API over HTTP: /execute, /executions, /sandbox/restart, /files; every execution is recorded."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from sqlalchemy import select

from lgurban.db.models import Execution, SandboxSession
from lgurban.resources import Resources


async def test_execute_restart_files_and_records(client: httpx.AsyncClient, app: object) -> None:
    thread = (await client.post("/api/threads", json={"title": "sbx"})).json()
    base = f"/api/threads/{thread['id']}"
    r = await client.post(f"{base}/execute", json={"code": "x = 2\nprint('hi')\nx * 21"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] and body["stdout"] == "hi\n"
    assert body["outputs"] == [{"mime": "text/plain", "data": "42", "bundle": 0, "is_result": True}]
    assert body["execution_count"] == 1
    assert set(body) >= {
        "id",
        "ok",
        "stdout",
        "stderr",
        "outputs",
        "error",
        "artifacts",
        "duration_ms",
        "notes",
        "execution_count",
    }
    resources: Resources = app.state.resources  # type: ignore[attr-defined]
    session_row = await _sandbox_row(resources, uuid.UUID(thread["id"]))
    assert session_row is not None and session_row.backend == "local" and session_row.status == "running"

    r = await client.post(f"{base}/execute", json={"code": "def f(:"})
    assert r.status_code == 200 and r.json()["error"]["name"] == "SyntaxError"

    r = await client.post(
        f"{base}/execute", json={"code": "open('artifacts/out.csv', 'w').write('a\\n1\\n')"}
    )
    assert r.json()["ok"]
    files = (await client.get(f"{base}/files")).json()["items"]
    assert [f["path"] for f in files] == ["artifacts/out.csv"] and files[0]["size"] == 4
    r = await client.get(f"{base}/files/artifacts/out.csv")
    assert r.status_code == 200 and r.content == b"a\n1\n"
    assert (await client.get(f"{base}/files", params={"path": "artifacts"})).json()["items"]

    for bad in ("../other", "/etc", "artifacts/../../x"):
        r = await client.get(f"{base}/files", params={"path": bad})
        assert r.status_code == 400 and r.json()["error"]["code"] == "INVALID_PATH", bad
    r = await client.get(f"{base}/files/%2Fetc%2Fpasswd")
    assert r.status_code == 400
    assert (await client.get(f"{base}/files/artifacts/missing.txt")).status_code == 404

    assert (await client.post(f"{base}/sandbox/restart")).status_code == 202
    r = await client.post(f"{base}/execute", json={"code": "x"})
    assert r.json()["error"]["name"] == "NameError"

    items = (await client.get(f"{base}/executions")).json()["items"]
    assert [i["code"] for i in items] == [
        "x = 2\nprint('hi')\nx * 21",
        "def f(:",
        "open('artifacts/out.csv', 'w').write('a\\n1\\n')",
        "x",
    ]
    assert items[0]["stdout"] == "hi\n" and items[1]["error"]["name"] == "SyntaxError"
    assert [i["execution_count"] for i in items] == [1, 2, 3, 1]  # the restart began the count again
    assert items[0]["outputs"] == body["outputs"]

    async with resources.sessionmaker() as session:
        rows = (
            (await session.execute(select(Execution).where(Execution.thread_id == uuid.UUID(thread["id"]))))
            .scalars()
            .all()
        )
    assert len(rows) == 4 and sum(r.ok for r in rows) == 2 and {r.source for r in rows} == {"user"}

    assert (await client.get(f"/api/threads/{uuid.uuid4()}/files")).status_code == 404
    r = await client.post(f"/api/threads/{uuid.uuid4()}/execute", json={"code": "1"})
    assert r.status_code == 404
    assert (await client.post(f"{base}/execute", json={"code": "1", "timeout_s": -1})).status_code == 422

    health = (await client.get("/api/health")).json()
    assert health["checks"]["sandbox"].startswith("ok")
    assert (await client.delete(base)).status_code == 204
    assert not (resources.settings.workspaces_dir / thread["id"]).exists()
    assert resources.sandboxes.live_count() == 0


async def test_rows_stored_before_the_typed_record_still_list(client: httpx.AsyncClient, app: object) -> None:
    """executions.result rows written before execution_count and output bundles existed read back."""
    thread = (await client.post("/api/threads", json={"title": "old rows"})).json()
    resources: Resources = app.state.resources  # type: ignore[attr-defined]
    old = {
        "id": str(uuid.uuid4()),
        "ok": True,
        "stdout": "hi\n",
        "stderr": "",
        "outputs": [{"mime": "text/plain", "data": "42"}],
        "error": None,
        "artifacts": [],
        "duration_ms": 5,
        "notes": [],
        "files": [],
    }
    for code, result in (("42", old), ("1", None)):  # one commit each: listed in this order
        async with resources.sessionmaker() as session:
            session.add(Execution(thread_id=uuid.UUID(thread["id"]), code=code, ok=True, result=result))
            await session.commit()
    r = await client.get(f"/api/threads/{thread['id']}/executions")
    assert r.status_code == 200, r.text
    first, second = r.json()["items"]
    assert first["outputs"] == [{"mime": "text/plain", "data": "42", "bundle": 0, "is_result": False}]
    assert first["stdout"] == "hi\n" and first["execution_count"] is None and first["code"] == "42"
    assert second["outputs"] == [] and second["stdout"] == "" and second["artifacts"] == []


async def _sandbox_row(resources: Resources, thread_id: uuid.UUID) -> SandboxSession | None:
    """sandbox_sessions is written off the hot path: poll briefly."""
    for _ in range(100):
        async with resources.sessionmaker() as session:
            row = await session.get(SandboxSession, thread_id)
        if row is not None:
            return row
        await asyncio.sleep(0.05)
    return None


async def test_execute_over_real_http(live_server: object) -> None:
    url = live_server.url  # type: ignore[attr-defined]
    async with httpx.AsyncClient(base_url=url, timeout=60) as c:
        thread = (await c.post("/api/threads", json={})).json()
        r = await c.post(
            f"/api/threads/{thread['id']}/execute",
            json={"code": "import pandas as pd\npd.DataFrame({'a': [1, 2]}).sum()"},
        )
        assert r.status_code == 200 and r.json()["ok"]
        assert "a    3" in r.json()["outputs"][-1]["data"]
