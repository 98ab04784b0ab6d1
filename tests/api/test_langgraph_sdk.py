"""The LangGraph-API-compatible endpoints (/langgraph) driven by the real `langgraph_sdk` client against a
real `lgurban serve` process (the analyst graph, the model a scripted OpenAI-compatible fake).

A thread made through the SDK is LG-Urban's own thread (GET /api/threads lists it); another user's
token cannot read it; a cancelled run reads `interrupted`; a bad payload is a 4xx with the API's shape.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient
from langgraph_sdk.errors import BadRequestError, NotFoundError

from lgurban.db.quotas import set_quota
from lgurban.db.session import make_engine, make_sessionmaker, session_scope
from lgurban.settings import Settings
from tests.factories import TokenUser, make_user
from tests.fakes.openai_server import FakeOpenAI
from tests.scale.conftest import SETTING_NAMES, Replica, drop_pg_database, fresh_pg_database, words

ANSWER = "There are no datasets in the workspace yet."
TOOL_TURN = {
    "when": {"has_tools": True, "last_role": "user"},
    "content": "Let me look. ",
    "tool_calls": [{"name": "list_datasets", "args": {}, "id": "call_ls_1"}],
}
ANSWER_TURN = {"when": {"has_tools": True, "last_role": "tool"}, "content": ANSWER}


@pytest.fixture(scope="module")
def fake_model() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def model(fake_model: FakeOpenAI) -> FakeOpenAI:
    """The module's fake model, its script emptied for each test (the titles always answered)."""
    fake_model.reset()
    fake_model.add_rule({"has_tools": False}, {"content": "A title"})
    return fake_model


def server_env(tmp: Path, db: str, model: FakeOpenAI) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.upper() not in SETTING_NAMES}
    env.update(
        ENVIRONMENT="test",
        DATA_DIR=str(tmp / "data"),
        DATABASE_URL=db,
        AUTH_MODE="token",
        OPENAI_BASE_URL=model.url,
        OPENAI_API_KEY="sk-fake",
        LLM_MODEL="openai:fake-analyst",
        LLM_HELPER_MODEL="openai:fake-helper",
        AGENT_KEEPALIVE_S="0.5",
        SANDBOX_REQUIRE_ISOLATION="false",
        LOG_LEVEL="WARNING",
    )
    return env


class Served:
    def __init__(self, replica: Replica, users: list[TokenUser], sessionmaker: Any) -> None:
        self.replica, self.users, self.sessionmaker = replica, users, sessionmaker

    def client(self, user: TokenUser) -> LangGraphClient:
        return get_client(
            url=self.replica.url + "/langgraph",
            api_key=None,
            headers={"Authorization": f"Bearer {user.token}"},
        )


async def _serve(tmp: Path, db: str, model: FakeOpenAI) -> AsyncIterator[Served]:
    replica = Replica(server_env(tmp, db, model), "--migrate")
    engine = make_engine(Settings(environment="test", database_url=db, data_dir=tmp / "data", _env_file=None))  # type: ignore[call-arg]
    try:
        sessionmaker = make_sessionmaker(engine)
        users = [await make_user(sessionmaker) for _ in range(2)]
        yield Served(replica, users, sessionmaker)
    finally:
        await engine.dispose()
        replica.stop()


@pytest.fixture(scope="module")
async def served(tmp_path_factory: pytest.TempPathFactory, fake_model: FakeOpenAI) -> AsyncIterator[Served]:
    """One server for the module (SQLite): each test makes its own threads."""
    tmp = tmp_path_factory.mktemp("lg-sqlite")
    async for s in _serve(tmp, f"sqlite:///{tmp / 'lg.sqlite'}", fake_model):
        yield s


@pytest.fixture
async def served_pg(tmp_path: Path, fake_model: FakeOpenAI) -> AsyncIterator[Served]:
    url = fresh_pg_database()
    try:
        async for s in _serve(tmp_path, url, fake_model):
            yield s
    finally:
        drop_pg_database(url)


def user_input(text: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text}]}


async def stream_parts(client: LangGraphClient, tid: str, text: str, modes: list[str]) -> list[Any]:
    return [
        part
        async for part in client.runs.stream(tid, "analyst", input=user_input(text), stream_mode=modes)  # type: ignore[arg-type]
    ]


