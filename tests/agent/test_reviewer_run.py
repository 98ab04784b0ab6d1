"""The reviewer over the wire (issue 15): real ChatOpenAI against the fake OpenAI server for both the
analyst and the reviewer (the helper model), the real app over HTTP, SQLite and PostgreSQL. A good answer
passes with its scores stored; a low one goes back exactly REVIEWER_MAX_REROUTES times; `reviewer: false`
means no review; a reviewer giving garbage never costs the answer."""

from __future__ import annotations

from typing import Any

import pytest
from tests.agent.conftest import chat_settings, names, open_chat_app, send
from tests.fakes.openai_server import FakeOpenAI

from lgurban.agent.analyst import build_analyst

ANALYST = {"system_contains": "You are LG-Urban"}
REVIEWER = {"system_contains": "You review the final answer"}
CODE = "total = 7512345\nprint('totale', total)"


def _analyst_calls(llm: FakeOpenAI) -> list[dict[str, Any]]:
    return [r for r in llm.requests if "You are LG-Urban" in str(r["messages"][0].get("content"))]


def _review_calls(llm: FakeOpenAI) -> list[dict[str, Any]]:
    return [r for r in llm.requests if "You review the final answer" in str(r["messages"][0].get("content"))]


def _scores(completeness: int, relevancy: int, critique: str = "") -> dict[str, Any]:
    args = {"completeness": completeness, "relevancy": relevancy, "critique": critique}
    return {"when": REVIEWER, "tool_calls": [{"name": "ReviewScores", "args": args}]}


def _answer(text: str) -> dict[str, Any]:
    return {"when": ANALYST, "content": text}


async def _final_answers(chat: Any, thread: str) -> list[dict[str, Any]]:
    history = (await chat.client.get(f"/api/threads/{thread}/messages")).json()["items"]
    return [m for m in history if m["role"] == "assistant" and not m.get("tool_calls")]


async def test_a_good_answer_passes_with_its_scores_stored(settings_factory: Any, llm: FakeOpenAI) -> None:
    settings = chat_settings(settings_factory, openai_base_url=llm.url, openai_api_key="sk-fake")
    async with open_chat_app(settings, llm, standin=False) as chat:
        chat.manager.graph_factory = build_analyst
        llm.add_rule({"has_tools": False}, {"content": "Incidenti"})  # the title call
        llm.script(
            {"when": ANALYST, "tool_calls": [{"name": "execute_code", "args": {"code": CODE}}]},
            {"when": {**ANALYST, "last_role": "tool"}, "content": "Gli incidenti sono stati 7,51 milioni."},
            _scores(5, 4),
        )
        thread = await chat.thread()
        events = await send(chat.client, thread, "Quanti incidenti?")
        kinds = names(events)
        assert kinds[-1] == "done" and "error" not in kinds, events
        review = next(d for e, d in events if e == "review")
        assert review["agent"] == "reviewer"
        assert review["review"] == {
            "completeness": 5,
            "relevancy": 4,
            "verdict": "pass",
            "reroutes": 0,
            "critique": None,
        }
        # the scores come before the answer is stored, so the stored message carries them
        assert kinds.index("review") < max(i for i, k in enumerate(kinds) if k == "message")

        assert len(_analyst_calls(llm)) == 2 and len(_review_calls(llm)) == 1
        asked = _review_calls(llm)[0]["messages"][-1]["content"]
        assert "Quanti incidenti?" in asked and "7,51 milioni" in asked
        assert 'figures found in tool outputs: "7,51 milioni"' in asked

        [answer] = await _final_answers(chat, thread)
        assert answer["review"] == {
            "completeness": 5,
            "relevancy": 4,
            "verdict": "pass",
            "reroutes": 0,
            "critique": None,
        }
        assert [r["text"] for r in answer["receipts"]] == ["7,51 milioni"]
        assert "review" not in (answer["meta"] or {})  # at the top level only
        streamed = [d["message"] for e, d in events if e == "message" and d["message"]["role"] == "assistant"]
        assert streamed[-1]["review"] == answer["review"]


