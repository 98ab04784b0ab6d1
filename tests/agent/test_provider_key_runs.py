"""A user's own provider key in their chat runs (issue 13), over real HTTP with the real analyst graph and
ChatOpenAI against the fake OpenAI server, SQLite and PostgreSQL: her key is the bearer the model receives,
another user's run gets the server's key, a refused key is marked MODEL_AUTH_FAILED, REQUIRE_OWN_PROVIDER_KEY
refuses a run without one, and the raw key is nowhere: responses, logs, events, checkpoints, the sandbox."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from tests.agent.conftest import ChatApp, chat_settings, names, open_chat_app, send
from tests.factories import make_user
from tests.fakes.openai_server import FakeOpenAI
from tests.leaks import files_bytes, table_bytes

from lgurban.agent.analyst import build_analyst

SERVER_KEY = "sk-server-" + "s" * 24
ANALYST = {"system_contains": "You are LG-Urban"}
ENV_CELL = (
    "import os, json\n"
    "env = json.dumps(dict(os.environ), sort_keys=True)\n"
    "open('env_dump.json', 'w').write(env)\n"
    "print('ENV', env)\n"
)


@pytest.fixture
async def keyed(settings_factory: Any, llm: FakeOpenAI) -> AsyncIterator[ChatApp]:
    settings = chat_settings(
        settings_factory,
        auth_mode="token",
        openai_base_url=llm.url,
        openai_api_key=SERVER_KEY,
        reviewer_enabled=False,
    )
    async with open_chat_app(settings, llm, standin=False) as chat:
        chat.manager.graph_factory = build_analyst
        yield chat


async def _client(chat: ChatApp) -> tuple[Any, httpx.AsyncClient]:
    user = await make_user(chat.sessionmaker)
    headers = {"Authorization": f"Bearer {user.token}"}
    return user, httpx.AsyncClient(base_url=chat.server.url, headers=headers, timeout=60)


async def _thread(client: httpx.AsyncClient) -> str:
    r = await client.post("/api/threads", json={})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def _keys(client: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    return {k["provider"]: k for k in (await client.get("/api/me/provider-keys")).json()["items"]}


async def test_her_key_is_the_bearer_and_nowhere_else(
    keyed: ChatApp, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    chat, llm = keyed, keyed.fake
    caplog.set_level(logging.DEBUG)
    key = "sk-her-own-" + secrets.token_hex(20)
    question = "Quante biciclette marker-" + secrets.token_hex(4) + "?"
    llm.script(
        {
            **{"when": {**ANALYST, "last_role": "user"}},
            "tool_calls": [{"name": "execute_code", "args": {"code": ENV_CELL}}],
        },
        {"when": {**ANALYST, "last_role": "tool"}, "content": "Fatto: 42 biciclette."},
    )
    _, her = await _client(chat)
    texts: list[str] = []
    async with her:
        put = await her.put("/api/me/provider-keys/openai_compatible", json={"key": key, "base_url": llm.url})
        assert put.status_code == 200, put.text
        texts.append(put.text)
        tid = await _thread(her)
        events = await send(her, tid, question)
        kinds = names(events)
        assert kinds[-1] == "done" and "error" not in kinds, events
        texts.append(json.dumps(events))
        # the model got her key, on every call of her run (the analyst's and the title's)
        assert llm.bearers and set(llm.bearers) == {key}
        tool_out = json.dumps([d for e, d in events if e in ("tool_output", "message", "tool_result")])
        assert "ENV" in tool_out  # the cell ran and printed the sandbox's environment
        for path in (
            "/api/me/provider-keys",
            f"/api/threads/{tid}",
            f"/api/threads/{tid}/messages",
            f"/api/threads/{tid}/files",
            "/api/threads",
            "/api/me",
        ):
            r = await her.get(path)
            assert r.status_code == 200, (path, r.text)
            texts.append(r.text)
        status = (await _keys(her))["openai_compatible"]
        assert status["last_ok"] is True and status["last_error_code"] is None
    at_rest = table_bytes(db_url) + files_bytes(chat.settings.data_dir)
    checkpoints = table_bytes(db_url, "checkpoints", "checkpoint_blobs", "checkpoint_writes")
    if not db_url.startswith("postgres"):
        db = chat.settings.data_dir / "checkpoints.sqlite"
        checkpoints = b"".join(p.read_bytes() for p in (db, db.with_name(db.name + "-wal")) if p.exists())
    assert question.encode() in checkpoints  # the scan reads the run's checkpoints
    dumped = list(chat.settings.workspaces_dir.rglob("env_dump.json"))
    assert len(dumped) == 1 and "PATH" in json.loads(dumped[0].read_text())  # the sandbox's environment
    assert "HTTP Request: POST" in caplog.text  # the log capture sees the server's lines
    for where, text in [("responses and SSE events", "\n".join(texts)), ("logs", caplog.text)]:
        assert key not in text, where
    assert key.encode() not in checkpoints, "a checkpoint"
    assert key.encode() not in at_rest, "a table or a file under DATA_DIR (workspace, artifacts, SQLite)"


async def test_another_user_gets_the_server_key(keyed: ChatApp) -> None:
    chat, llm = keyed, keyed.fake
    _, her = await _client(chat)
    _, him = await _client(chat)
    async with her, him:
        key = "sk-hers-" + secrets.token_hex(12)
        assert (await her.put("/api/me/provider-keys/openai", json={"key": key})).status_code == 200
        tid = await _thread(him)
        assert names(await send(him, tid, "Ciao"))[-1] == "done"
        assert llm.bearers and set(llm.bearers) == {SERVER_KEY}
        assert (await _keys(him)) == {}
        mine = await _thread(her)  # her `openai` key goes to the server's OPENAI_BASE_URL
        assert names(await send(her, mine, "Ciao"))[-1] == "done"
        assert set(llm.bearers[-1:]) == {key}


async def test_a_refused_key_is_marked_and_the_run_says_whose(keyed: ChatApp) -> None:
    chat, llm = keyed, keyed.fake
    bad = "sk-revoked-" + secrets.token_hex(12)
    llm.reject_key(bad)
    _, her = await _client(chat)
    async with her:
        assert (await her.put("/api/me/provider-keys/openai", json={"key": bad})).status_code == 200
        tid = await _thread(her)
        events = await send(her, tid, "Ciao")
        error = next(d for e, d in events if e == "error")
        assert error["code"] == "MODEL_AUTH_FAILED" and "your own API key" in error["message"]
        assert bad not in json.dumps(events)
        status = (await _keys(her))["openai"]
        assert status["last_ok"] is False and status["last_error_code"] == "MODEL_AUTH_FAILED"
        # a working key again: the status follows the next call
        good = "sk-good-" + secrets.token_hex(12)
        assert (await her.put("/api/me/provider-keys/openai", json={"key": good})).json()["last_ok"] is None
        assert names(await send(her, tid, "Ancora"))[-1] == "done"
        assert (await _keys(her))["openai"]["last_ok"] is True


async def test_require_own_key_refuses_a_run_without_one(settings_factory: Any, llm: FakeOpenAI) -> None:
    settings = chat_settings(
        settings_factory,
        auth_mode="token",
        openai_base_url=llm.url,
        openai_api_key=SERVER_KEY,
        reviewer_enabled=False,
        require_own_provider_key=True,
    )
    async with open_chat_app(settings, llm, standin=False) as chat:
        chat.manager.graph_factory = build_analyst
        _, her = await _client(chat)
        async with her:
            tid = await _thread(her)
            r = await her.post(f"/api/threads/{tid}/messages", json={"content": "Ciao"})
            assert r.status_code == 409, r.text
            error = r.json()["error"]
            assert error["code"] == "PROVIDER_KEY_REQUIRED" and "Your model keys" in error["message"]
            assert (await her.get(f"/api/threads/{tid}/messages")).json()["items"] == []  # nothing stored
            assert llm.requests == []
            key = "sk-mine-" + secrets.token_hex(12)
            await her.put("/api/me/provider-keys/openai", json={"key": key})
            assert names(await send(her, tid, "Ciao"))[-1] == "done"
            assert llm.bearers and set(llm.bearers) == {key}