async def test_a_run_streamed_in_messages_tuple_and_updates(served: Served, model: FakeOpenAI) -> None:
    alice = served.users[0]
    model.script(TOOL_TURN, ANSWER_TURN)
    async with served.client(alice) as client:
        [assistant] = await client.assistants.search(graph_id="analyst")
        assert assistant["assistant_id"] == "analyst"
        thread = await client.threads.create(metadata={"title": "From the SDK"})
        tid = thread["thread_id"]
        parts = await stream_parts(client, tid, "Which datasets do I have?", ["messages-tuple", "updates"])

        events = [p.event for p in parts]
        assert events[0] == "metadata" and events[-1] == "end"
        run_id = parts[0].data["run_id"]
        assert parts[-1].data == {"run_id": run_id, "status": "success"}
        chunks = [p.data[0] for p in parts if p.event == "messages" and p.data[0]["type"] == "AIMessageChunk"]
        assert "".join(c["content"] for c in chunks).endswith(ANSWER)
        calls = [c for chunk in chunks for c in chunk["tool_calls"]]
        assert [(c["name"], c["id"]) for c in calls] == [("list_datasets", "call_ls_1")]
        tool_msgs = [p.data[0] for p in parts if p.event == "messages" and p.data[0]["type"] == "tool"]
        assert [m["tool_call_id"] for m in tool_msgs] == ["call_ls_1"]
        updates = [p.data for p in parts if p.event == "updates"]
        assert [next(iter(u)) for u in updates] == ["agent", "tools", "agent"]
        assert updates[0]["agent"]["messages"][0]["tool_calls"][0]["name"] == "list_datasets"
        assert updates[-1]["agent"]["messages"][0]["content"] == ANSWER

        # the same thread through LG-Urban's own API, and its messages are the SDK's values
        http = httpx.AsyncClient(
            base_url=served.replica.url, headers={"Authorization": f"Bearer {alice.token}"}
        )
        async with http:
            listed = (await http.get("/api/threads")).json()["items"]
            assert [t["title"] for t in listed if t["id"] == tid] == ["From the SDK"]
            stored = (await http.get(f"/api/threads/{tid}/messages")).json()["items"]
        state = await client.threads.get_state(tid)
        values = state["values"]["messages"]  # type: ignore[index, call-overload]
        assert [m["id"] for m in values] == [m["id"] for m in stored]
        assert [m["type"] for m in values] == ["human", "ai", "tool", "ai"]
        assert state["checkpoint"]["checkpoint_id"] == run_id
        run = await client.runs.get(tid, run_id)
        assert run["status"] == "success"


async def test_wait_values_history_and_a_thread_made_in_the_web_app(
    served: Served, model: FakeOpenAI
) -> None:
    alice = served.users[0]
    async with httpx.AsyncClient(
        base_url=served.replica.url, headers={"Authorization": f"Bearer {alice.token}"}
    ) as http:
        made = (await http.post("/api/threads", json={"title": "Web"})).json()
        tid = made["id"]
        async with http.stream(
            "POST", f"/api/threads/{tid}/messages", json={"content": "first question"}
        ) as r:
            assert r.status_code == 200
            await r.aread()
    model.script({"when": {"has_tools": True}, "content": "second answer"})
    async with served.client(alice) as client:
        got = await client.threads.get(tid)
        assert got["status"] == "idle"
        assert [m["content"] for m in got["values"]["messages"]] == [  # type: ignore[index, call-overload]
            "first question",
            "This is the fake model's default answer.",
        ]
        final = await client.runs.wait(tid, "analyst", input=user_input("second question"))
        assert isinstance(final, dict)
        assert [m["content"] for m in final["messages"]][-2:] == ["second question", "second answer"]
        history = await client.threads.get_history(tid, limit=10)
        assert len(history) == 2  # one state per run, newest first
        assert [len(h["values"]["messages"]) for h in history] == [4, 2]  # type: ignore[index, call-overload]
        assert history[0]["parent_checkpoint"]["checkpoint_id"] == history[1]["checkpoint"]["checkpoint_id"]  # type: ignore[index]
        older = await client.threads.get_history(tid, before=history[0]["checkpoint"])
        assert [h["checkpoint"]["checkpoint_id"] for h in older] == [
            history[1]["checkpoint"]["checkpoint_id"]
        ]
        # from the head checkpoint (what agent-chat-ui sends) a run goes on; from an older one it is refused
        with pytest.raises(BadRequestError):
            await client.runs.create(
                tid, "analyst", input=user_input("branch"), checkpoint=history[1]["checkpoint"]
            )
        model.script({"when": {"has_tools": True}, "content": "third answer"})
        head = history[0]["checkpoint"]
        third = await client.runs.wait(tid, "analyst", input=user_input("third"), checkpoint=head)
        assert isinstance(third, dict) and third["messages"][-1]["content"] == "third answer"
        found = await client.threads.search(metadata={"graph_id": "analyst"}, limit=100)
        assert tid in [t["thread_id"] for t in found]
        assert [t["values"]["messages"][0]["content"] for t in found if t["thread_id"] == tid] == [
            "first question"
        ]  # type: ignore[index, call-overload]


