"""The runs_per_hour quota (issue 13): past it a message is refused with 429 QUOTA_EXCEEDED, saying when the
next run is possible, and nothing of it is stored; a user's own value (set-quota) wins over the default."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from tests.agent.conftest import ChatApp, chat_settings, names, open_chat_app, send
from tests.factories import make_user
from tests.fakes.openai_server import FakeOpenAI

from lgurban.db.models import Run
from lgurban.db.quotas import set_quota
from lgurban.db.session import session_scope


@pytest.fixture
async def limited(settings_factory: Any, llm: FakeOpenAI) -> AsyncIterator[ChatApp]:
    async with open_chat_app(
        chat_settings(settings_factory, auth_mode="token", quota_runs_per_hour=2), llm
    ) as value:
        yield value


async def _runs(chat: ChatApp, tid: str) -> int:
    async with chat.sessionmaker() as session:
        query = select(func.count()).select_from(Run).where(Run.thread_id == uuid.UUID(tid))
        return int(await session.scalar(query) or 0)


async def test_past_runs_per_hour_the_message_is_refused_and_nothing_is_stored(limited: ChatApp) -> None:
    chat = limited
    chat.fake.script({"content": "one"}, {"content": "two"}, {"content": "three"})
    user = await make_user(chat.sessionmaker)  # her own runs only: the database is shared by the tests
    headers = {"Authorization": f"Bearer {user.token}"}
    async with httpx.AsyncClient(base_url=chat.server.url, headers=headers, timeout=30) as client:
        made = await client.post("/api/threads", json={})
        assert made.status_code == 201, made.text
        tid = made.json()["id"]
        for text in ("first", "second"):
            assert "error" not in names(await send(client, tid, text))
        r = await client.post(f"/api/threads/{tid}/messages", json={"content": "third"})
        assert r.status_code == 429, r.text
        error = r.json()["error"]
        assert error["code"] == "QUOTA_EXCEEDED"
        assert "started 2 chat runs" in error["message"] and "runs_per_hour=2" in error["message"]
        items = (await client.get(f"/api/threads/{tid}/messages")).json()["items"]
        assert [m["content"] for m in items if m["role"] == "user"] == ["first", "second"]
        assert await _runs(chat, tid) == 2  # the refused run's row went with the rollback
        # the usage page's numbers: what she used, her limit, when one more is possible
        usage = {x["name"]: x for x in (await client.get("/api/me/usage")).json()["limits"]}
        runs = usage["runs_per_hour"]
        assert (runs["used"], runs["limit"]) == (2, 2) and runs["resets_at"] is not None
        assert (
            usage["sandboxes"]["limit"] == chat.settings.sandbox_user_cap
            and usage["sandboxes"]["used"] is None
        )
        # the thread is not left locked: with her own, higher limit the same message goes through
        async with session_scope(chat.sessionmaker) as session:
            await set_quota(session, user.id, "runs_per_hour", 3)
        events = await send(client, tid, "third")
        assert "error" not in names(events) and names(events)[-1] == "done"
        runs = next(
            x for x in (await client.get("/api/me/usage")).json()["limits"] if x["name"] == "runs_per_hour"
        )
        assert runs["used"] == 3 and runs["limit"] == 3 and runs["resets_at"] is not None