@pytest.mark.parametrize("max_reroutes", [1, 2])
async def test_a_low_score_sends_the_answer_back_exactly_n_times(
    settings_factory: Any, llm: FakeOpenAI, max_reroutes: int
) -> None:
    settings = chat_settings(
        settings_factory,
        openai_base_url=llm.url,
        openai_api_key="sk-fake",
        reviewer_max_reroutes=max_reroutes,
    )
    async with open_chat_app(settings, llm, standin=False) as chat:
        chat.manager.graph_factory = build_analyst
        llm.add_rule({"has_tools": False}, {"content": "Parks"})
        drafts = [_answer(f"Draft {'again ' * i}about parks.") for i in range(max_reroutes + 1)]
        reviews = [_scores(2, 4, "Say which district has the most parks.") for _ in range(max_reroutes + 1)]
        llm.script(*[turn for pair in zip(drafts, reviews, strict=True) for turn in pair])
        thread = await chat.thread()
        events = await send(chat.client, thread, "Which district has the most parks?")
        kinds = names(events)
        assert kinds[-1] == "done" and "error" not in kinds, events

        # one analyst answer and one review per round: the first, plus one per reroute, never more
        assert len(_analyst_calls(llm)) == max_reroutes + 1
        assert len(_review_calls(llm)) == max_reroutes + 1
        verdicts = [(d["review"]["verdict"], d["review"]["reroutes"]) for e, d in events if e == "review"]
        assert verdicts == [("revise", n) for n in range(1, max_reroutes + 1)] + [("low", max_reroutes)]
        note = _analyst_calls(llm)[1]["messages"][-1]
        assert note["role"] == "user" and "Say which district has the most parks." in note["content"]
        assert "completeness 2/5" in note["content"]

        [answer] = await _final_answers(chat, thread)  # every sent-back draft dropped
        assert answer["content"] == drafts[-1]["content"]
        assert answer["review"] == {
            "completeness": 2,
            "relevancy": 4,
            "verdict": "low",
            "reroutes": max_reroutes,
            "critique": "Say which district has the most parks.",
        }
        history = (await chat.client.get(f"/api/threads/{thread}/messages")).json()["items"]
        assert [m["content"] for m in history if m["role"] == "user"] == [
            "Which district has the most parks?"
        ]


async def test_reviewer_false_in_the_thread_config_means_no_review(
    settings_factory: Any, llm: FakeOpenAI
) -> None:
    settings = chat_settings(settings_factory, openai_base_url=llm.url, openai_api_key="sk-fake")
    async with open_chat_app(settings, llm, standin=False) as chat:
        chat.manager.graph_factory = build_analyst
        llm.add_rule({"has_tools": False}, {"content": "Parks"})
        llm.add_rule(REVIEWER, _scores(1, 1, "should never be asked"))
        llm.script(_answer("The city has many parks."))
        thread = await chat.thread()
        assert (await chat.client.get(f"/api/threads/{thread}")).json()["config"]["reviewer"] is True
        r = await chat.client.patch(f"/api/threads/{thread}", json={"config": {"reviewer": False}})
        assert r.status_code == 200 and r.json()["config"]["reviewer"] is False, r.text
        assert (await chat.client.get(f"/api/threads/{thread}")).json()["config"]["reviewer"] is False

        events = await send(chat.client, thread, "Are there parks?")
        assert names(events)[-1] == "done" and "review" not in names(events), events
        assert _review_calls(llm) == [] and len(_analyst_calls(llm)) == 1
        [answer] = await _final_answers(chat, thread)
        assert answer["content"] == "The city has many parks." and answer["review"] is None


async def test_reviewer_config_refuses_a_non_boolean(settings_factory: Any, llm: FakeOpenAI) -> None:
    settings = chat_settings(settings_factory, openai_base_url=llm.url, openai_api_key="sk-fake")
    async with open_chat_app(settings, llm, standin=False) as chat:
        thread = await chat.thread()
        r = await chat.client.patch(f"/api/threads/{thread}", json={"config": {"reviewer": "no"}})
        assert r.status_code == 422, r.text
        r = await chat.client.post("/api/threads", json={"config": {"reviewer": False}})
        assert r.status_code == 201 and r.json()["config"]["reviewer"] is False, r.text


@pytest.mark.parametrize(
    "garbage",
    [
        {"content": "Looks fine to me!"},  # no scores at all
        {"tool_calls": [{"name": "ReviewScores", "arguments": '{"completeness": "great", '}]},  # broken JSON
        {"tool_calls": [{"name": "ReviewScores", "args": {"completeness": 9, "relevancy": 0}}]},  # off scale
    ],
)
async def test_a_reviewer_giving_garbage_is_skipped_and_the_answer_delivered(
    settings_factory: Any, llm: FakeOpenAI, garbage: dict[str, Any]
) -> None:
    settings = chat_settings(settings_factory, openai_base_url=llm.url, openai_api_key="sk-fake")
    async with open_chat_app(settings, llm, standin=False) as chat:
        chat.manager.graph_factory = build_analyst
        llm.add_rule({"has_tools": False}, {"content": "Parks"})
        llm.script(_answer("The city has many parks."), {"when": REVIEWER, **garbage})
        thread = await chat.thread()
        events = await send(chat.client, thread, "Are there parks?")
        kinds = names(events)
        assert kinds[-1] == "done" and "error" not in kinds, events
        review = next(d for e, d in events if e == "review")["review"]
        assert review == {
            "completeness": None,
            "relevancy": None,
            "verdict": "skipped",
            "reroutes": 0,
            "critique": None,
        }
        assert len(_review_calls(llm)) == 1 and len(_analyst_calls(llm)) == 1
        [answer] = await _final_answers(chat, thread)
        assert answer["content"] == "The city has many parks."
        assert answer["review"] == review
