"""Receipts over the wire (issue 15): real ChatOpenAI against the fake OpenAI server, real sandbox; an
answer's figures get the cell that printed them, an invented figure sends the answer back once."""

from __future__ import annotations

from typing import Any

from tests.agent.conftest import chat_settings, names, open_chat_app, send
from tests.fakes.openai_server import FakeOpenAI

from lgurban.agent.analyst import build_analyst

CODE = "total = 7512345\nprint('totale', total)\nprint('quota', round(1246 / 10000, 4))"


def _turns(llm: FakeOpenAI) -> list[dict[str, Any]]:
    """The analyst's calls (the reviewer's have tools too, but its own system prompt)."""
    return [
        r for r in llm.requests if r.get("tools") and "You are LG-Urban" in str(r["messages"][0]["content"])
    ]


async def test_every_figure_of_the_answer_gets_the_cell_that_printed_it(
    settings_factory: Any, llm: FakeOpenAI
) -> None:
    settings = chat_settings(settings_factory, openai_base_url=llm.url, openai_api_key="sk-fake")
    async with open_chat_app(settings, llm, standin=False) as chat:
        chat.manager.graph_factory = build_analyst
        llm.add_rule({"has_tools": False}, {"content": "Incidenti"})  # the title call
        llm.script(
            {"when": {"has_tools": True}, "tool_calls": [{"name": "execute_code", "args": {"code": CODE}}]},
            {
                "when": {"last_role": "tool", "tool_contains": "7512345"},
                "content": "Gli incidenti sono stati 7,51 milioni, il 12,5 % del totale.",
            },
        )
        thread = await chat.thread()
        events = await send(chat.client, thread, "Quanti incidenti?")
        assert names(events)[-1] == "done" and "answer_check" not in names(events), events
        assert len(_turns(llm)) == 2  # not sent back

        history = (await chat.client.get(f"/api/threads/{thread}/messages")).json()["items"]
        tool = next(m for m in history if m["role"] == "tool")
        execution_id = tool["meta"]["execution_id"]
        answer = history[-1]
        assert answer["role"] == "assistant" and answer["unverified"] == []
        assert [(r["text"], r["value"], r["execution_id"]) for r in answer["receipts"]] == [
            ("7,51 milioni", 7_510_000.0, execution_id),
            ("12,5 %", 12.5, execution_id),
        ]
        first = answer["receipts"][0]
        assert answer["content"][first["start"] : first["end"]] == "7,51 milioni"
        assert "receipts" not in (answer["meta"] or {})  # at the top level only
        streamed = [d["message"] for e, d in events if e == "message" and d["message"]["role"] == "assistant"]
        assert streamed[-1]["receipts"] == answer["receipts"]
        cells = (await chat.client.get(f"/api/threads/{thread}/executions")).json()["items"]
        assert execution_id in {c["id"] for c in cells}


async def test_an_invented_figure_is_sent_back_once_then_marked_unverified(
    settings_factory: Any, llm: FakeOpenAI
) -> None:
    settings = chat_settings(settings_factory, openai_base_url=llm.url, openai_api_key="sk-fake")
    async with open_chat_app(settings, llm, standin=False) as chat:
        chat.manager.graph_factory = build_analyst
        llm.add_rule({"has_tools": False}, {"content": "Sum"})
        llm.script(
            {
                "when": {"has_tools": True},
                "tool_calls": [{"name": "execute_code", "args": {"code": "print(6*7)"}}],
            },
            {"when": {"last_role": "tool"}, "content": "The answer is 42, up from 37.5 last year."},
            {
                "when": {"user_contains": "Verification"},
                "content": "The answer is 42; last year it was 38.2.",
            },
        )
        thread = await chat.thread()
        events = await send(chat.client, thread, "What is 6*7?")
        kinds = names(events)
        assert kinds[-1] == "done" and "error" not in kinds, events
        check = next(d for e, d in events if e == "answer_check")
        assert check["status"] == "revising" and [u["text"] for u in check["unverified"]] == ["37.5"]

        turns = _turns(llm)
        assert len(turns) == 3  # code, the draft, the one revision: never a second time
        note = turns[2]["messages"][-1]
        assert note["role"] == "user" and '"37.5"' in note["content"]

        history = (await chat.client.get(f"/api/threads/{thread}/messages")).json()["items"]
        answers = [m for m in history if m["role"] == "assistant" and not m.get("tool_calls")]
        assert [m["content"] for m in answers] == [
            "The answer is 42; last year it was 38.2."
        ]  # the draft dropped
        assert [r["text"] for r in answers[0]["receipts"]] == ["42"]
        assert [u["text"] for u in answers[0]["unverified"]] == ["38.2"]
        assert all(m["role"] != "user" or m["content"] == "What is 6*7?" for m in history)
