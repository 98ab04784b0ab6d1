"""The stream translator alone: LangGraph chunks and updates → stored messages and ChatEvents."""

from __future__ import annotations

import uuid
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk, ToolMessage

from lgurban.agent.events import ArtifactEvent, ChatEvent, MessageOut, ToolOutputEvent
from lgurban.agent.run.translate import StreamTranslator
from lgurban.artifacts.models import ArtifactOut


class ListJournal:
    """A journal that keeps the rows in a list."""

    def __init__(self) -> None:
        self.rows: list[MessageOut] = []

    async def write(self, *, role: str, content: str, **values: Any) -> MessageOut:
        row = MessageOut(id=uuid.uuid4(), role=role, content=content, created_at="now", **values)
        self.rows.append(row)
        return row


def _translator() -> tuple[StreamTranslator, ListJournal, list[ChatEvent]]:
    journal, events = ListJournal(), list[ChatEvent]()
    return StreamTranslator(journal=journal, publish=events.append, context_window=1000), journal, events


def _artifact() -> ArtifactOut:
    return ArtifactOut(
        id=uuid.uuid4(),
        thread_id=uuid.uuid4(),
        filename="plot.png",
        mime="image/png",
        size=3,
        sha256="0" * 64,
        created_at="now",
        url="/u",
    )


async def test_a_tool_step_becomes_events_and_rows() -> None:
    t, journal, events = _translator()
    await t.feed("messages", (AIMessageChunk(content="Let me look."), {}))
    call = {"id": "c1", "name": "execute_code", "args": {"code": "1"}}
    usage = {"input_tokens": 70, "output_tokens": 30, "total_tokens": 100}
    ai = AIMessage(content="Let me look.", tool_calls=[call], usage_metadata=usage)
    await t.feed("updates", {"agent": {"messages": [ai]}})
    assert t.pending_text == "" and t.open_calls == {"c1": "execute_code"}
    t.emit(ToolOutputEvent(tool_call_id="c1", stream="stdout", text="1\n"))
    art = _artifact()
    t.emit(ArtifactEvent(tool_call_id="c1", artifact=art))
    await t.feed("updates", {"tools": {"messages": ToolMessage(content="ok\nmore", tool_call_id="c1")}})
    assert [e.type for e in events] == [
        "token",
        "message",
        "tool_start",
        "context",
        "tool_output",
        "artifact",
        "tool_end",
        "message",
    ]
    assert events[3].model_dump(include={"tokens_used", "context_window"}) == {
        "tokens_used": 100,
        "context_window": 1000,
    }
    end = events[6].model_dump(exclude={"agent", "type"})
    assert end == {"tool_call_id": "c1", "name": "execute_code", "ok": True, "summary": "ok"}
    assistant, tool = journal.rows
    assert assistant.tool_calls == [call] and assistant.meta == {"usage": usage}
    assert tool.meta == {"ok": True, "output": "1\n", "artifact_ids": [str(art.id)]}
    assert tool.artifacts == [art] and t.open_calls == {} and t.tokens_used == 100


async def test_close_answers_open_calls_and_keeps_partial_text() -> None:
    t, journal, events = _translator()
    ai = AIMessage(content="", tool_calls=[{"id": "c9", "name": "wait", "args": {}}])
    await t.on_update({"agent": {"messages": [ai]}})
    await t.feed("messages", (AIMessageChunk(content="half an ans"), {}))
    await t.feed("messages", (AIMessage(content="not a chunk"), {}))  # only chunks are tokens
    await t.close("cancelled")
    closing, partial = journal.rows[1:]
    assert closing.role == "tool" and closing.tool_call_id == "c9" and closing.meta is not None
    assert closing.meta["ok"] is False and "stopped" in closing.content
    assert partial.content == "half an ans" and partial.meta == {"partial": True, "status": "cancelled"}
    assert [e.type for e in events][-3:] == ["tool_end", "message", "message"]


async def test_a_final_answer_waits_for_its_check_and_keeps_its_receipts() -> None:
    t, journal, events = _translator()
    await t.feed("updates", {"agent": {"messages": [AIMessage(content="It is 42.")]}})
    assert journal.rows == []  # held until the verify node has looked at it
    receipt = {"text": "42", "value": 42.0, "execution_id": "e1", "dataset_ids": [], "start": 6, "end": 8}
    check = {"receipts": [receipt], "unverified": [], "retry": False}
    await t.feed("updates", {"verify": {"check": check}})
    (row,) = journal.rows
    assert row.content == "It is 42." and row.meta == {"receipts": [receipt], "unverified": []}
    assert [e.type for e in events] == ["message"]


async def test_a_sent_back_draft_is_dropped_and_an_unchecked_answer_is_still_stored() -> None:
    t, journal, events = _translator()
    await t.feed("messages", (AIMessageChunk(content="It is 99."), {}))
    await t.feed("updates", {"agent": {"messages": [AIMessage(content="It is 99.")]}})
    unverified = [{"text": "99", "start": 6, "end": 8}]
    await t.feed("updates", {"verify": {"check": {"receipts": [], "unverified": unverified, "retry": True}}})
    assert journal.rows == [] and t.pending_text == ""
    assert [e.type for e in events] == ["token", "answer_check"]
    # a graph without a verify node (or a run that ends first): the held answer is stored as it is
    await t.feed("updates", {"agent": {"messages": [AIMessage(content="It is 42.")]}})
    await t.close("done")
    assert [r.content for r in journal.rows] == ["It is 42."]
