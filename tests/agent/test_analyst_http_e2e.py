"""End to end over real HTTP: the real ChatOpenAI against the fake OpenAI server, the fake Opendatasoft
portal, the real sandbox and store. Question → catalog search → select dataset → code drawing a PNG →
artifact event → final answer → after a server restart the history is served and the conversation continues
with its context."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from tests.agent.conftest import chat_settings, names, open_chat_app, send
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.opendatasoft import FakePortal

from lgurban.agent.analyst import build_analyst

DATASET = "incidenti-stradali-quartieri"
PLOT = """
import pandas as pd
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
df = pd.read_parquet("datasets/incidenti-stradali-quartieri.parquet")
by_q = df.groupby("quartiere")["numero_incidenti"].sum().sort_values()
print("TOP", by_q.index[-1], int(by_q.iloc[-1]))
by_q.plot.barh()
plt.tight_layout()
plt.savefig("artifacts/incidenti_per_quartiere.png")
plt.close("all")
"""


@pytest.fixture
def portal() -> Iterator[FakePortal]:
    with FakePortal() as p:
        yield p


def script(llm: FakeOpenAI) -> None:
    llm.add_rule({"has_tools": False}, {"content": "Incidenti per quartiere"})  # the title call
    llm.script(
        {
            "when": {"has_tools": True, "last_role": "user"},
            "tool_calls": [{"name": "list_catalog", "args": {"query": "incidenti"}}],
        },
        {
            "when": {"last_role": "tool", "tool_contains": f'"id": "{DATASET}"'},
            "tool_calls": [{"name": "select_dataset", "args": {"dataset_id": DATASET}}],
        },
        {
            "when": {"last_role": "tool", "tool_contains": f"datasets/{DATASET}.parquet"},
            "tool_calls": [{"name": "execute_code", "args": {"code": PLOT}}],
        },
        {
            "when": {"last_role": "tool", "tool_contains": "incidenti_per_quartiere.png"},
            "content": f"Il grafico è in incidenti_per_quartiere.png (dati: {DATASET}).",
        },
    )


async def test_question_to_artifact_and_history_after_restart(
    settings_factory: Any, llm: FakeOpenAI, portal: FakePortal
) -> None:
    settings = chat_settings(
        settings_factory,
        openai_base_url=llm.url,
        openai_api_key="sk-fake",
        opendata_base_url=portal.url,
        opendata_retries=1,
    )
    script(llm)
    async with open_chat_app(settings, llm, standin=False) as chat:
        chat.manager.graph_factory = build_analyst
        thread = await chat.thread()
        events = await send(chat.client, thread, "Quali quartieri hanno più incidenti? Fammi un grafico.")
        kinds = names(events)
        assert kinds[-1] == "done" and "error" not in kinds, events
        started = [d["name"] for e, d in events if e == "tool_start"]
        assert started == ["list_catalog", "select_dataset", "execute_code"]
        assert all(d["ok"] for e, d in events if e == "tool_end")
        assert "TOP" in "".join(d["text"] for e, d in events if e == "tool_output")
        artifacts = [d["artifact"] for e, d in events if e == "artifact"]
        assert [a["filename"] for a in artifacts] == ["incidenti_per_quartiere.png"]
        png = await chat.client.get(f"/api/artifacts/{artifacts[0]['id']}/download", follow_redirects=True)
        assert png.content.startswith(b"\x89PNG")
        answer = "".join(d["text"] for e, d in events if e == "token")
        assert answer.startswith("Il grafico è in incidenti_per_quartiere.png")
        # no image bytes were ever sent to the model
        assert "iVBOR" not in json.dumps(llm.requests)
        before = (await chat.client.get(f"/api/threads/{thread}/messages")).json()["items"]

    # a new server on the same database: the same history, and the model sees the earlier turn
    llm.script(
        {"when": {"has_tools": True, "user_contains": "totale"}, "content": "Il totale è nel grafico."}
    )
    async with open_chat_app(settings, llm, standin=False) as chat:
        chat.manager.graph_factory = build_analyst
        after = (await chat.client.get(f"/api/threads/{thread}/messages")).json()["items"]
        assert [(m["role"], m["content"]) for m in after] == [(m["role"], m["content"]) for m in before]
        tool_rows = [m for m in after if m["role"] == "tool"]
        assert [a["filename"] for m in tool_rows for a in m["artifacts"]] == ["incidenti_per_quartiere.png"]
        assert (await chat.client.get(f"/api/threads/{thread}")).json()["title"] == "Incidenti per quartiere"

        events = await send(chat.client, thread, "E il totale?")
        assert names(events)[-1] == "done" and "error" not in names(events)
        sent = llm.requests[-1]["messages"]
        roles = [m["role"] for m in sent]
        assert roles[0] == "system" and roles.count("tool") == 3 and roles[-1] == "user"
        assert "Quali quartieri" in json.dumps(sent)
