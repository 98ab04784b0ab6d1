"""Sessions, threads and limits over /mcp: each session its own thread and variables; another user's thread
refused; a hostile cell reported as the API reports it, and the server serving on; errors carry the API's
codes. One test runs on PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import mcp_types as types
import pytest
from mcp import MCPError

from lgurban.db.quotas import set_quota
from lgurban.db.session import make_engine, make_sessionmaker, session_scope
from tests.conftest import wait_until
from tests.mcp_server.conftest import Deployment, body, call

LOOP = "while True:\n    pass"
HUGE = "print('x' * 20_000_000)"


async def test_a_second_session_has_its_own_thread_and_variables(deployment: Deployment) -> None:
    user = await deployment.user()
    async with deployment.http_client(user.token) as first, deployment.http_client(user.token) as second:
        a = await call(first, "run_code", code="secret = 42")
        b = await call(second, "run_code", code="secret")
        assert not a.is_error
        assert b.is_error  # NameError: the other session's variables are not here
        assert body(b)["error"]["name"] == "NameError"
        assert body(a)["thread_id"] != body(b)["thread_id"]
        again = await call(first, "run_code", code="secret")
        assert not again.is_error and body(again)["thread_id"] == body(a)["thread_id"]
    async with deployment.api(user.token) as api:
        listed = {t["id"] for t in (await api.get("/api/threads")).json()["items"]}
    assert {body(a)["thread_id"], body(b)["thread_id"]} <= listed


async def test_a_session_on_a_named_thread_and_another_users_thread(deployment: Deployment) -> None:
    owner, other = await deployment.user(), await deployment.user()
    async with deployment.http_client(owner.token) as client:
        made = await call(client, "run_code", code="kept = 'yes'")
        thread_id = body(made)["thread_id"]
    async with deployment.http_client(owner.token, query=f"?thread_id={thread_id}") as reopened:
        same = await call(reopened, "run_code", code="kept")  # the same thread's sandbox: its variables
        assert not same.is_error and body(same)["thread_id"] == thread_id
    async with deployment.http_client(other.token) as intruder:
        refused = await call(intruder, "run_code", code="kept", thread_id=thread_id)
        assert refused.is_error
        assert body(refused)["error"]["code"] == "THREAD_NOT_FOUND"
    async with deployment.http_client(other.token, query=f"?thread_id={thread_id}") as intruder:
        refused = await call(intruder, "list_workspace")
        assert body(refused)["error"]["code"] == "THREAD_NOT_FOUND"
        with pytest.raises(MCPError) as listing:  # nor are its files and artifacts listed as resources
            await intruder.list_resources()
        assert listing.value.data == {"code": "THREAD_NOT_FOUND"}


async def _api_execute(deployment: Deployment, token: str, code: str, **extra: Any) -> dict[str, Any]:
    async with deployment.api(token) as api:
        thread = (await api.post("/api/threads", json={})).json()
        r = await api.post(f"/api/threads/{thread['id']}/execute", json={"code": code, **extra})
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]


async def test_a_hostile_cell_is_reported_as_the_api_does_and_the_server_serves_on(
    deployment: Deployment,
) -> None:
    user = await deployment.user()
    through_api = await _api_execute(deployment, user.token, LOOP, timeout_s=2)
    huge_api = await _api_execute(deployment, user.token, HUGE)
    async with deployment.http_client(user.token) as client:
        await call(client, "run_code", code="before = 1")
        looped = await call(client, "run_code", code=LOOP, timeout_s=2)
        assert looped.is_error
        assert body(looped)["error"]["name"] == through_api["error"]["name"]
        assert body(looped)["ok"] is through_api["ok"] is False
        after = await call(client, "run_code", code="before + 1")  # interrupted, variables kept
        assert not after.is_error
        assert any(isinstance(c, types.TextContent) and c.text == "2" for c in after.content)

        huge = await call(client, "run_code", code=HUGE)
        assert huge.is_error is (not huge_api["ok"])
        size = sum(len(c.text) for c in huge.content if isinstance(c, types.TextContent))
        assert size < 200_000  # bounded, as the agent's view: never 20 MB into a model's context
        assert len(json.dumps(huge_api)) < 25_000_000
    async with deployment.http_client(user.token) as fresh:  # a new session is served too
        assert not (await call(fresh, "run_code", code="1 + 1")).is_error


async def test_errors_are_tool_errors_with_the_api_codes(deployment: Deployment) -> None:
    user = await deployment.user()
    async with deployment.http_client(user.token) as client:
        missing = await call(client, "describe_dataset", dataset_id="no-such-dataset")
        assert missing.is_error and body(missing)["error"]["code"] == "DATASET_NOT_FOUND"
        bad = await call(client, "run_code", code="")
        assert bad.is_error and body(bad)["error"]["code"] == "BAD_REQUEST"
        escape = await call(client, "export_file", path="../../etc/passwd")
        assert escape.is_error and body(escape)["error"]["code"] == "INVALID_PATH"
        absent = await call(client, "export_file", path="nothing-here.csv")
        assert absent.is_error and body(absent)["error"]["message"]


async def test_the_stateless_protocol_keeps_state_through_thread_id(deployment: Deployment) -> None:
    """2026-07-28 (no MCP session): a call without thread_id starts a thread, and naming it continues it."""
    user = await deployment.user()
    async with deployment.http_client(user.token, mode="auto") as client:
        assert client.protocol_version == "2026-07-28"
        first = await call(client, "run_code", code="n = 5")
        thread_id = body(first)["thread_id"]
        second = await call(client, "run_code", code="n * 3", thread_id=thread_id)
        assert any(isinstance(c, types.TextContent) and c.text == "15" for c in second.content), second


async def test_on_postgresql(pg_deployment: Deployment) -> None:
    user = await pg_deployment.user()
    async with pg_deployment.http_client(user.token) as client:
        loaded = await call(client, "load_dataset", dataset_id="popolazione-residente-quartieri")
        assert not loaded.is_error, loaded
        await call(
            client,
            "run_code",
            code="import pandas as pd\n"
            "df = pd.read_parquet('datasets/popolazione-residente-quartieri.parquet')",
        )
        counted = await call(client, "run_code", code="len(df)")
        assert any(
            isinstance(c, types.TextContent) and c.text == str(body(loaded)["rows"]) for c in counted.content
        )
    async with pg_deployment.api(user.token) as api:
        listed = [t["id"] for t in (await api.get("/api/threads")).json()["items"]]
    assert body(loaded)["thread_id"] in listed


async def test_the_users_sandbox_quota_applies_as_on_the_api(deployment: Deployment) -> None:
    """With every sandbox the user may hold busy, a cell in another session is refused QUOTA_EXCEEDED."""
    user = await deployment.user()
    engine = make_engine(deployment.settings)
    try:
        async with session_scope(make_sessionmaker(engine)) as session:
            await set_quota(session, user.id, "sandboxes", 1)
    finally:
        await engine.dispose()
    async with deployment.api(user.token) as api:
        busy_thread = (await api.post("/api/threads", json={})).json()["id"]
    workspace = deployment.settings.workspaces_dir / busy_thread
    hold = (
        "import os, time\nopen('started', 'w').write('1')\n"
        "while not os.path.exists('release'):\n    time.sleep(0.02)"
    )
    async with deployment.http_client(user.token) as first, deployment.http_client(user.token) as second:
        holding = asyncio.ensure_future(
            call(first, "run_code", code=hold, thread_id=busy_thread, timeout_s=60)
        )
        await wait_until(lambda: (workspace / "started").exists() or holding.done(), timeout=60)
        refused = await call(second, "run_code", code="1")
        (workspace / "release").write_text("go")
        held = await holding
    assert not held.is_error, held
    assert refused.is_error
    assert body(refused)["error"]["code"] == "QUOTA_EXCEEDED"
    assert body(refused)["error"]["message"]


async def test_a_cell_larger_than_the_default_body_cap_goes_through(deployment: Deployment) -> None:
    """/mcp has the code routes' body cap (API_MAX_CODE_BODY_BYTES), not the 1 MB of the other routes."""
    user = await deployment.user()
    code = "big = '" + "é" * 600_000 + "'\nlen(big)"  # 600,000 characters, 1.2 MB of UTF-8
    async with deployment.http_client(user.token) as client:
        ran = await call(client, "run_code", code=code)
    assert not ran.is_error, body(ran)
    assert any(isinstance(c, types.TextContent) and c.text == "600000" for c in ran.content)