async def test_a_cancelled_run_reads_interrupted(served: Served, model: FakeOpenAI) -> None:
    alice = served.users[0]
    model.script({"when": {"has_tools": True}, "content": words(400), "token_delay_s": 0.02})
    async with served.client(alice) as client:
        tid = (await client.threads.create())["thread_id"]
        run = await client.runs.create(tid, "analyst", input=user_input("a long answer please"))
        assert run["status"] == "running"
        seen: list[str] = []
        async for part in client.runs.join_stream(tid, run["run_id"], stream_mode="messages-tuple"):
            seen.append(part.event)
            if part.event == "messages" and seen.count("messages") == 3:
                await client.runs.cancel(tid, run["run_id"])
        assert seen[-1] == "end"
        ended = await client.runs.get(tid, run["run_id"])
        assert ended["status"] == "interrupted"
        assert (await client.threads.get(tid))["status"] == "idle"
        listed = await client.runs.list(tid, status="interrupted")
        assert [r["run_id"] for r in listed] == [run["run_id"]]
        # the partial answer is kept, as in the web app
        values = (await client.runs.join(tid, run["run_id"]))["messages"]
        assert values[-1]["type"] == "ai" and values[-1]["content"].startswith("w0 w1")


async def test_another_users_token_cannot_read_the_thread(served: Served) -> None:
    alice, bob = served.users
    async with served.client(alice) as mine, served.client(bob) as theirs:
        tid = (await mine.threads.create())["thread_id"]
        for read in (
            theirs.threads.get(tid),
            theirs.threads.get_state(tid),
            theirs.threads.get_history(tid),
            theirs.runs.list(tid),
        ):
            with pytest.raises(NotFoundError):
                await read
        assert tid not in [t["thread_id"] for t in await theirs.threads.search(limit=100)]
        with pytest.raises(httpx.HTTPStatusError) as refused:  # runs.wait raises httpx's own error
            await theirs.runs.wait(tid, "analyst", input=user_input("hello"))
        assert refused.value.response.status_code == 404
    async with httpx.AsyncClient(base_url=served.replica.url + "/langgraph") as anonymous:
        r = await anonymous.get(f"/threads/{tid}")
        assert r.status_code == 401
        assert r.json()["error"]["code"] == "UNAUTHORIZED"
    # agent-chat-ui sends the key as X-Api-Key: the same token works there
    async with httpx.AsyncClient(
        base_url=served.replica.url + "/langgraph", headers={"X-Api-Key": alice.token}
    ) as ui:
        assert (await ui.get(f"/threads/{tid}")).status_code == 200


async def test_bad_payloads_are_4xx_with_the_api_error_shape(served: Served) -> None:
    alice = served.users[0]
    auth = {"Authorization": f"Bearer {alice.token}"}
    async with httpx.AsyncClient(base_url=served.replica.url + "/langgraph", headers=auth) as http:
        tid = (await http.post("/threads", json={})).json()["thread_id"]
        cases = [
            (
                "POST",
                f"/threads/{tid}/runs/stream",
                {"assistant_id": "analyst", "input": {"messages": "hi"}},
                400,
                "BAD_REQUEST",
            ),
            (
                "POST",
                f"/threads/{tid}/runs/wait",
                {"assistant_id": "analyst", "input": {"messages": []}},
                400,
                "BAD_REQUEST",
            ),
            (
                "POST",
                f"/threads/{tid}/runs",
                {"assistant_id": "nobody", "input": user_input("x")},
                404,
                "ASSISTANT_NOT_FOUND",
            ),
            (
                "POST",
                f"/threads/{tid}/runs",
                {"assistant_id": "analyst", "input": user_input("x"), "stream_mode": "nonsense"},
                422,
                "VALIDATION_ERROR",
            ),
            (
                "POST",
                f"/threads/{tid}/runs",
                {"assistant_id": "analyst", "command": {"resume": 1}},
                400,
                "NOT_SUPPORTED",
            ),
            ("POST", f"/threads/{tid}/runs", {"input": user_input("x")}, 422, "VALIDATION_ERROR"),
            ("POST", "/threads/search", {"limit": "many"}, 422, "VALIDATION_ERROR"),
            ("POST", "/threads", {"thread_id": "not-a-uuid"}, 422, "VALIDATION_ERROR"),
            ("GET", f"/threads/{uuid.uuid4()}/state", None, 404, "THREAD_NOT_FOUND"),
            ("GET", f"/threads/{tid}/runs/{uuid.uuid4()}", None, 404, "RUN_NOT_FOUND"),
        ]
        for method, path, body, code, error in cases:
            r = await http.request(method, path, json=body)
            assert (r.status_code, r.json()["error"]["code"]) == (code, error), (path, body, r.text)
        # nothing was started by the refused runs
        assert (await http.get(f"/threads/{tid}/runs")).json() == []


