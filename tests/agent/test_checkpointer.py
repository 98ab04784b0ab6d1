"""Checkpoints on the app's database (SQLite or PostgreSQL): kept across restarts, dropped per thread."""

from __future__ import annotations

import uuid
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage
from tests.agent.scripted import ScriptedChatModel

from lgurban.agent.checkpointer import check, delete_thread_checkpoints, is_postgres_url, open_checkpointer
from lgurban.agent.graph import build_graph


async def test_history_survives_a_restart_and_is_deleted_per_thread(
    settings_factory: Any, db_url: str
) -> None:
    settings = settings_factory()
    assert is_postgres_url(settings.resolved_checkpoint_url) == db_url.startswith("postgresql")
    keep, drop = str(uuid.uuid4()), str(uuid.uuid4())
    async with open_checkpointer(settings) as saver:
        assert await check(saver) == "ok"
        llm = ScriptedChatModel(script=[AIMessage("one"), AIMessage("two")])
        graph = build_graph(llm=llm, tools=[], checkpointer=saver)
        for thread in (keep, drop):
            await graph.ainvoke({"messages": [HumanMessage("hi")]}, {"configurable": {"thread_id": thread}})

    async with open_checkpointer(settings) as saver:  # a new process: setup() again is harmless
        llm = ScriptedChatModel(script=[AIMessage("three")])
        graph = build_graph(llm=llm, tools=[], checkpointer=saver)
        out = await graph.ainvoke(
            {"messages": [HumanMessage("again")]}, {"configurable": {"thread_id": keep}}
        )
        assert [m.content for m in out["messages"]] == ["hi", "one", "again", "three"]

        await delete_thread_checkpoints(saver, drop)
        state = await graph.aget_state({"configurable": {"thread_id": drop}})
        assert state.values == {}
        kept = await graph.aget_state({"configurable": {"thread_id": keep}})
        assert len(kept.values["messages"]) == 4
