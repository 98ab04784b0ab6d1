"""The ChatEvent → LangGraph SSE mapping (lgurban.api.langgraph.stream) and the conversation fold, on
typed events as the run manager publishes them."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from lgurban.agent.events import (
    ChatEvent,
    DoneEvent,
    ErrorEvent,
    MessageEvent,
    MessageOut,
    RunStartedEvent,
    TokenEvent,
    ToolEndEvent,
    ToolStartEvent,
)
from lgurban.agent.run.bus import BusEvent
from lgurban.api.langgraph.convert import Conversation, question_of
from lgurban.api.langgraph.stream import StreamMapper, final_values, lg_sse
from lgurban.errors import BadRequest, NotSupported

RUN, THREAD = uuid.uuid4(), uuid.uuid4()


def msg(role: str, content: str, **extra: Any) -> MessageOut:
    return MessageOut(id=uuid.uuid4(), role=role, content=content, created_at="2026-01-01T00:00:00", **extra)


def mapper(modes: list[str], before: list[MessageOut] | None = None) -> StreamMapper:
    return StreamMapper(thread_id=THREAD, run_id=RUN, modes=modes, before=Conversation(before))


async def bus(events: list[ChatEvent]) -> AsyncIterator[BusEvent | None]:
    for seq, event in enumerate(events, 1):
        yield BusEvent(seq, event)


def parse(body: str) -> list[tuple[int | None, str, Any]]:
    out = []
    for frame in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in frame.splitlines())
        out.append((int(lines["id"]) if "id" in lines else None, lines["event"], json.loads(lines["data"])))
    return out


CALL = {"id": "call_1", "name": "list_datasets", "args": {}}
QUESTION = msg("user", "how many?")
TOOL_ASK = msg("assistant", "Looking.", tool_calls=[CALL])
TOOL_ANSWER = msg("tool", "[]", tool_call_id="call_1", tool_name="list_datasets", meta={"ok": True})
ANSWER = msg("assistant", "None yet.")
RUN_EVENTS: list[ChatEvent] = [
    RunStartedEvent(run_id=RUN),
    MessageEvent(message=QUESTION),
    TokenEvent(text="Look"),
    TokenEvent(text="ing."),
    MessageEvent(message=TOOL_ASK),
    ToolStartEvent(tool_call_id="call_1", name="list_datasets"),
    ToolEndEvent(tool_call_id="call_1", name="list_datasets", ok=True, summary="[]"),
    MessageEvent(message=TOOL_ANSWER),
    TokenEvent(text="None yet."),
    MessageEvent(message=ANSWER),
    DoneEvent(run_id=RUN),
]


async def sse_of(
    modes: list[str], events: list[ChatEvent], after: int = 0
) -> list[tuple[int | None, str, Any]]:
    return parse("".join([f async for f in lg_sse(bus(events), mapper(modes), after=after)]))


async def test_messages_tuple_streams_tokens_then_the_calls_then_the_tool_result() -> None:
    frames = await sse_of(["messages-tuple"], RUN_EVENTS)
    assert frames[0] == (None, "metadata", {"run_id": str(RUN), "attempt": 1})
    chunks = [data for _, event, data in frames if event == "messages"]
    texts = [(c["type"], c["content"], c["id"]) for c, _meta in chunks]
    first_id = f"run-{RUN}-1"
    assert texts == [
        ("AIMessageChunk", "Look", first_id),
        ("AIMessageChunk", "ing.", first_id),
        ("AIMessageChunk", "", first_id),  # the end of the answer: its tool calls
        ("tool", "[]", str(TOOL_ANSWER.id)),
        ("AIMessageChunk", "None yet.", f"run-{RUN}-2"),
        ("AIMessageChunk", "", f"run-{RUN}-2"),
    ]
    assert chunks[2][0]["tool_calls"] == [{**CALL, "type": "tool_call"}]
    assert chunks[2][0]["tool_call_chunks"][0]["args"] == "{}"
    assert [meta["langgraph_node"] for _, meta in chunks] == [
        "agent",
        "agent",
        "agent",
        "tools",
        "agent",
        "agent",
    ]
    assert frames[-1][1:] == ("end", {"run_id": str(RUN), "status": "success"})


async def test_values_and_updates_follow_the_stored_messages() -> None:
    earlier = [msg("user", "before"), msg("assistant", "earlier answer")]
    m = mapper(["values", "updates"], earlier)
    frames = parse("".join([f async for f in lg_sse(bus(RUN_EVENTS), m)]))
    values = [data["messages"] for _, event, data in frames if event == "values"]
    assert [len(v) for v in values] == [3, 4, 5, 6]  # the earlier exchange, then one more message each time
    assert [v["type"] for v in values[-1]] == ["human", "ai", "human", "ai", "tool", "ai"]
    updates = [data for _, event, data in frames if event == "updates"]
    assert [list(u) for u in updates] == [["agent"], ["tools"], ["agent"]]
    assert updates[1]["tools"]["messages"][0]["tool_call_id"] == "call_1"


async def test_custom_carries_lgurbans_own_tool_events() -> None:
    frames = await sse_of(["custom"], RUN_EVENTS)
    custom = [data["type"] for _, event, data in frames if event == "custom"]
    assert custom == ["tool_start", "tool_end"]


async def test_rejoining_after_an_event_id_sends_only_what_came_after() -> None:
    everything = await sse_of(["values", "messages-tuple"], RUN_EVENTS)
    after = 5  # the stored tool call
    rest = await sse_of(["values", "messages-tuple"], RUN_EVENTS, after=after)
    assert rest == [f for f in everything if f[0] is not None and f[0] > after]
    # the values sent after the cut still hold the whole conversation (folded from what was not sent)
    assert len(next(d for _, e, d in rest if e == "values")["messages"]) == 3  # question, call, result


async def test_a_replayed_run_without_tokens_sends_whole_messages() -> None:
    replayed = [e for e in RUN_EVENTS if not isinstance(e, TokenEvent)]
    chunks = [d[0] for _, e, d in await sse_of(["messages-tuple"], replayed) if e == "messages"]
    assert [(c["type"], c["content"]) for c in chunks] == [
        ("ai", "Looking."),
        ("tool", "[]"),
        ("ai", "None yet."),
    ]


async def test_a_failed_run_ends_with_error_then_end() -> None:
    events: list[ChatEvent] = [
        MessageEvent(message=QUESTION),
        ErrorEvent(code="MODEL_ERROR", message="the model answered 500"),
        DoneEvent(run_id=RUN, status="error"),
    ]
    frames = await sse_of(["values"], events)
    assert [f[1] for f in frames[-2:]] == ["error", "end"]
    assert frames[-2][2] == {"error": "MODEL_ERROR", "message": "the model answered 500"}
    assert frames[-1][2]["status"] == "error"
    got = await final_values(bus(events), mapper([]))
    assert got == {"__error__": {"error": "MODEL_ERROR", "message": "the model answered 500"}}


def test_an_edited_question_replaces_its_exchange_in_the_values() -> None:
    old_q, old_a = msg("user", "first try"), msg("assistant", "first answer")
    new_q = msg("user", "second try", meta={"replaces": str(old_q.id), "resend": "edit"})
    convo = Conversation([msg("user", "hello"), msg("assistant", "hi"), old_q, old_a, new_q])
    assert [m["content"] for m in convo.values()["messages"]] == ["hello", "hi", "second try"]


def test_the_question_of_a_run_input() -> None:
    assert question_of({"messages": [{"role": "user", "content": "ciao"}]}) == "ciao"
    assert question_of({"messages": [{"type": "human", "content": [{"type": "text", "text": "a"}]}]}) == "a"
    for bad in (None, {}, {"messages": "hi"}, {"messages": [{"role": "user", "content": "  "}]}):
        with pytest.raises(BadRequest):
            question_of(bad)
    for unsupported in (
        {"messages": [{"role": "assistant", "content": "x"}]},
        {"messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}]},
    ):
        with pytest.raises(NotSupported):
            question_of(unsupported)
