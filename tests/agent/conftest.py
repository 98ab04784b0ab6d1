"""Chat fixtures: the fake OpenAI-compatible server, the real ChatOpenAI, an app whose RunManager uses them.

`standin_graph` is a tiny ReAct graph for the run machinery's own tests (model → tools → model), so these
tests do not depend on the analyst graph's prompts; tests/test_e2e_chat.py drives the real one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tests.conftest import LiveServer
from tests.fakes.openai_server import FakeOpenAI

from lgurban.agent.events import ChatEvent
from lgurban.agent.runs import RunContext, RunManager
from lgurban.agent.tools.code import tools as code_tools
from lgurban.agent.tools.context import ToolContext
from lgurban.app import create_app
from lgurban.db.session import make_engine, make_sessionmaker
from lgurban.settings import Settings


@pytest.fixture(scope="session")
def fake_llm() -> Iterator[FakeOpenAI]:
    """One fake model server for the session; each test resets its script."""
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def llm(fake_llm: FakeOpenAI) -> FakeOpenAI:
    fake_llm.reset()
    return fake_llm


def standin_graph(fake: FakeOpenAI, checkpointer: Any):  # type: ignore[no-untyped-def]
    """A graph factory: the real ChatOpenAI against the fake server, the real execute_code and `wait`."""

    tls = ssl.create_default_context()  # made once: loading the CA bundle costs ~20 ms

    async def factory(ctx: RunContext) -> Any:
        # the real code tool (tools/code.py), so these runs see exactly what the analyst's runs see
        bound_to = ToolContext(
            resources=ctx.resources,
            thread_id=ctx.thread.id,
            user_id=ctx.user_id,
            run_id=ctx.run_id,
            emit=ctx.emit,
        )

        @tool
        async def wait(seconds: float) -> str:
            """Wait a while."""
            await asyncio.sleep(seconds)
            return f"waited {seconds}s"

        http = httpx.AsyncClient(verify=tls)
        ctx.cleanups.append(http.aclose)
        llm = ChatOpenAI(
            model="fake-analyst",
            base_url=fake.url,
            api_key="sk-fake",
            max_retries=0,
            stream_usage=True,
            http_async_client=http,
        )
        tools = [*code_tools(bound_to), wait]
        bound = llm.bind_tools(tools)

        async def agent(state: MessagesState) -> dict[str, Any]:
            reply = await bound.ainvoke(state["messages"])
            return {"messages": [reply]}

        graph = StateGraph(MessagesState)
        graph.add_node("agent", agent)
        graph.add_node("tools", ToolNode(tools, handle_tool_errors=True))
        graph.add_edge(START, "agent")
        graph.add_conditional_edges("agent", tools_condition)
        graph.add_edge("tools", "agent")
        return graph.compile(checkpointer=checkpointer)

    return factory


@dataclass
class ChatApp:
    """The real app served over HTTP by uvicorn (in its own thread and event loop), its model the fake."""

    app: FastAPI
    server: LiveServer
    client: httpx.AsyncClient  # real HTTP to the server
    fake: FakeOpenAI
    settings: Settings
    # the test's own connection pool: the server's engine belongs to the server's event loop
    sessionmaker: async_sessionmaker[AsyncSession]

    @property
    def manager(self) -> RunManager:
        return self.app.state.resources.agent  # type: ignore[no-any-return]

    async def thread(self, **body: Any) -> str:
        r = await self.client.post("/api/threads", json=body)
        assert r.status_code == 201, r.text
        return str(r.json()["id"])


def use_standin(app: FastAPI, fake: FakeOpenAI) -> None:
    """Point the app's RunManager at the stand-in graph (and a checkpointer, if it has none)."""
    manager: RunManager = app.state.resources.agent
    if manager.checkpointer is None:
        manager.checkpointer = InMemorySaver()
    manager.graph_factory = standin_graph(fake, manager.checkpointer)


@contextlib.asynccontextmanager
async def open_chat_app(
    settings: Settings, fake: FakeOpenAI, *, standin: bool = True
) -> AsyncIterator[ChatApp]:
    app = create_app(settings)
    server = LiveServer(app).start()
    engine = make_engine(settings)
    try:
        if standin:
            use_standin(app, fake)
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            yield ChatApp(app, server, client, fake, settings, make_sessionmaker(engine))
    finally:
        await engine.dispose()
        server.stop()


def fake_model_settings(settings_factory: Any, model: FakeOpenAI, **overrides: Any) -> Settings:
    """Settings for a live server whose analyst and helper models are the fake OpenAI-compatible `model`."""
    values = {
        "openai_base_url": model.url,
        "openai_api_key": "sk-fake",
        "llm_model": "openai:fake-analyst",
        "llm_helper_model": "openai:fake-helper",
        "agent_keepalive_s": 0.5,
        **overrides,
    }
    return settings_factory(**values)  # type: ignore[no-any-return]


def chat_settings(settings_factory: Any, **overrides: Any) -> Settings:
    values = {
        "agent_keepalive_s": 0.2,
        "agent_heartbeat_s": 0.2,
        "sandbox_exec_timeout_s": 30,
        **overrides,
    }
    return settings_factory(**values)  # type: ignore[no-any-return]


@pytest.fixture
async def chat(settings_factory, llm: FakeOpenAI) -> AsyncIterator[ChatApp]:  # type: ignore[no-untyped-def]
    async with open_chat_app(chat_settings(settings_factory), llm) as value:
        yield value


def parse_sse(raw: str) -> list[tuple[str, dict[str, Any]]]:
    """Whole SSE text → [(event, data)], keepalive comments dropped."""
    events = []
    for block in raw.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip())
        if data:
            events.append((name, json.loads("\n".join(data))))
    return events


async def send(
    client: httpx.AsyncClient, thread_id: str, content: str, **extra: Any
) -> list[tuple[str, Any]]:
    """POST a message and read the whole stream."""
    async with client.stream(
        "POST", f"/api/threads/{thread_id}/messages", json={"content": content, **extra}
    ) as r:
        assert r.status_code == 200, (await r.aread()).decode()
        assert r.headers["content-type"].startswith("text/event-stream")
        return parse_sse((await r.aread()).decode())


def names(events: list[tuple[str, Any]]) -> list[str]:
    return [e for e, _ in events]


def uid() -> str:
    return str(uuid.uuid4())


def recorder(events: list[tuple[str, dict[str, Any]]]) -> Any:
    """An emit callback that keeps each event as (type, its JSON)."""

    def emit(event: ChatEvent) -> None:
        events.append((event.type, event.model_dump(mode="json")))

    return emit
