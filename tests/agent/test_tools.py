"""The analyst's tools against the real app resources: sandbox, artifact store, exports; bounded results."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from sqlalchemy import select
from tests.agent.conftest import recorder
from tests.agent.scripted import ScriptedChatModel, call

from lgurban.agent.graph import build_graph
from lgurban.agent.tools import MAX_TOOL_CHARS, execution_content, make_tools
from lgurban.artifacts.models import ArtifactOut
from lgurban.db.models import Export
from lgurban.execution.models import ExecutionErrorOut, ExecutionOut, OutputOut
from lgurban.resources import Resources


def tools_for(app: Any, thread_id: str, events: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    resources: Resources = app.state.resources
    tools = make_tools(
        resources=resources,
        thread_id=uuid.UUID(thread_id),
        user_id=None,
        run_id=None,
        emit=recorder(events),
    )
    return {t.name: t for t in tools}


async def invoke(tool: Any, args: dict[str, Any], call_id: str = "call-1") -> ToolMessage:
    out = await tool.ainvoke({"type": "tool_call", "name": tool.name, "args": args, "id": call_id})
    assert isinstance(out, ToolMessage)
    return out


PLOT = """
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
print("drawing", flush=True)
fig, ax = plt.subplots()
ax.plot([1, 2, 3], [3, 1, 2])
fig.savefig("artifacts/trend.png")
plt.show()
print("done")
"""


async def test_execute_code_streams_output_and_reports_artifacts_without_bytes(
    client: httpx.AsyncClient, app: Any
) -> None:
    thread = (await client.post("/api/threads", json={"title": "tools"})).json()
    events: list[tuple[str, dict[str, Any]]] = []
    tools = tools_for(app, thread["id"], events)

    msg = await invoke(tools["execute_code"], {"code": PLOT}, "c-plot")
    body = json.loads(msg.content)  # type: ignore[arg-type]
    assert body["ok"] is True and "drawing" in body["stdout"]
    assert "trend.png" in [a["filename"] for a in body["artifacts"]]
    assert "iVBOR" not in msg.content and "base64" not in msg.content  # no image bytes in the context
    assert msg.artifact["ok"] is True and msg.artifact["execution_id"]
    assert "trend.png" in msg.artifact["summary"]
    outputs = [d for e, d in events if e == "tool_output"]
    assert outputs and all(d["tool_call_id"] == "c-plot" for d in outputs)
    assert "drawing" in "".join(d["text"] for d in outputs if d["stream"] == "stdout")
    artifacts = [d for e, d in events if e == "artifact"]
    assert artifacts and artifacts[0]["tool_call_id"] == "c-plot"
    assert {"id", "filename", "mime", "url"} <= set(artifacts[0]["artifact"])

    # variables persist between calls; an error is data the model reads
    msg = await invoke(tools["execute_code"], {"code": "print(fig is not None)\n1/0"}, "c-err")
    body = json.loads(msg.content)  # type: ignore[arg-type]
    assert body["ok"] is False and body["stdout"].strip() == "True"
    assert body["error"]["name"] == "ZeroDivisionError"
    assert msg.artifact["ok"] is False and "ZeroDivisionError" in msg.artifact["summary"]

    # long output is cut, with a note saying how much
    msg = await invoke(tools["execute_code"], {"code": "print('x' * 60000)\nprint('tail-marker')"}, "c-long")
    assert len(msg.content) <= MAX_TOOL_CHARS
    body = json.loads(msg.content)  # type: ignore[arg-type]
    assert "characters cut" in body["stdout"] and "tail-marker" in body["stdout"]

    # a figure left open is shown as image/png and stored: the model gets a mention, never base64
    msg = await invoke(tools["execute_code"], {"code": "fig2, ax2 = plt.subplots()\nax2.bar([1, 2], [3, 4])"})
    assert "iVBOR" not in msg.content
    assert "image/png image shown to the user (stored as artifact" in msg.content


async def test_export_and_errors_come_back_as_data(client: httpx.AsyncClient, app: Any) -> None:
    thread = (await client.post("/api/threads", json={"title": "export"})).json()
    events: list[tuple[str, dict[str, Any]]] = []
    tools = tools_for(app, thread["id"], events)
    await invoke(tools["execute_code"], {"code": "open('result.csv','w').write('a,b\\n1,2\\n')"})
    msg = await invoke(tools["export_dataset"], {"path": "result.csv"})
    assert msg.status == "success"
    assert json.loads(msg.content)["url"]  # type: ignore[arg-type]
    # regression: agent exports were published without an `exports` row
    async with app.state.resources.sessionmaker() as session:
        rows = (
            await session.execute(select(Export).where(Export.thread_id == uuid.UUID(thread["id"])))
        ).all()
    assert len(rows) == 1

    for args in ({"path": "missing.csv"}, {"path": "../../etc/passwd"}):
        msg = await invoke(tools["export_dataset"], args)
        assert msg.content.startswith("Error"), msg.content  # type: ignore[union-attr]
        assert msg.artifact["ok"] is False

    msg = await invoke(tools["execute_code"], {"code": "   "})
    assert msg.content.startswith("Error") and "empty" in msg.content  # type: ignore[union-attr]
    # arguments not matching the schema: the graph's tool node answers with the validation error
    llm = ScriptedChatModel(
        script=[
            AIMessage("", tool_calls=[call("execute_code", {"source": "print(1)"}, "c-bad")]),
            AIMessage("sorry"),
        ]
    )
    out = await build_graph(llm=llm, tools=list(tools.values())).ainvoke({"messages": [HumanMessage("go")]})
    msg = out["messages"][2]
    assert msg.status == "error" and "code" in msg.content and "Field required" in msg.content


def test_a_result_long_everywhere_stays_bounded_json() -> None:
    thread_id = uuid.uuid4()
    result = ExecutionOut(
        id=uuid.uuid4(),
        ok=False,
        stdout="o" * 50_000,
        stderr="e" * 50_000,
        outputs=[OutputOut(mime="text/plain", data="t" * 5_000)] * 30
        + [OutputOut(mime="image/png", data="iVBORw0KGgo" * 1000)],
        error=ExecutionErrorOut(name="ValueError", value="v" * 5_000, traceback="tb\n" * 5_000),
        artifacts=[
            ArtifactOut(
                id=uuid.uuid4(),
                thread_id=thread_id,
                filename=f"f{i}.png",
                mime="image/png",
                size=1,
                sha256="0" * 64,
                created_at="2026-01-01T00:00:00+00:00",
                url=f"/blobs/f{i}.png",
            )
            for i in range(50)
        ],
        notes=["output cut"],
    )
    content, extra = execution_content(result)
    assert len(content) <= MAX_TOOL_CHARS
    body = json.loads(content)
    assert body["error"]["name"] == "ValueError" and "characters cut" in body["stdout"]
    assert "iVBOR" not in content and extra["ok"] is False and len(extra["artifact_ids"]) == 50
    assert extra["execution_id"] == str(result.id) and extra["artifact_ids"][0] == str(result.artifacts[0].id)
    # run_cell's API dict (what it returned before ExecutionOut) gives the model the same view
    assert execution_content(result.model_dump(mode="json")) == (content, extra)


async def test_a_broken_or_async_listener_does_not_fail_the_tool() -> None:
    from lgurban.agent.events import ToolOutputEvent
    from lgurban.agent.tools import ToolContext

    event = ToolOutputEvent(tool_call_id="c", stream="stdout", text="x")
    seen: list[str] = []

    async def async_emit(e: Any) -> None:
        seen.append(e.text)

    def broken(e: Any) -> None:
        raise RuntimeError("listener gone")

    for emit in (async_emit, broken, None):
        ctx = ToolContext(resources=None, thread_id=uuid.uuid4(), user_id=None, run_id=None, emit=emit)  # type: ignore[arg-type]
        await ctx.send(event)
    assert seen == ["x"]
