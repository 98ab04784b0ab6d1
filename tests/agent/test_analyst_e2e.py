"""The analyst end to end, model scripted: question → list_catalog → select_dataset → execute_code → PNG.

Real app resources (sandbox, store, DB on SQLite and PostgreSQL, dataset service) against the fake
Opendatasoft portal over HTTP; the scripted model reads each tool result to decide its next call."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from tests.agent.conftest import recorder
from tests.agent.scripted import ScriptedChatModel, call
from tests.fakes.opendatasoft import FakePortal

from lgurban.agent.graph import build_graph
from lgurban.agent.tools import make_tools
from lgurban.app import create_app

PLOT = """
import pandas as pd
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
df = pd.read_parquet("{path}")
by_q = df.groupby("quartiere")["numero_incidenti"].sum().sort_values()
print(by_q.to_string())
ax = by_q.plot.barh()
plt.tight_layout()
plt.savefig("artifacts/incidenti_per_quartiere.png")
plt.close("all")
"""


@pytest.fixture
def portal() -> Iterator[FakePortal]:
    with FakePortal() as p:
        yield p


@pytest.fixture
async def portal_app(settings_factory: Any, portal: FakePortal) -> AsyncIterator[FastAPI]:
    app = create_app(settings_factory(opendata_base_url=portal.url, opendata_retries=1))
    async with app.router.lifespan_context(app):
        yield app


def last_tool(messages: list[BaseMessage]) -> dict[str, Any]:
    message = messages[-1]
    assert isinstance(message, ToolMessage), message
    assert not str(message.content).startswith("Error"), message.content
    return json.loads(str(message.content))  # type: ignore[no-any-return]


def pick_dataset(messages: list[BaseMessage]) -> AIMessage:
    found = last_tool(messages)
    ids = [item["id"] for item in found["items"]]
    assert "incidenti-stradali-quartieri" in ids
    return AIMessage("", tool_calls=[call("select_dataset", {"dataset_id": ids[0]}, "c-load")])


def analyse(messages: list[BaseMessage]) -> AIMessage:
    loaded = last_tool(messages)
    assert loaded["rows"] > 0
    code = PLOT.format(path=loaded["path"])
    return AIMessage("", tool_calls=[call("execute_code", {"code": code}, "c-plot")])


def answer(messages: list[BaseMessage]) -> AIMessage:
    result = last_tool(messages)
    assert result["ok"], result
    top = result["stdout"].strip().splitlines()[-1]
    return AIMessage(f"Il quartiere con più incidenti: {top}. Grafico: incidenti_per_quartiere.png")


async def test_question_to_artifact(portal_app: FastAPI) -> None:
    resources = portal_app.state.resources
    transport = httpx.ASGITransport(app=portal_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        thread = (await client.post("/api/threads", json={"title": "incidenti"})).json()
        events: list[tuple[str, dict[str, Any]]] = []
        tools = make_tools(
            resources=resources,
            thread_id=uuid.UUID(thread["id"]),
            user_id=None,
            run_id=None,
            emit=recorder(events),
        )
        llm = ScriptedChatModel(
            script=[
                AIMessage("", tool_calls=[call("list_catalog", {"query": "incidenti"}, "c-search")]),
                pick_dataset,
                analyse,
                answer,
            ]
        )
        graph = build_graph(llm=llm, tools=tools, checkpointer=InMemorySaver())
        out = await graph.ainvoke(
            {"messages": [HumanMessage("Quale quartiere ha più incidenti stradali? Fammi un grafico.")]},
            {"configurable": {"thread_id": thread["id"]}},
        )
        final = out["messages"][-1]
        assert isinstance(final, AIMessage) and final.content.startswith("Il quartiere con più incidenti")
        artifacts = [d["artifact"] for e, d in events if e == "artifact"]
        assert [a["filename"] for a in artifacts] == ["incidenti_per_quartiere.png"]
        assert artifacts[0]["mime"] == "image/png"
        listed = (await client.get(f"/api/threads/{thread['id']}/artifacts")).json()["items"]
        assert [a["id"] for a in listed] == [artifacts[0]["id"]]
        png = await client.get(f"/api/artifacts/{artifacts[0]['id']}/download", follow_redirects=True)
        assert png.status_code == 200 and png.content.startswith(b"\x89PNG")

        # the dataset tools answer from the portal; unknown ids come back as data
        by_name = {t.name: t for t in tools}
        for name in ("get_dataset_fields", "get_dataset_time_info", "is_geo_dataset", "preview_dataset"):
            msg = await by_name[name].ainvoke(
                {
                    "type": "tool_call",
                    "name": name,
                    "args": {"dataset_id": "incidenti-stradali-quartieri"},
                    "id": "x",
                }
            )
            assert msg.artifact["ok"] is True, (name, msg.content)
        msg = await by_name["get_dataset_description"].ainvoke(
            {
                "type": "tool_call",
                "name": "get_dataset_description",
                "args": {"dataset_id": "nope-x"},
                "id": "y",
            }
        )
        assert msg.content.startswith("Error: DATASET_NOT_FOUND")
        msg = await by_name["list_datasets"].ainvoke(
            {"type": "tool_call", "name": "list_datasets", "args": {}, "id": "z"}
        )
        assert "datasets/incidenti-stradali-quartieri.parquet" in msg.content
        assert msg.artifact["summary"] == "1 datasets loaded"
