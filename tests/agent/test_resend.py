"""Issue 19: edit-and-resend of the last question and regenerate of the last answer, as new runs.

The real analyst graph (its checkpointer on the database under test) against the fake OpenAI server: what
the model is sent on the new run is the conversation before the replaced question plus the new one; the
earlier answer is still in the thread's history, the new user message says which one it replaces.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from tests.agent.conftest import ChatApp, chat_settings, names, open_chat_app, parse_sse, send
from tests.conftest import wait_until
from tests.fakes.openai_server import FakeOpenAI


@pytest.fixture
async def analyst(settings_factory, llm: FakeOpenAI) -> AsyncIterator[ChatApp]:  # type: ignore[no-untyped-def]
    # the reviewer (tests/agent/test_reviewer_run.py) off: its calls would take these tests' scripted turns
    settings = chat_settings(
        settings_factory, openai_base_url=llm.url, openai_api_key="sk-fake", reviewer_enabled=False
    )
    llm.add_rule({"has_tools": False}, {"content": "A title"})  # the automatic title (helper model)
    async with open_chat_app(settings, llm, standin=False) as chat:
        yield chat


def turn(content: str, **extra: Any) -> dict[str, Any]:
    return {"when": {"has_tools": True}, "content": content, **extra}


async def history(chat: ChatApp, tid: str) -> list[dict[str, Any]]:
    r = await chat.client.get(f"/api/threads/{tid}/messages")
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def seen(chat: ChatApp) -> list[tuple[str, str]]:
    """(role, text) of the last agent request, the system prompt left out."""
    last = chat.fake.analyst_requests[-1]
    return [(m["role"], m["content"]) for m in last["messages"] if m["role"] != "system"]


async def redo(chat: ChatApp, tid: str, mid: str, action: str, **body: Any) -> list[tuple[str, Any]]:
    url = f"/api/threads/{tid}/messages/{mid}/{action}"
    async with chat.client.stream("POST", url, json=body or None) as r:
        assert r.status_code == 200, (await r.aread()).decode()
        return parse_sse((await r.aread()).decode())


async def test_regenerate_sends_the_history_without_the_old_answer(analyst: ChatApp) -> None:
    chat = analyst
    chat.fake.script(turn("First answer."), turn("Second answer."), turn("Another second answer."))
    tid = await chat.thread()
    await send(chat.client, tid, "first question")
    await send(chat.client, tid, "second question")
    old = await history(chat, tid)
    answer = next(m for m in reversed(old) if m["role"] == "assistant")
    events = await redo(chat, tid, answer["id"], "regenerate")
    assert names(events)[-1] == "done" and "error" not in names(events)
    assert seen(chat) == [
        ("user", "first question"),
        ("assistant", "First answer."),
        ("user", "second question"),
    ]
    items = await history(chat, tid)
    assert [m["content"] for m in items] == [
        "first question",
        "First answer.",
        "second question",
        "Second answer.",  # the old answer is kept
        "second question",
        "Another second answer.",
    ]
    replaced = next(m for m in reversed(old) if m["role"] == "user")
    assert items[4]["meta"]["replaces"] == replaced["id"] and items[4]["meta"]["resend"] == "regenerate"
    # the conversation goes on from the new answer only
    chat.fake.script(turn("Third answer."))
    await send(chat.client, tid, "third question")
    assert [c for _, c in seen(chat)] == [
        "first question",
        "First answer.",
        "second question",
        "Another second answer.",
        "third question",
    ]


async def test_edit_sends_the_edited_question_and_keeps_the_old_exchange(analyst: ChatApp) -> None:
    chat = analyst
    chat.fake.script(turn("Answer about Navile."), turn("Answer about Savena."), turn("Answer again."))
    tid = await chat.thread()
    await send(chat.client, tid, "accidents in Navile?")
    question = (await history(chat, tid))[0]
    events = await redo(chat, tid, question["id"], "edit", content="accidents in Savena?")
    assert names(events)[-1] == "done" and "error" not in names(events)
    assert seen(chat) == [("user", "accidents in Savena?")]
    items = await history(chat, tid)
    assert [m["content"] for m in items] == [
        "accidents in Navile?",
        "Answer about Navile.",
        "accidents in Savena?",
        "Answer about Savena.",
    ]
    assert items[2]["meta"]["replaces"] == question["id"] and items[2]["meta"]["resend"] == "edit"
    # the edited question is now the last one: it can be edited again, the earlier one cannot
    events = await redo(chat, tid, items[2]["id"], "edit", content="accidents in Borgo Panigale?")
    assert seen(chat) == [("user", "accidents in Borgo Panigale?")]


async def test_bad_resends_are_4xx_with_a_code(analyst: ChatApp) -> None:
    chat = analyst
    chat.fake.script(turn("One."), turn("Two."))
    tid = await chat.thread()
    await send(chat.client, tid, "q1")
    await send(chat.client, tid, "q2")
    items = await history(chat, tid)
    base = f"/api/threads/{tid}/messages"

    async def post(mid: str, action: str, body: Any = None) -> tuple[int, str]:
        r = await chat.client.post(f"{base}/{mid}/{action}", json=body)
        return r.status_code, r.json()["error"]["code"]

    assert await post(items[0]["id"], "edit", {"content": "x"}) == (400, "NOT_LAST_USER_MESSAGE")
    assert await post(items[1]["id"], "regenerate") == (400, "NOT_LAST_ANSWER")
    assert await post(items[2]["id"], "regenerate") == (400, "NOT_LAST_ANSWER")  # a question
    assert await post(str(uuid.uuid4()), "regenerate") == (404, "MESSAGE_NOT_FOUND")
    assert await post(str(uuid.uuid4()), "edit", {"content": "x"}) == (404, "MESSAGE_NOT_FOUND")
    assert (await post(items[2]["id"], "edit", {"content": "  "}))[0] == 422
    assert (await post(items[2]["id"], "edit", {}))[0] == 422
    assert (await post("not-a-uuid", "regenerate"))[0] == 422
    other = await chat.thread()
    r = await chat.client.post(f"/api/threads/{other}/messages/{items[3]['id']}/regenerate")
    assert r.status_code == 404 and r.json()["error"]["code"] == "MESSAGE_NOT_FOUND"
    assert [m["id"] for m in await history(chat, tid)] == [m["id"] for m in items]  # nothing stored


async def test_regenerate_while_a_run_is_going_is_409(analyst: ChatApp) -> None:
    chat = analyst
    chat.fake.script(turn("Done."), turn("slow " * 60, token_delay_s=0.02))
    tid = await chat.thread()
    await send(chat.client, tid, "q1")
    answer = (await history(chat, tid))[-1]
    url = f"/api/threads/{tid}/messages"
    async with chat.client.stream("POST", url, json={"content": "q2"}) as running:
        assert running.status_code == 200
        async for text in running.aiter_text():
            if "event: token" in text:
                break
        r = await chat.client.post(f"{url}/{answer['id']}/regenerate")
        assert r.status_code == 409 and r.json()["error"]["code"] == "RUN_IN_PROGRESS"
        await chat.client.post(f"/api/threads/{tid}/runs/cancel")

    async def idle() -> bool:
        return not (await chat.client.get(f"/api/threads/{tid}/state")).json()["running"]

    await wait_until(idle, timeout=20)
    # once stopped, the last answer can be regenerated
    chat.fake.script(turn("Again."))
    latest = [m for m in await history(chat, tid) if m["role"] == "assistant"][-1]
    events = await redo(chat, tid, latest["id"], "regenerate")
    assert names(events)[-1] == "done"
