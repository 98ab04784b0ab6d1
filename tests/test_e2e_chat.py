"""End to end over real HTTP: a question answered with the catalog, a dataset, code and a chart; a restart.

The real server (uvicorn, the analyst graph, the local sandbox, the object store, the database under test)
with fakes only at the outside edges, both speaking their real wire protocols: the OpenAI-compatible model
(tests/fakes/openai_server.py, driven by the real ChatOpenAI client) and the Opendatasoft portal
(tests/fakes/opendatasoft.py). After the answer the server is stopped and a new one started on the same
DATA_DIR and database: the history is all there and the conversation goes on with its context.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from lgurban.agent.tools import make_tools
from lgurban.app import create_app
from tests.agent.conftest import names, recorder, send
from tests.conftest import wait_until
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.opendatasoft import FakePortal

DATASET = "incidenti-stradali-quartieri"
PLOT = f"""import pandas as pd
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
df = pd.read_parquet("datasets/{DATASET}.parquet")
by_q = df.groupby("quartiere")["numero_incidenti"].sum().sort_values()
print("quartieri:", len(by_q))
print("top:", by_q.index[-1])
ax = by_q.plot.barh()
plt.tight_layout()
plt.savefig("artifacts/incidenti_per_quartiere.png")
plt.close("all")
"""
ANSWER = "Ho caricato il dataset e disegnato il grafico **incidenti_per_quartiere.png**."
FOLLOW_UP = "Nel grafico precedente il quartiere con più incidenti è in cima."


@pytest.fixture
def portal() -> Iterator[FakePortal]:
    with FakePortal() as p:
        yield p


@pytest.fixture
def model() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        fake.add_rule({"has_tools": False}, {"content": "Incidenti stradali per quartiere"})  # the title
        scores = {"completeness": 5, "relevancy": 4, "critique": ""}
        fake.add_rule(  # the reviewer, on the helper model (issue 15)
            {"model": "fake-helper", "has_tools": True},
            {"tool_calls": [{"name": "ReviewScores", "args": scores}]},
        )
        yield fake


def agent_turn(**turn: Any) -> dict[str, Any]:
    return {"when": {"has_tools": True}, **turn}


def call(name: str, **args: Any) -> dict[str, Any]:
    return agent_turn(tool_calls=[{"name": name, "args": args}], token_delay_s=0.002)


async def test_question_to_chart_then_restart_and_continue(
    settings_factory: Any, live_server_factory: Any, portal: FakePortal, model: FakeOpenAI
) -> None:
    settings = settings_factory(
        opendata_base_url=portal.url,
        openai_base_url=model.url,
        openai_api_key="sk-fake",
        llm_model="openai:fake-analyst",
        llm_helper_model="openai:fake-helper",
        agent_keepalive_s=0.5,
        opendata_retries=1,
    )
    model.script(
        call("list_catalog", query="incidenti"),
        call("select_dataset", dataset_id=DATASET),
        call("execute_code", code=PLOT),
        agent_turn(content=ANSWER, token_delay_s=0.005),
    )
    server = live_server_factory(settings)
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        created = await client.post("/api/threads", json={"config": {"system_prompt": "Rispondi in breve."}})
        tid = created.json()["id"]
        events = await send(
            client, tid, "Quali quartieri di Bologna hanno più incidenti stradali? Fai un grafico."
        )
        kinds = names(events)
        assert kinds[0] == "run_started" and kinds[-1] == "done" and "error" not in kinds, events
        starts = [d for e, d in events if e == "tool_start"]
        assert [s["name"] for s in starts] == ["list_catalog", "select_dataset", "execute_code"]
        ends = [d for e, d in events if e == "tool_end"]
        assert [e["ok"] for e in ends] == [True, True, True], ends
        output = "".join(d["text"] for e, d in events if e == "tool_output")
        assert "quartieri:" in output  # the code's stdout, live
        artifact = next(d for e, d in events if e == "artifact")["artifact"]
        assert (
            artifact["filename"].endswith("incidenti_per_quartiere.png") and artifact["mime"] == "image/png"
        )
        assert "".join(d["text"] for e, d in events if e == "token") == ANSWER
        assert "context" in kinds
        # what the model read: the catalog found the dataset, the code tool reported the chart by name
        requests = [r for r in model.requests if r.get("tools") and r["model"] == "fake-analyst"]
        assert len(requests) == 4
        assert [r["model"] for r in model.requests if r.get("tools")][-1] == "fake-helper"  # the review
        assert DATASET in requests[1]["messages"][-1]["content"]
        assert f"datasets/{DATASET}.parquet" in requests[2]["messages"][-1]["content"]  # where it was loaded
        assert requests[0]["messages"][0]["role"] == "system"
        assert "Rispondi in breve." in requests[0]["messages"][0]["content"]
        code_result = requests[3]["messages"][-1]["content"]
        assert "incidenti_per_quartiere.png" in code_result and "iVBOR" not in code_result

        before = (await client.get(f"/api/threads/{tid}/messages")).json()["items"]
        assert [m["role"] for m in before] == ["user", *["assistant", "tool"] * 3, "assistant"]
        assert before[-1]["content"] == ANSWER
        assert before[-1]["review"] == {
            "completeness": 5, "relevancy": 4, "verdict": "pass", "reroutes": 0, "critique": None
        }  # fmt: skip
        assert [a["id"] for a in before[6]["artifacts"]] == [artifact["id"]]
        listed = (await client.get(f"/api/threads/{tid}/artifacts")).json()["items"]
        assert [a["id"] for a in listed] == [artifact["id"]]

        async def titled() -> bool:  # the run waits TITLE_WAIT_S for it; on a loaded machine it lands later
            return (await client.get(f"/api/threads/{tid}")).json()["title"] != "New thread"

        await wait_until(titled, timeout=20)
        thread = (await client.get(f"/api/threads/{tid}")).json()
        assert thread["title"] == "Incidenti stradali per quartiere"
    server.stop()

    model.script(agent_turn(content=FOLLOW_UP))
    restarted = live_server_factory(settings)
    async with httpx.AsyncClient(base_url=restarted.url, timeout=60) as client:
        after = (await client.get(f"/api/threads/{tid}/messages")).json()["items"]
        assert after == [{**m, "artifacts": after[i]["artifacts"]} for i, m in enumerate(before)]
        assert [a["id"] for a in after[6]["artifacts"]] == [
            artifact["id"]
        ]  # fresh signed link, same artifact
        download = await client.get(f"/api/artifacts/{artifact['id']}/download", follow_redirects=True)
        assert download.status_code == 200 and download.content[:4] == b"\x89PNG"
        state = (await client.get(f"/api/threads/{tid}/state")).json()
        assert state["running"] is False and state["context"]["tokens_used"] > 0

        events = await send(client, tid, "E qual è il primo?")
        assert "error" not in names(events) and names(events)[-1] == "done"
        # the model sees the whole earlier conversation: the question, the tool calls and results, the answer
        seen = [r for r in model.requests if r["model"] == "fake-analyst"][-1]["messages"]
        text = json.dumps(seen)
        assert "Quali quartieri di Bologna" in text and ANSWER in text and DATASET in text
        assert [m["role"] for m in seen if m["role"] != "system"][-2:] == ["assistant", "user"]
        assert sum(1 for m in seen if m["role"] == "tool") == 3
        items = (await client.get(f"/api/threads/{tid}/messages")).json()["items"]
        assert [m["content"] for m in items[-2:]] == ["E qual è il primo?", FOLLOW_UP]


async def test_dataset_tools_answer_from_the_portal(settings_factory: Any, portal: FakePortal) -> None:
    app = create_app(settings_factory(opendata_base_url=portal.url, opendata_retries=1))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            tid = (await client.post("/api/threads", json={})).json()["id"]
        events: list[tuple[str, dict[str, Any]]] = []
        tools = make_tools(
            resources=app.state.resources,
            thread_id=uuid.UUID(tid),
            user_id=None,
            run_id=None,
            emit=recorder(events),
        )
        by_name = {t.name: t for t in tools}

        async def use(name: str, **args: Any) -> Any:
            return await by_name[name].ainvoke({"type": "tool_call", "name": name, "args": args, "id": name})

        assert (await use("select_dataset", dataset_id=DATASET)).artifact["ok"] is True
        for name in ("get_dataset_fields", "get_dataset_time_info", "is_geo_dataset", "preview_dataset"):
            msg = await use(name, dataset_id=DATASET)
            assert msg.artifact["ok"] is True, (name, msg.content)
        missing = await use("get_dataset_description", dataset_id="nope-x")
        assert missing.content.startswith("Error: DATASET_NOT_FOUND")  # an unknown id is data, not a crash
        loaded = await use("list_datasets")
        assert f"datasets/{DATASET}.parquet" in loaded.content
        assert loaded.artifact["summary"] == "1 datasets loaded"
