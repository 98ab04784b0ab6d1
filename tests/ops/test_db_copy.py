"""`lgurban db copy`: a chat made on SQLite, copied into PostgreSQL, goes on there with its context."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from lgurban.db.migrate import upgrade
from lgurban.settings import Settings
from tests.agent.conftest import names, send
from tests.conftest import PG_ADMIN_URL, _pg_url
from tests.test_cli import lgurban
from tests.test_e2e_chat import ANSWER, DATASET, FOLLOW_UP, PLOT, agent_turn, call, model, portal

__all__ = ["model", "portal"]  # the fixtures of the end-to-end chat test


@pytest.fixture
def empty_pg() -> Iterator[str]:
    name = f"lgurban_copy_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _pg_url(name)
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_chat_on_sqlite_copied_to_postgres_continues(
    tmp_path: Path, live_server_factory: Any, portal: Any, model: Any, empty_pg: str
) -> None:
    common: dict[str, Any] = {
        "environment": "test",
        "data_dir": tmp_path / "data",
        "_env_file": None,
        "opendata_base_url": portal.url,
        "openai_base_url": model.url,
        "openai_api_key": "sk-fake",
        "llm_model": "openai:fake-analyst",
        "llm_helper_model": "openai:fake-helper",
        "agent_keepalive_s": 0.5,
        "opendata_retries": 1,
    }
    model.script(
        call("list_catalog", query="incidenti"),
        call("select_dataset", dataset_id=DATASET),
        call("execute_code", code=PLOT),
        agent_turn(content=ANSWER, token_delay_s=0.005),
    )
    upgrade(Settings(**common))  # the embedded install: SQLite under DATA_DIR
    server = live_server_factory(Settings(**common))
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        tid = (await client.post("/api/threads", json={})).json()["id"]
        events = await send(
            client, tid, "Quali quartieri di Bologna hanno più incidenti stradali? Fai un grafico."
        )
        assert names(events)[-1] == "done" and "error" not in names(events), events
        before = (await client.get(f"/api/threads/{tid}/messages")).json()["items"]
        artifacts = (await client.get(f"/api/threads/{tid}/artifacts")).json()["items"]
        threads = (await client.get("/api/threads")).json()["items"]
    server.stop()
    assert len(artifacts) == 1

    env = {"data_dir": tmp_path / "data"}
    copied = lgurban("db", "copy", "--to", empty_pg, cwd=tmp_path, **env)
    assert copied.returncode == 0, copied.stderr
    assert "copy complete" in copied.stdout and "messages" in copied.stdout
    again = lgurban("db", "copy", "--to", empty_pg, cwd=tmp_path, **env)  # idempotent: nothing doubled
    assert again.returncode == 0, again.stderr
    assert again.stdout == copied.stdout

    model.script(agent_turn(content=FOLLOW_UP))
    on_pg = live_server_factory(Settings(**common, database_url=empty_pg))
    async with httpx.AsyncClient(base_url=on_pg.url, timeout=60) as client:
        assert [t["id"] for t in (await client.get("/api/threads")).json()["items"]] == [
            t["id"] for t in threads
        ]
        after = (await client.get(f"/api/threads/{tid}/messages")).json()["items"]
        assert [(m["id"], m["role"], m["content"]) for m in after] == [
            (m["id"], m["role"], m["content"]) for m in before
        ]
        listed = (await client.get(f"/api/threads/{tid}/artifacts")).json()["items"]
        assert [a["id"] for a in listed] == [a["id"] for a in artifacts]
        download = await client.get(f"/api/artifacts/{listed[0]['id']}/download", follow_redirects=True)
        assert download.status_code == 200 and download.content[:4] == b"\x89PNG"

        events = await send(client, tid, "E qual è il primo?")
        assert "error" not in names(events) and names(events)[-1] == "done", events
        # the checkpoint came along: the analyst's last call (not the reviewer's) has the whole context
        analyst = [r for r in model.requests if "You are LG-Urban" in str(r["messages"][0].get("content"))]
        seen = json.dumps(analyst[-1]["messages"])
        assert "Quali quartieri di Bologna" in seen and ANSWER in seen and DATASET in seen
        items = (await client.get(f"/api/threads/{tid}/messages")).json()["items"]
        assert [m["content"] for m in items[-2:]] == ["E qual è il primo?", FOLLOW_UP]
    with psycopg.connect(empty_pg) as conn:  # the run happened on PostgreSQL, not on the old SQLite file
        assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == len(before) + 2  # type: ignore[index]
