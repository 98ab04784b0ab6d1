"""Issue 15, plan: for a multi-step question the analyst writes a short to-do list with `update_plan`; each
call streams a `plan` event with the whole list, and the stored tool call keeps it for the history.

The real server, analyst graph and sandbox; only the model is the fake OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from tests.agent.conftest import fake_model_settings, names, send
from tests.fakes.openai_server import FakeOpenAI

ANALYST = {"system_contains": "You are LG-Urban"}


def _plan(*statuses: str) -> dict[str, Any]:
    texts = ["Load the counts", "Sum them", "Answer"]
    steps = [{"step": t, "status": s} for t, s in zip(texts, statuses, strict=True)]
    return {"name": "update_plan", "args": {"steps": steps}}


@pytest.fixture
def model() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        fake.add_rule({"has_tools": False}, {"content": "Plan"})  # the title
        yield fake


async def test_the_plan_streams_as_it_is_updated_and_bad_plans_come_back_as_errors(
    settings_factory: Any, live_server_factory: Any, model: FakeOpenAI
) -> None:
    settings = fake_model_settings(settings_factory, model, reviewer_enabled=False)
    two_at_once = {"name": "update_plan", "args": {"steps": [{"step": "a", "status": "in_progress"}] * 2}}
    model.script(
        {"when": ANALYST, "tool_calls": [two_at_once]},
        {"when": ANALYST, "tool_calls": [_plan("in_progress", "pending", "pending")]},
        {"when": ANALYST, "tool_calls": [{"name": "execute_code", "args": {"code": "print(120 + 340)"}}]},
        {"when": ANALYST, "tool_calls": [_plan("done", "done", "in_progress")]},
        {"when": ANALYST, "content": "460 rides in all."},
    )
    server = live_server_factory(settings)
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        tid = (await client.post("/api/threads", json={})).json()["id"]
        events = await send(client, tid, "How many rides were there, in all?")
        assert names(events)[-1] == "done" and "error" not in names(events), events
        messages = (await client.get(f"/api/threads/{tid}/messages")).json()["items"]

    plans = [d for e, d in events if e == "plan"]
    assert [[s["status"] for s in p["steps"]] for p in plans] == [
        ["in_progress", "pending", "pending"],
        ["done", "done", "in_progress"],
    ]  # the bad plan was not shown
    assert plans[0]["steps"][0] == {"text": "Load the counts", "status": "in_progress"}
    assert all(p["agent"] == "analyst" and p["tool_call_id"] for p in plans)
    ends = [d for e, d in events if e == "tool_end" and d["name"] == "update_plan"]
    assert [e["ok"] for e in ends] == [False, True, True]
    assert model.analyst_requests[1]["messages"][-1]["content"].startswith("Error")  # the model reads why
    stored = [m for m in messages if m["role"] == "tool" and m["tool_name"] == "update_plan"]
    assert len(stored) == 3 and "at most one step can be in_progress" in stored[0]["content"]