async def test_on_postgresql_values_stream_and_the_run_lock(served_pg: Served, model: FakeOpenAI) -> None:
    alice = served_pg.users[0]
    model.script({"when": {"has_tools": True}, "content": words(60), "token_delay_s": 0.02})
    async with served_pg.client(alice) as client:
        tid = (await client.threads.create())["thread_id"]
        stream = client.runs.stream(tid, "analyst", input=user_input("hello"), stream_mode="values")
        first = await anext(stream)
        assert first.event == "metadata"
        # one run at a time per thread, as in the web app: a second is refused while this one runs
        r = await client.http.client.post(
            f"/threads/{tid}/runs", json={"assistant_id": "analyst", "input": user_input("again")}
        )
        assert r.status_code == 409 and r.json()["error"]["code"] == "RUN_IN_PROGRESS"
        rest = [p async for p in stream]
        values = [p.data["messages"] for p in rest if p.event == "values"]
        assert [m["type"] for m in values[0]] == ["human"]
        assert [m["type"] for m in values[-1]] == ["human", "ai"]
        assert values[-1][-1]["content"] == words(60)
        assert rest[-1].event == "end"


async def test_an_agent_chat_ui_style_stream_and_a_rejoin(served: Served, model: FakeOpenAI) -> None:
    """The modes and options agent-chat-ui's useStream sends; re-joining after an event id."""
    alice = served.users[0]
    model.script(TOOL_TURN, ANSWER_TURN)
    async with served.client(alice) as client:
        tid = (await client.threads.create(graph_id="analyst"))["thread_id"]
        parts = [
            p
            async for p in client.runs.stream(
                tid,
                "analyst",
                input=user_input("Which datasets?"),
                stream_mode=["values", "messages-tuple", "custom", "tools"],  # "tools": accepted, not sent
                stream_resumable=True,
                on_disconnect="continue",
                config={"configurable": {"model": "ignored"}},
                metadata={"from": "ui"},
            )
        ]
        custom = [p.data["type"] for p in parts if p.event == "custom"]
        assert {"tool_start", "tool_end", "context"} <= set(custom)
        assert custom.index("tool_start") < custom.index("tool_end")
        values = [p.data["messages"] for p in parts if p.event == "values"]
        assert [m["type"] for m in values[-1]] == ["human", "ai", "tool", "ai"]
        run_id = parts[0].data["run_id"]
        middle = next(
            p for p in parts if p.event == "updates" or (p.event == "values" and len(p.data["messages"]) == 2)
        )
        rejoined = [p async for p in client.runs.join_stream(tid, run_id, last_event_id=middle.id)]
        assert rejoined and all(int(p.id) > int(middle.id) for p in rejoined if p.id)  # type: ignore[arg-type]
        assert rejoined[-1].event == "end"
        found = await client.threads.search(metadata={"graph_id": "analyst"}, select=["thread_id", "values"])
        assert found and set(found[0]) == {"thread_id", "values"}


async def test_on_disconnect_cancel_stops_the_run_when_the_client_leaves(
    served: Served, model: FakeOpenAI
) -> None:
    alice = served.users[0]
    model.script({"when": {"has_tools": True}, "content": words(400), "token_delay_s": 0.02})
    async with served.client(alice) as client:
        tid = (await client.threads.create())["thread_id"]
        stream = client.runs.stream(
            tid, "analyst", input=user_input("long"), stream_mode="messages-tuple", on_disconnect="cancel"
        )
        run_id = (await anext(stream)).data["run_id"]
        assert (await anext(stream)).event == "messages"
        await stream.aclose()  # type: ignore[attr-defined]
        await client.runs.join(tid, run_id)
        assert (await client.runs.get(tid, run_id))["status"] == "interrupted"


async def test_the_same_quota_applies_and_delete_is_the_apis(served: Served, model: FakeOpenAI) -> None:
    limited = await make_user(served.sessionmaker)
    async with session_scope(served.sessionmaker) as session:
        await set_quota(session, limited.id, "runs_per_hour", 1)
    async with served.client(limited) as client, served.client(served.users[1]) as other:
        tid = (await client.threads.create())["thread_id"]
        await client.runs.wait(tid, "analyst", input=user_input("one"))
        r = await client.http.client.post(
            f"/threads/{tid}/runs", json={"assistant_id": "analyst", "input": user_input("two")}
        )
        assert r.status_code == 429 and r.json()["error"]["code"] == "QUOTA_EXCEEDED"
        assert len(await client.runs.list(tid)) == 1  # the refused run left nothing behind
        with pytest.raises(NotFoundError):
            await other.threads.delete(tid)
        await client.threads.delete(tid)
    async with httpx.AsyncClient(
        base_url=served.replica.url, headers={"Authorization": f"Bearer {limited.token}"}
    ) as http:
        assert (await http.get(f"/api/threads/{tid}")).status_code == 404
