"""The waiting report draft read from the deployment's checkpointer (SQLite and PostgreSQL): there while
the interrupt waits, still there when a resume failed half-way (LangGraph answers it again), gone once
answered."""

from __future__ import annotations

import uuid
from typing import Any, TypedDict

import pytest
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt

from lgurban.agent.checkpointer import open_checkpointer
from lgurban.agent.report import pending_draft


class _State(TypedDict, total=False):
    decision: str


async def test_pending_draft_follows_the_interrupt(settings_factory: Any) -> None:
    failures = [RuntimeError("the object store is down")]

    async def approval(state: _State) -> dict[str, Any]:
        answer = interrupt({"draft": "# Draft"})
        if failures:
            raise failures.pop()
        return {"decision": answer["decision"]}

    builder = StateGraph(_State)
    builder.add_node("report_approval", approval)
    builder.add_edge(START, "report_approval")
    builder.add_edge("report_approval", END)
    async with open_checkpointer(settings_factory()) as saver:
        graph = builder.compile(checkpointer=saver)
        thread = uuid.uuid4()
        config = {"configurable": {"thread_id": str(thread)}}
        assert await pending_draft(saver, thread) is None  # nothing yet
        await graph.ainvoke({}, config, durability="sync")
        assert await pending_draft(saver, thread) == "# Draft"
        with pytest.raises(RuntimeError):
            await graph.ainvoke(Command(resume={"decision": "approve"}), config, durability="sync")
        assert await pending_draft(saver, thread) == "# Draft"  # the failed answer left it waiting
        result = await graph.ainvoke(Command(resume={"decision": "approve"}), config, durability="sync")
        assert result["decision"] == "approve"
        assert await pending_draft(saver, thread) is None
        assert await pending_draft(None, thread) is None
