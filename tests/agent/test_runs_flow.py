"""Runs over real HTTP, the real ChatOpenAI against the fake server: tools, errors, cancel, locks."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import timedelta
from typing import Any

import httpx
from tests.agent.conftest import ChatApp, chat_settings, names, open_chat_app, parse_sse, send, uid

from lgurban.agent.checkpointer import open_checkpointer
from lgurban.db.models import Execution, Message, Run, Thread, User, utcnow


async def _messages(chat: ChatApp, tid: str) -> list[dict[str, Any]]:
    r = await chat.client.get(f"/api/threads/{tid}/messages")
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


class Stream:
    """A chat POST read event by event, left open (the run goes on without it)."""

    def __init__(self, client: httpx.AsyncClient, tid: str, content: str, **extra: Any) -> None:
        self.cm = client.stream("POST", f"/api/threads/{tid}/messages", json={"content": content, **extra})
        self.buffer = ""
        self.events: list[tuple[str, Any]] = []

    async def __aenter__(self) -> Stream:
        self.response = await self.cm.__aenter__()
        assert self.response.status_code == 200
        self.chunks = self.response.aiter_text()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.cm.__aexit__(None, None, None)

    async def until(self, event: str, count: int = 1, wait_s: float = 20) -> dict[str, Any]:
        """Read until the stream has carried `count` events of this type; the last of them."""
        async with asyncio.timeout(wait_s):
            while True:
                found = [data for name, data in self.events if name == event]
                if len(found) >= count:
                    return found[-1]  # type: ignore[no-any-return]
                text = await anext(self.chunks)
                self.buffer += text
                *blocks, self.buffer = self.buffer.split("\n\n")
                for block in blocks:
                    self.events += parse_sse(block + "\n\n")

    async def rest(self) -> list[tuple[str, Any]]:
        async with asyncio.timeout(30):
            async for text in self.chunks:
                self.buffer += text
        self.events += parse_sse(self.buffer)
        self.buffer = ""
        return self.events


async def test_tool_step_streams_live_output_and_stores_everything(chat: ChatApp) -> None:
    code = "import time\nprint('first', flush=True)\ntime.sleep(0.3)\nprint('second')\n21 * 2"
    chat.fake.script(
        {"content": "Let me compute.", "tool_calls": [{"name": "execute_code", "args": {"code": code}}]},
        {"content": "The answer is 42."},
    )
    tid = await chat.thread()
    events = await send(chat.client, tid, "What is 21*2?")
    kinds = names(events)
    start = next(d for e, d in events if e == "tool_start")
    assert start["name"] == "execute_code" and start["args"] == {"code": code}
    outputs = [d for e, d in events if e == "tool_output"]
    assert outputs and all(o["tool_call_id"] == start["tool_call_id"] for o in outputs)
    assert "first" in "".join(o["text"] for o in outputs)
    # live output arrives before the tool ends, tokens of both model steps are streamed
    assert kinds.index("tool_output") < kinds.index("tool_end") < kinds.index("done")
    end = next(d for e, d in events if e == "tool_end")
    assert end == {**end, "tool_call_id": start["tool_call_id"], "name": "execute_code", "ok": True}
    assert "context" in kinds
    items = await _messages(chat, tid)
    assert [m["role"] for m in items] == ["user", "assistant", "tool", "assistant"]
    assert items[1]["tool_calls"] == [
        {"id": start["tool_call_id"], "name": "execute_code", "args": {"code": code}}
    ]
    assert items[2]["tool_call_id"] == start["tool_call_id"] and items[2]["tool_name"] == "execute_code"
    assert "first" in items[2]["meta"]["output"] and "second" in items[2]["meta"]["output"]
    assert items[3]["content"] == "The answer is 42."
    # the second model call saw the tool's result
    second = chat.fake.requests[-1]["messages"]
    assert second[-1]["role"] == "tool" and "second" in second[-1]["content"]
    async with chat.sessionmaker() as session:
        row = (
            await session.execute(Execution.__table__.select().where(Execution.thread_id == uuid.UUID(tid)))
        ).one()
        assert row.source == "agent" and row.tool_call_id == start["tool_call_id"] and row.run_id is not None
        thread = await session.get(Thread, uuid.UUID(tid))
        assert thread is not None and thread.tokens_used > 0


async def test_state_reports_running_then_context(chat: ChatApp) -> None:
    chat.fake.script({"content": "slow " * 30, "token_delay_s": 0.03})
    tid = await chat.thread()
    async with Stream(chat.client, tid, "hi") as stream:
        started = await stream.until("token")
        assert started
        state = (await chat.client.get(f"/api/threads/{tid}/state")).json()
        assert state["running"] is True and state["run_id"] == stream.events[0][1]["run_id"]
        await stream.rest()
    state = (await chat.client.get(f"/api/threads/{tid}/state")).json()
    assert state["running"] is False and state["run_id"] is None
    assert state["context"]["tokens_used"] > 0 and state["context"]["context_window"] == 128_000


async def test_second_message_while_running_is_409_then_allowed(chat: ChatApp) -> None:
    chat.fake.script({"content": "word " * 40, "token_delay_s": 0.02}, {"content": "Second answer."})
    tid = await chat.thread()
    async with Stream(chat.client, tid, "first") as stream:
        await stream.until("token")
        r = await chat.client.post(f"/api/threads/{tid}/messages", json={"content": "second"})
        assert r.status_code == 409 and r.json()["error"]["code"] == "RUN_IN_PROGRESS"
        await stream.rest()
    events = await send(chat.client, tid, "second")
    assert names(events)[-1] == "done" and "error" not in names(events)
    assert [m["content"] for m in await _messages(chat, tid) if m["role"] == "user"] == ["first", "second"]


async def test_idempotent_client_message_id(chat: ChatApp) -> None:
    chat.fake.script({"content": "Only once."})
    tid = await chat.thread()
    cmid = uid()
    first = await send(chat.client, tid, "hello", client_message_id=cmid)
    again = await send(chat.client, tid, "hello", client_message_id=cmid)
    assert len(chat.fake.requests) == 1
    run_id = first[0][1]["run_id"]
    assert again[0] == ("run_started", {"type": "run_started", "agent": "analyst", "run_id": run_id})
    assert again[-1][0] == "done" and again[-1][1]["run_id"] == run_id
    replayed = [d["message"]["content"] for e, d in again if e == "message"]
    assert replayed == ["hello", "Only once."]
    assert len(await _messages(chat, tid)) == 2


async def test_same_client_message_id_while_running_attaches_to_the_run(chat: ChatApp) -> None:
    chat.fake.script({"content": "tick " * 20, "token_delay_s": 0.02})
    tid = await chat.thread()
    cmid = uid()
    async with Stream(chat.client, tid, "go", client_message_id=cmid) as stream:
        await stream.until("token")
        again = await send(chat.client, tid, "go", client_message_id=cmid)
        first = await stream.rest()
    assert [e for e in names(again) if e != "token"] == [e for e in names(first) if e != "token"]
    assert "".join(d["text"] for e, d in again if e == "token") == "tick " * 20
    assert len(chat.fake.requests) == 1


async def test_cancel_while_streaming_keeps_text_and_thread_continues(chat: ChatApp) -> None:
    chat.fake.script({"content": "part " * 200, "token_delay_s": 0.02}, {"content": "Continuing."})
    tid = await chat.thread()
    async with Stream(chat.client, tid, "long answer please") as stream:
        await stream.until("token", count=5)
        r = await chat.client.post(f"/api/threads/{tid}/runs/cancel")
        assert r.status_code == 202 and r.json()["run_id"] == stream.events[0][1]["run_id"]
        events = await stream.rest()
    assert events[-1][0] == "done" and events[-1][1]["status"] == "cancelled"
    streamed = "".join(d["text"] for e, d in events if e == "token")
    items = await _messages(chat, tid)
    assert items[-1]["role"] == "assistant" and items[-1]["content"] == streamed
    assert items[-1]["meta"]["partial"] is True and len(streamed) < len("part " * 200)
    events = await send(chat.client, tid, "go on")
    assert names(events)[-1] == "done" and "error" not in names(events)
    seen = chat.fake.requests[-1]["messages"]
    assert [m["role"] for m in seen][-3:] == ["user", "assistant", "user"]
    assert seen[-2]["content"] == streamed


async def test_cancel_running_code_interrupts_it(chat: ChatApp) -> None:
    code = "import time\nfor i in range(600):\n    print('step', i, flush=True)\n    time.sleep(0.1)\n"
    chat.fake.script(
        {"tool_calls": [{"name": "execute_code", "args": {"code": code}}]}, {"content": "OK, stopped."}
    )
    tid = await chat.thread()
    async with Stream(chat.client, tid, "run the slow analysis") as stream:
        await stream.until("tool_output")
        t0 = asyncio.get_running_loop().time()
        assert (await chat.client.post(f"/api/threads/{tid}/runs/cancel")).status_code == 202
        events = await stream.rest()
        assert asyncio.get_running_loop().time() - t0 < 10
    assert events[-1][1]["status"] == "cancelled"
    end = next(d for e, d in events if e == "tool_end")
    assert end["ok"] is False
    items = await _messages(chat, tid)
    assert [m["role"] for m in items] == ["user", "assistant", "tool"]
    assert "step 0" in items[2]["meta"]["output"] and items[2]["meta"]["ok"] is False
    # the sandbox is free again and the conversation goes on with a valid history
    events = await send(chat.client, tid, "continue")
    assert "error" not in names(events)
    seen = chat.fake.requests[-1]["messages"]
    assert [m["role"] for m in seen][-3:] == ["assistant", "tool", "user"]
    r = await chat.client.post(f"/api/threads/{tid}/execute", json={"code": "print('free')"})
    assert r.status_code == 200 and r.json()["stdout"] == "free\n"


async def test_model_rate_limited_then_retry(chat: ChatApp) -> None:
    chat.fake.script({"error": {"status": 429, "message": "slow down"}}, {"content": "Now it works."})
    tid = await chat.thread()
    events = await send(chat.client, tid, "question")
    error = next(d for e, d in events if e == "error")
    assert error["code"] == "MODEL_UNAVAILABLE" and events[-1] == (
        "done",
        {**events[-1][1], "status": "error"},
    )
    assert [m["role"] for m in await _messages(chat, tid)] == ["user"]
    events = await send(chat.client, tid, "question")
    assert "error" not in names(events)
    assert (await _messages(chat, tid))[-1]["content"] == "Now it works."


async def test_model_down_is_model_unavailable(chat: ChatApp) -> None:
    chat.fake.script({"error": {"status": 500}})
    tid = await chat.thread()
    events = await send(chat.client, tid, "question")
    assert next(d for e, d in events if e == "error")["code"] == "MODEL_UNAVAILABLE"


async def test_malformed_tool_arguments_do_not_crash_the_run(chat: ChatApp) -> None:
    chat.fake.script({"tool_calls": [{"name": "execute_code", "arguments": "code=print(1)"}]})
    tid = await chat.thread()
    events = await send(chat.client, tid, "go")
    assert events[-1][0] == "done" and "error" not in names(events)
    items = await _messages(chat, tid)
    assert items[1]["tool_calls"][0]["invalid_args"] == "code=print(1)"
    assert items[2]["role"] == "tool" and items[2]["meta"]["ok"] is False
    assert "not valid JSON" in items[2]["content"]
    # the call has its answer in the graph state too: the next model call is valid
    chat.fake.script({"content": "Sorry about that."})
    assert "error" not in names(await send(chat.client, tid, "again"))
    assert [m["role"] for m in chat.fake.requests[-1]["messages"]][-3:] == ["assistant", "tool", "user"]


async def test_recursion_runaway_stops_with_a_clear_message(settings_factory, llm) -> None:  # type: ignore[no-untyped-def]
    llm.add_rule({"has_tools": True}, {"tool_calls": [{"name": "wait", "args": {"seconds": 0}}]})
    async with open_chat_app(chat_settings(settings_factory, agent_recursion_limit=6), llm) as chat:
        tid = await chat.thread()
        events = await send(chat.client, tid, "loop forever")
        error = next(d for e, d in events if e == "error")
        assert error["code"] == "RECURSION_LIMIT" and "6 steps" in error["message"]
        assert events[-1][1]["status"] == "error"
        # the thread continues after the runaway
        llm.reset()
        llm.script({"content": "Fine."})
        assert "error" not in names(await send(chat.client, tid, "stop looping"))


async def test_bad_input(chat: ChatApp) -> None:
    tid = await chat.thread()
    for body in (
        {"content": ""},
        {"content": "   \n"},
        {"content": "x" * 100_001},
        {},
        {"content": "hi", "x": 1},
    ):
        r = await chat.client.post(f"/api/threads/{tid}/messages", json=body)
        assert r.status_code == 422, body
    r = await chat.client.post(f"/api/threads/{tid}/messages", json={"content": "é" * 60_000})
    assert r.status_code == 422  # 120 kB in UTF-8
    r = await chat.client.post(f"/api/threads/{uid()}/messages", json={"content": "hi"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "THREAD_NOT_FOUND"
    await chat.client.patch(f"/api/threads/{tid}", json={"archived": True})
    r = await chat.client.post(f"/api/threads/{tid}/messages", json={"content": "hi"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "THREAD_ARCHIVED"
    assert (await _messages(chat, tid)) == []
    assert chat.fake.requests == []


async def test_another_users_thread_is_404_everywhere(chat: ChatApp) -> None:
    async with chat.sessionmaker() as session:
        other = User(name=f"other-{uid()[:8]}")
        session.add(other)
        await session.flush()
        thread = Thread(owner_id=other.id)
        session.add(thread)
        await session.commit()
    base = f"/api/threads/{thread.id}"
    for method, path, body in [
        ("GET", "/messages", None),
        ("POST", "/messages", {"content": "hi"}),
        ("POST", "/runs/cancel", None),
        ("GET", "/state", None),
        ("GET", "/runs/active/events", None),
    ]:
        r = await chat.client.request(method, base + path, json=body)
        assert r.status_code == 404 and r.json()["error"]["code"] == "THREAD_NOT_FOUND", (method, path)


async def test_stale_run_does_not_block_but_a_live_one_does(chat: ChatApp) -> None:
    tid = await chat.thread()
    async with chat.sessionmaker() as session:
        stale = Run(thread_id=uuid.UUID(tid), heartbeat_at=utcnow() - timedelta(minutes=5))
        session.add(stale)
        await session.commit()
    chat.fake.script({"content": "Recovered."})
    events = await send(chat.client, tid, "hello")
    assert "error" not in names(events)
    async with chat.sessionmaker() as session:
        row = await session.get(Run, stale.id)
        assert row is not None and row.status == "error" and row.error_code == "RUN_INTERRUPTED"
        # a run another replica is running (fresh heartbeat) holds the thread
        session.add(Run(thread_id=uuid.UUID(tid)))
        await session.commit()
    r = await chat.client.post(f"/api/threads/{tid}/messages", json={"content": "again"})
    assert r.status_code == 409
    state = (await chat.client.get(f"/api/threads/{tid}/state")).json()
    assert state["running"] is True


async def test_reattach_to_a_running_run(chat: ChatApp) -> None:
    text = "alpha beta gamma delta epsilon zeta eta theta"
    chat.fake.script({"content": text, "token_delay_s": 0.05})
    tid = await chat.thread()
    r = await chat.client.get(f"/api/threads/{tid}/runs/active/events")
    assert r.status_code == 204
    async with Stream(chat.client, tid, "greek letters") as stream:
        await stream.until("token")
    # the first client left; a new one re-attaches and gets the run from its start
    async with chat.client.stream("GET", f"/api/threads/{tid}/runs/active/events") as r:
        assert r.status_code == 200
        events = parse_sse((await r.aread()).decode())
    assert events[0][0] == "run_started" and events[-1][0] == "done"
    assert "".join(d["text"] for e, d in events if e == "token") == text
    async with chat.client.stream("GET", f"/api/threads/{tid}/runs/active/events?after=3") as r:
        assert r.status_code == 204


async def test_keepalive_comments_while_waiting(chat: ChatApp) -> None:
    chat.fake.script(
        {"tool_calls": [{"name": "wait", "args": {"seconds": 0.7}}]}, {"content": "Done waiting."}
    )
    tid = await chat.thread()
    async with chat.client.stream("POST", f"/api/threads/{tid}/messages", json={"content": "wait"}) as r:
        raw = (await r.aread()).decode()
    assert ": keepalive\n\n" in raw  # the keepalive interval is 0.2 s in these tests
    assert parse_sse(raw)[-1][0] == "done"


async def test_user_message_is_stored_before_the_model_answers(chat: ChatApp) -> None:
    chat.fake.script({"content": "late " * 10, "token_delay_s": 0.05})
    tid = await chat.thread()
    async with Stream(chat.client, tid, "remember me") as stream:
        message = await stream.until("message")
        assert message["message"]["role"] == "user"
        async with chat.sessionmaker() as session:
            rows = (
                await session.execute(Message.__table__.select().where(Message.thread_id == uuid.UUID(tid)))
            ).all()
            assert [r.content for r in rows] == ["remember me"]
        await stream.rest()
    assert json.dumps(stream.events)


async def test_deleting_a_thread_stops_its_run_and_drops_its_checkpoints(chat: ChatApp) -> None:
    chat.fake.script({"tool_calls": [{"name": "wait", "args": {"seconds": 30}}]})
    tid = await chat.thread()
    async with Stream(chat.client, tid, "wait a long time") as stream:
        await stream.until("tool_start")
        assert (await chat.client.delete(f"/api/threads/{tid}")).status_code == 204
        events = await stream.rest()
    assert events[-1][0] == "done" and events[-1][1]["status"] == "cancelled"
    # the server's saver lives on the server's event loop: look in the same database from here
    async with open_checkpointer(chat.settings) as checkpointer:
        assert [c async for c in checkpointer.alist({"configurable": {"thread_id": tid}})] == []
    assert (await chat.client.get(f"/api/threads/{tid}/state")).status_code == 404


async def test_no_model_configured_says_which_variable_to_set(settings_factory, llm) -> None:  # type: ignore[no-untyped-def]
    """The real analyst graph factory on a server without any provider key: the chat says what to set."""
    settings = chat_settings(
        settings_factory, openai_api_key=None, openai_base_url=None, anthropic_api_key=None
    )
    async with open_chat_app(settings, llm, standin=False) as chat:
        tid = await chat.thread()
        events = await send(chat.client, tid, "hello")
        error = next(d for e, d in events if e == "error")
        assert error["code"] == "MODEL_NOT_CONFIGURED" and "OPENAI_API_KEY" in error["message"]
        assert events[-1][0] == "done" and events[-1][1]["status"] == "error"
        assert [m["role"] for m in await _messages(chat, tid)] == ["user"]
        # code still runs without a model
        r = await chat.client.post(f"/api/threads/{tid}/execute", json={"code": "print(1 + 1)"})
        assert r.status_code == 200 and r.json()["stdout"] == "2\n"
        assert llm.requests == []


async def test_a_refused_key_says_retrying_cannot_help_and_shows_no_raw_exception(chat: ChatApp) -> None:
    chat.fake.script({"error": {"status": 401, "message": "Incorrect API key provided: sk-fake"}})
    tid = await chat.thread()
    events = await send(chat.client, tid, "question")
    error = next(d for e, d in events if e == "error")
    assert error["code"] == "MODEL_AUTH_FAILED"
    assert "Retrying will not help" in error["message"]
    assert "sk-fake" not in error["message"] and "Error code" not in error["message"]
    assert [m["role"] for m in await _messages(chat, tid)] == ["user"]  # the question is kept


async def test_an_unknown_model_is_model_not_found(chat: ChatApp) -> None:
    chat.fake.script({"error": {"status": 404, "message": "The model `nope` does not exist"}})
    tid = await chat.thread()
    events = await send(chat.client, tid, "question")
    assert next(d for e, d in events if e == "error")["code"] == "MODEL_NOT_FOUND"
