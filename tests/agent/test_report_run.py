"""Reports with approval over the wire (issue 15): the real app over HTTP (uvicorn, the analyst graph, the
local sandbox, the object store, SQLite and PostgreSQL), the real ChatOpenAI against the fake model and the
fake Opendatasoft portal. "Write a report" → the report writer's draft → `approval_required`, the run ends
waiting → resume: edit (asked again), approve (a Markdown and a standalone HTML artifact), reject (none);
the draft waits in the checkpoint across a server restart; bad resumes are clear 4xx."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from tests.agent.conftest import names, parse_sse, send
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.opendatasoft import FakePortal

DATASET = "incidenti-stradali-quartieri"
PLOT = f"""import pandas as pd
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
df = pd.read_parquet("datasets/{DATASET}.parquet")
by_q = df.groupby("quartiere")["numero_incidenti"].sum().sort_values()
print("totale incidenti:", int(by_q.sum()))
print("soglia:", 150)
by_q.plot.barh()
plt.tight_layout()
plt.savefig("artifacts/incidenti_per_quartiere.png")
plt.close("all")
"""
WRITER = {"system_contains": "You write reports"}
BODY = (
    "# Incidenti per quartiere\n\n## Question\n\nQuali quartieri hanno più incidenti?\n\n"
    "## Method\n\nIl dataset degli incidenti, sommato per quartiere.\n\n## Findings\n\n- Vedi il grafico."
)
EDITED = "# Incidenti a Bologna (rivisto)\n\nIl testo scritto dall'utente.\n"


@pytest.fixture
def portal() -> Iterator[FakePortal]:
    with FakePortal() as p:
        yield p


def _settings(settings_factory: Any, llm: FakeOpenAI, portal: FakePortal) -> Any:
    return settings_factory(
        opendata_base_url=portal.url,
        openai_base_url=llm.url,
        openai_api_key="sk-fake",
        llm_model="openai:fake-analyst",
        llm_helper_model="openai:fake-helper",
        reviewer_enabled=False,
        agent_keepalive_s=0.5,
        opendata_retries=1,
    )


def _call(name: str, **args: Any) -> dict[str, Any]:
    return {"when": {"has_tools": True}, "tool_calls": [{"name": name, "args": args}]}


async def _analyse(client: httpx.AsyncClient, llm: FakeOpenAI) -> str:
    """A thread with one analysed question: a dataset loaded, a chart saved, an answer."""
    llm.add_rule({"has_tools": False, "system_contains": "short title"}, {"content": "Incidenti"})
    llm.script(
        _call("select_dataset", dataset_id=DATASET),
        _call("execute_code", code=PLOT),
        {"when": {"has_tools": True}, "content": "Ho disegnato il grafico, con una soglia di 150 incidenti."},
    )
    tid = str((await client.post("/api/threads", json={})).json()["id"])
    events = await send(client, tid, "Quali quartieri hanno più incidenti? Fai un grafico.")
    assert names(events)[-1] == "done" and "error" not in names(events), events
    return tid


async def _resume(client: httpx.AsyncClient, tid: str, **body: Any) -> list[tuple[str, Any]]:
    async with client.stream("POST", f"/api/threads/{tid}/runs/resume", json=body) as r:
        raw = (await r.aread()).decode()
        assert r.status_code == 200, raw
        return parse_sse(raw)


async def _ask_report(client: httpx.AsyncClient, llm: FakeOpenAI, tid: str) -> str:
    llm.script({"when": WRITER, "content": BODY})
    events = await send(client, tid, "Scrivi un report")
    kinds = names(events)
    assert "error" not in kinds and kinds[-1] == "done", events
    assert events[-1][1]["status"] == "waiting"
    [approval] = [d for e, d in events if e == "approval_required"]
    assert approval["agent"] == "report_writer"
    return str(approval["draft"])


def _reports(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [a for a in items if a["filename"].startswith("report-")]


async def test_report_edit_then_approve_stores_markdown_and_standalone_html(
    settings_factory: Any, live_server_factory: Any, llm: FakeOpenAI, portal: FakePortal
) -> None:
    server = live_server_factory(_settings(settings_factory, llm, portal))
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        tid = await _analyse(client, llm)
        analyst_calls = len(llm.analyst_requests)
        draft = await _ask_report(client, llm, tid)
        assert len(llm.analyst_requests) == analyst_calls  # the analyst was not asked: the writer was
        asked = next(r for r in llm.requests if "You write reports" in str(r["messages"][0]["content"]))
        assert "Quali quartieri hanno più incidenti?" in asked["messages"][-1]["content"]
        # the model's body, then what the writer adds itself
        assert draft.startswith(BODY)
        chart = next(a for a in (await client.get(f"/api/threads/{tid}/artifacts")).json()["items"])
        assert f"![incidenti_per_quartiere.png](/api/artifacts/{chart['id']}/download)" in draft
        # the figure of the answer with its receipt: the cell that printed it and the dataset it read
        assert re.search(rf"- \*\*150\*\*: cell `[0-9a-f-]{{36}}`; datasets `{DATASET}`", draft), draft
        # the citation: title and licence from the portal, the modified date of the version loaded
        citation = (
            rf"- Incidenti stradali per quartiere \(`{DATASET}`\), Open Data Bologna; licence: CC BY 4\.0; "
        )
        assert re.search(citation + r"modified: 2024-03-01", draft), draft
        assert "## Code appendix" in draft and "plt.savefig" in draft
        state = (await client.get(f"/api/threads/{tid}/state")).json()
        assert state["running"] is False and state["approval"] == {"draft": draft}

        edited_text = EDITED + f"\n![grafico](/api/artifacts/{chart['id']}/download)\n"
        events = await _resume(client, tid, decision="edit", text=edited_text)
        assert [d["draft"] for e, d in events if e == "approval_required"] == [edited_text]
        assert events[-1][1]["status"] == "waiting" and "artifact" not in names(events)

        events = await _resume(client, tid, decision="approve")
        kinds = names(events)
        assert kinds[-1] == "done" and events[-1][1]["status"] == "done" and "error" not in kinds, events
        made = [d for e, d in events if e == "artifact"]
        assert {a["agent"] for a in made} == {"report_writer"}
        assert sorted(a["artifact"]["mime"] for a in made) == ["text/html", "text/markdown"]
        [note] = [d for e, d in events if e == "message"]
        assert note["agent"] == "report_writer" and "approved" in note["message"]["content"]
        assert {a["id"] for a in note["message"]["artifacts"]} == {a["artifact"]["id"] for a in made}

        listed = _reports((await client.get(f"/api/threads/{tid}/artifacts")).json()["items"])
        assert len(listed) == 2
        by_mime = {a["mime"]: a for a in listed}
        md = await client.get(
            f"/api/artifacts/{by_mime['text/markdown']['id']}/download", follow_redirects=True
        )
        assert md.status_code == 200 and md.text == edited_text
        page = await client.get(
            f"/api/artifacts/{by_mime['text/html']['id']}/download", follow_redirects=True
        )
        assert page.status_code == 200 and "Incidenti a Bologna (rivisto)" in page.text
        assert re.search(r'<img [^>]*src="data:image/png;base64,iVBOR', page.text), page.text[:2000]
        assert not re.search(r'(?:src|href)="(?!data:)[^"]*', page.text), "the page loads nothing"
        assert "Content-Security-Policy" in page.text

        history = (await client.get(f"/api/threads/{tid}/messages")).json()["items"]
        assert history[-1]["content"] == note["message"]["content"]
        assert {a["id"] for a in history[-1]["artifacts"]} == {a["id"] for a in listed}
        assert (await client.get(f"/api/threads/{tid}/state")).json()["approval"] is None
        again = await client.post(f"/api/threads/{tid}/runs/resume", json={"decision": "approve"})
        assert again.status_code == 409 and again.json()["error"]["code"] == "NO_PENDING_APPROVAL"


async def test_reject_stores_no_artifact_and_bad_resumes_are_4xx(
    settings_factory: Any, live_server_factory: Any, llm: FakeOpenAI, portal: FakePortal
) -> None:
    server = live_server_factory(_settings(settings_factory, llm, portal))
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        tid = str((await client.post("/api/threads", json={})).json()["id"])
        r = await client.post(f"/api/threads/{tid}/runs/resume", json={"decision": "approve"})
        assert r.status_code == 409 and r.json()["error"]["code"] == "NO_PENDING_APPROVAL", r.text
        tid = await _analyse(client, llm)
        await _ask_report(client, llm, tid)
        for body in ({"decision": "publish"}, {"decision": "edit"}, {"decision": "edit", "text": "  "}, {}):
            r = await client.post(f"/api/threads/{tid}/runs/resume", json=body)
            assert r.status_code == 422 and r.json()["error"]["code"] == "VALIDATION_ERROR", (body, r.text)
        events = await _resume(client, tid, decision="reject")
        assert events[-1][1]["status"] == "done" and "artifact" not in names(events), events
        [note] = [d["message"] for e, d in events if e == "message"]
        assert "rejected" in note["content"] and note["artifacts"] == []
        assert _reports((await client.get(f"/api/threads/{tid}/artifacts")).json()["items"]) == []
        r = await client.post(f"/api/threads/{tid}/runs/resume", json={"decision": "approve"})
        assert r.status_code == 409 and r.json()["error"]["code"] == "NO_PENDING_APPROVAL"
        # the conversation goes on with the analyst
        llm.script({"when": {"has_tools": True}, "content": "Altro?"})
        events = await send(client, tid, "Grazie, e i pedoni?")
        assert names(events)[-1] == "done" and events[-1][1]["status"] == "done"


async def test_the_draft_waits_across_a_server_restart(
    settings_factory: Any, live_server_factory: Any, llm: FakeOpenAI, portal: FakePortal
) -> None:
    settings = _settings(settings_factory, llm, portal)
    server = live_server_factory(settings)
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        tid = await _analyse(client, llm)
        draft = await _ask_report(client, llm, tid)
    server.stop()

    restarted = live_server_factory(settings)  # a new app over the same database and data directory
    async with httpx.AsyncClient(base_url=restarted.url, timeout=60) as client:
        assert (await client.get(f"/api/threads/{tid}/state")).json()["approval"] == {"draft": draft}
        events = await _resume(client, tid, decision="approve")
        assert events[-1][1]["status"] == "done" and "error" not in names(events), events
        listed = _reports((await client.get(f"/api/threads/{tid}/artifacts")).json()["items"])
        assert sorted(a["mime"] for a in listed) == ["text/html", "text/markdown"]
        [markdown] = [a for a in listed if a["mime"] == "text/markdown"]
        md = await client.get(f"/api/artifacts/{markdown['id']}/download", follow_redirects=True)
        assert md.text == draft


async def test_a_new_question_while_a_draft_waits_drops_the_draft(
    settings_factory: Any, live_server_factory: Any, llm: FakeOpenAI, portal: FakePortal
) -> None:
    server = live_server_factory(_settings(settings_factory, llm, portal))
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        tid = await _analyse(client, llm)
        await _ask_report(client, llm, tid)
        llm.script({"when": {"has_tools": True}, "content": "I pedoni sono un'altra storia."})
        events = await send(client, tid, "E i pedoni?")
        assert events[-1][1]["status"] == "done" and "approval_required" not in names(events), events
        assert llm.analyst_requests[-1]["messages"][-1]["content"] == "E i pedoni?"
        assert (await client.get(f"/api/threads/{tid}/state")).json()["approval"] is None
        r = await client.post(f"/api/threads/{tid}/runs/resume", json={"decision": "approve"})
        assert r.status_code == 409 and r.json()["error"]["code"] == "NO_PENDING_APPROVAL"
