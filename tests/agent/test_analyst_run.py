"""The analyst as the runs manager's graph over real HTTP: real ChatOpenAI against the fake OpenAI server,
real sandbox; the system prompt and tools reach the model, live tool events, the automatic title."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.agent.conftest import chat_settings, names, open_chat_app, send
from tests.fakes.openai_server import FakeOpenAI

from lgurban.agent.analyst import build_analyst
from lgurban.agent.tools import make_tools


async def _title(client: Any, thread_id: str, expected: str) -> str:
    for _ in range(200):
        title = str((await client.get(f"/api/threads/{thread_id}")).json()["title"])
        if title == expected:
            return title
        await asyncio.sleep(0.05)
    return title


async def test_first_exchange_runs_tools_and_titles_the_thread(
    settings_factory: Any, llm: FakeOpenAI
) -> None:
    settings = chat_settings(settings_factory, openai_base_url=llm.url, openai_api_key="sk-fake")
    async with open_chat_app(settings, llm, standin=False) as chat:
        chat.manager.graph_factory = build_analyst
        llm.add_rule({"has_tools": False}, {"content": '"Calcolo di prova."'})  # the title call
        llm.script(
            {
                "when": {"has_tools": True},
                "tool_calls": [{"name": "execute_code", "args": {"code": "print(6*7)"}}],
            },
            {"when": {"last_role": "tool", "tool_contains": "42"}, "content": "The answer is 42."},
        )
        thread = await chat.thread(config={"system_prompt": "Answer briefly."})
        events = await send(chat.client, thread, "What is 6*7?")
        kinds = names(events)
        assert kinds[0] == "run_started" and kinds[-1] == "done", kinds
        assert "tool_start" in kinds and "tool_output" in kinds and "tool_end" in kinds
        outputs = "".join(d["text"] for e, d in events if e == "tool_output")
        assert "42" in outputs
        end = next(d for e, d in events if e == "tool_end")
        assert end["ok"] is True and end["name"] == "execute_code"
        assert "The answer is 42." in "".join(d["text"] for e, d in events if e == "token")

        first = llm.requests[0]
        system = first["messages"][0]
        assert system["role"] == "system" and "LG-Urban" in system["content"]
        assert system["content"].endswith("Answer briefly.")
        tool_names = {t["function"]["name"] for t in first["tools"]}
        expected = {t.name for t in make_tools(resources=None, thread_id=None, user_id=None, run_id=None)}  # type: ignore[arg-type]
        assert tool_names == expected

        assert await _title(chat.client, thread, "Calcolo di prova") == "Calcolo di prova"

        # later exchanges keep the title; a title the user set is never replaced
        await chat.client.patch(f"/api/threads/{thread}", json={"title": "Mine"})
        llm.script({"content": "Still 42."})
        await send(chat.client, thread, "Sure?")
        assert (await chat.client.get(f"/api/threads/{thread}")).json()["title"] == "Mine"


async def test_no_provider_configured_is_an_error_event_naming_the_variable(
    settings_factory: Any, llm: FakeOpenAI
) -> None:
    settings = chat_settings(
        settings_factory, openai_base_url=None, openai_api_key=None, anthropic_api_key=None
    )
    async with open_chat_app(settings, llm, standin=False) as chat:
        chat.manager.graph_factory = build_analyst
        thread = await chat.thread()
        events = await send(chat.client, thread, "hello")
        error = next(d for e, d in events if e == "error")
        assert error["code"] == "MODEL_NOT_CONFIGURED"
        assert "OPENAI_API_KEY" in error["message"]
        assert llm.requests == []


async def test_malformed_tool_arguments_over_the_wire_are_corrected(
    settings_factory: Any, llm: FakeOpenAI
) -> None:
    settings = chat_settings(settings_factory, openai_base_url=llm.url, openai_api_key="sk-fake")
    async with open_chat_app(settings, llm, standin=False) as chat:
        chat.manager.graph_factory = build_analyst
        llm.add_rule({"has_tools": False}, {"content": "t"})
        llm.script(
            {
                "when": {"has_tools": True},
                "tool_calls": [{"name": "execute_code", "arguments": '{"code": print(1)}'}],
            },
            {
                "when": {"last_role": "tool", "tool_contains": "not valid JSON"},
                "tool_calls": [{"name": "execute_code", "args": {"code": "print(2 + 3)"}}],
            },
            {"when": {"last_role": "tool", "tool_contains": "5"}, "content": "Five."},
        )
        thread = await chat.thread()
        events = await send(chat.client, thread, "2+3?")
        kinds = names(events)
        assert kinds[-1] == "done" and "error" not in kinds, events
        ends = [d for e, d in events if e == "tool_end"]
        assert [d["ok"] for d in ends] == [False, True], events
        assert "Five." in "".join(d["text"] for e, d in events if e == "token")
        history = (await chat.client.get(f"/api/threads/{thread}/messages")).json()["items"]
        assert [m["role"] for m in history] == ["user", "assistant", "tool", "assistant", "tool", "assistant"]
