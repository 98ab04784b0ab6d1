"""Issue 14: the analyst is told what the user uploaded (name, size, columns) and reads it in its code.

The real server and analyst graph, the real sandbox; only the model is the fake OpenAI-compatible server."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import httpx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.agent.conftest import fake_model_settings, names, send
from tests.fakes.openai_server import FakeOpenAI

CSV = b"quartiere;residenti\nNavile;69000\nSavena;60000\n"
READ = """import pandas as pd
df = pd.read_csv("uploads/quartieri.csv", sep=";")
print("total residents:", df["residenti"].sum(), "in", ", ".join(df["quartiere"]))
"""


@pytest.fixture
def model() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        fake.add_rule({"has_tools": False}, {"content": "Residenti"})  # the title
        yield fake


def _parquet() -> bytes:
    out = io.BytesIO()
    pq.write_table(pa.table({"anno": [2023, 2024], "valore": [1.5, 2.5]}), out)
    return out.getvalue()


async def test_the_analyst_is_told_of_uploads_and_reads_them(
    settings_factory: Any, live_server_factory: Any, model: FakeOpenAI
) -> None:
    settings = fake_model_settings(settings_factory, model)
    model.script(
        {"when": {"has_tools": True}, "tool_calls": [{"name": "execute_code", "args": {"code": READ}}]},
        {"when": {"has_tools": True}, "content": "Navile e Savena: 129000 residenti."},
    )
    server = live_server_factory(settings)
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        tid = (await client.post("/api/threads", json={})).json()["id"]
        for name, content in (("quartieri.csv", CSV), ("serie.parquet", _parquet())):
            r = await client.post(f"/api/threads/{tid}/files", files={"file": (name, content)})
            assert r.status_code == 201, r.text
        events = await send(client, tid, "Quanti residenti ci sono nel file che ho caricato?")
        assert names(events)[-1] == "done" and "error" not in names(events), events

    requests = [r for r in model.requests if r.get("tools")]
    system = requests[0]["messages"][0]
    assert system["role"] == "system"
    assert f"`uploads/quartieri.csv` ({len(CSV):,} bytes): columns: quartiere, residenti" in system["content"]
    assert "`uploads/serie.parquet`" in system["content"]
    assert "2 rows; columns: anno (int64), valore (double)" in system["content"]
    code_result = requests[1]["messages"][-1]["content"]
    assert "total residents: 129000 in Navile, Savena" in code_result, code_result
