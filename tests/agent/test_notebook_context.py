"""Issue 14: the analyst is told what the user ran in the Notebook panel since its last answer (the cells
share its Python session), so "what did I load?" can be answered and the user's variables built on.

The real server, analyst graph and sandbox; only the model is the fake OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from tests.agent.conftest import fake_model_settings, names, send
from tests.fakes.openai_server import FakeOpenAI

LOAD = (
    "import pandas as pd\nbikes = pd.DataFrame({'day': ['Mon', 'Tue'], 'count': [120, 340]})\n"
    "int(bikes['count'].sum())"
)
ANALYST = "You are LG-Urban"


@pytest.fixture
def model() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        fake.add_rule({"has_tools": False}, {"content": "Bikes"})  # the title
        yield fake


async def test_the_analyst_sees_the_users_notebook_cells_since_its_last_answer(
    settings_factory: Any, live_server_factory: Any, model: FakeOpenAI
) -> None:
    settings = fake_model_settings(settings_factory, model, reviewer_enabled=False)
    use = "print('total', bikes['count'].sum())"
    model.script(
        {
            "when": {"system_contains": ANALYST},
            "tool_calls": [{"name": "execute_code", "args": {"code": use}}],
        },
        {"when": {"system_contains": ANALYST}, "content": "You loaded `bikes`: 460 rides in all."},
        {"when": {"system_contains": ANALYST}, "content": "Nothing new since then."},
    )
    server = live_server_factory(settings)
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        tid = (await client.post("/api/threads", json={})).json()["id"]
        for code in (LOAD, "1 / 0"):
            r = await client.post(f"/api/threads/{tid}/execute", json={"code": code})
            assert r.status_code == 200, r.text
        events = await send(client, tid, "What did I load?")
        assert names(events)[-1] == "done" and "error" not in names(events), events
        events = await send(client, tid, "Anything else?")
        assert names(events)[-1] == "done" and "error" not in names(events), events

    first, second, third = (r["messages"][0]["content"] for r in model.analyst_requests)
    assert "Cells the user ran in the Notebook panel since your last answer" in first
    assert f"```python\n{LOAD}\n```\n→ 460" in first  # the code and its one-line result
    assert "```python\n1 / 0\n```\n→ failed: ZeroDivisionError: division by zero" in first
    assert first.index(LOAD) < first.index("1 / 0")  # in the order they ran
    # the analyst's own cell (in the same turn) is not the user's
    assert use not in second
    # the next question, after an answer and no new cell of the user's: no note
    assert "Notebook panel" not in third
    tool_result = model.analyst_requests[1]["messages"][-1]["content"]
    assert "total 460" in tool_result  # the user's variable was there for the analyst's code
