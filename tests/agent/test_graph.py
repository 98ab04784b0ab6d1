"""The analyst graph with a scripted model: tool loop, errors as data, malformed calls, limits, summaries."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.exceptions import ContextOverflowError
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.errors import GraphRecursionError
from tests.agent.conftest import recorder
from tests.agent.scripted import ScriptedChatModel, call

from lgurban.agent.graph import build_graph, visible_messages


@tool
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


@tool
def explode(reason: str) -> str:
    """Always fails."""
    raise RuntimeError(f"boom: {reason}")


def config(thread: str = "t1", **extra: Any) -> dict[str, Any]:
    return {"configurable": {"thread_id": thread}, **extra}


async def test_tool_loop_keeps_history_in_the_checkpointer() -> None:
    llm = ScriptedChatModel(
        script=[
            AIMessage("", tool_calls=[call("add", {"a": 2, "b": 3}, "c1")]),
            lambda msgs: AIMessage(f"The sum is {msgs[-1].content}."),
            AIMessage("Still here."),
        ]
    )
    graph = build_graph(llm=llm, tools=[add], checkpointer=InMemorySaver())
    out = await graph.ainvoke({"messages": [HumanMessage("2+3?")]}, config())
    kinds = [type(m).__name__ for m in out["messages"]]
    assert kinds == ["HumanMessage", "AIMessage", "ToolMessage", "AIMessage"]
    assert out["messages"][2].content == "5"
    assert out["messages"][-1].content == "The sum is 5."
    assert llm.bound_tools == ["add"]
    # every model call starts with the system prompt
    assert all(isinstance(seen[0], SystemMessage) for seen in llm.seen)
    assert "execute_code" in llm.seen[0][0].content

    out = await graph.ainvoke({"messages": [HumanMessage("and now?")]}, config())
    assert len(out["messages"]) == 6
    assert [m.content for m in llm.seen[-1][1:]][:1] == ["2+3?"]  # the second turn saw the first


async def test_tool_error_comes_back_to_the_model_as_data() -> None:
    llm = ScriptedChatModel(
        script=[
            AIMessage("", tool_calls=[call("explode", {"reason": "disk"}, "c1")]),
            AIMessage("That failed, sorry."),
        ]
    )
    graph = build_graph(llm=llm, tools=[explode, add])
    out = await graph.ainvoke({"messages": [HumanMessage("go")]})
    result = out["messages"][2]
    assert isinstance(result, ToolMessage)
    assert result.status == "error"
    assert "boom: disk" in result.content
    assert llm.seen[1][-1].content == result.content  # the model read it


async def test_arguments_not_matching_the_schema_are_a_validation_error_to_fix() -> None:
    llm = ScriptedChatModel(
        script=[
            AIMessage("", tool_calls=[call("add", {"a": "two"}, "c1")]),
            AIMessage("", tool_calls=[call("add", {"a": 2, "b": 2}, "c2")]),
            AIMessage("4"),
        ]
    )
    out = await build_graph(llm=llm, tools=[add]).ainvoke({"messages": [HumanMessage("2+2")]})
    bad, good = out["messages"][2], out["messages"][4]
    assert bad.status == "error" and "b" in bad.content and "a" in bad.content
    assert "validation" in bad.content.lower() or "error" in bad.content.lower()
    assert good.content == "4" and good.status == "success"


async def test_unknown_tool_name_is_answered() -> None:
    llm = ScriptedChatModel(script=[AIMessage("", tool_calls=[call("nope", {}, "c1")]), AIMessage("ok")])
    out = await build_graph(llm=llm, tools=[add]).ainvoke({"messages": [HumanMessage("x")]})
    assert out["messages"][2].status == "error"
    assert "add" in out["messages"][2].content  # tells the model which tools exist


async def test_malformed_json_arguments_get_an_error_and_a_retry() -> None:
    broken = AIMessage(
        "",
        invalid_tool_calls=[
            {
                "name": "add",
                "args": '{"a": 1, "b":',
                "id": "c1",
                "error": "bad json",
                "type": "invalid_tool_call",
            }
        ],
    )
    llm = ScriptedChatModel(
        script=[broken, AIMessage("", tool_calls=[call("add", {"a": 1, "b": 1}, "c2")]), AIMessage("2")]
    )
    out = await build_graph(llm=llm, tools=[add]).ainvoke({"messages": [HumanMessage("1+1")]})
    msgs = out["messages"]
    assert isinstance(msgs[2], ToolMessage) and msgs[2].tool_call_id == "c1"
    assert msgs[2].status == "error" and "not valid JSON" in msgs[2].content
    assert msgs[-1].content == "2"
    # every tool call the model made has an answer (the provider would refuse the next call otherwise)
    answered = {m.tool_call_id for m in msgs if isinstance(m, ToolMessage)}
    assert answered == {"c1", "c2"}


async def test_endless_malformed_calls_stop() -> None:
    broken = AIMessage(
        "",
        invalid_tool_calls=[
            {"name": "add", "args": "{", "id": "x", "error": None, "type": "invalid_tool_call"}
        ],
    )
    llm = ScriptedChatModel(script=[broken], repeat_last=True)
    out = await build_graph(llm=llm, tools=[add]).ainvoke({"messages": [HumanMessage("1+1")]})
    assert 2 <= len(llm.seen) <= 5
    assert isinstance(out["messages"][-1], ToolMessage)


async def test_recursion_limit_stops_a_model_that_never_answers() -> None:
    llm = ScriptedChatModel(
        script=[AIMessage("", tool_calls=[call("add", {"a": 1, "b": 1}, "c")])], repeat_last=True
    )
    graph = build_graph(llm=llm, tools=[add], recursion_limit=6)
    with pytest.raises(GraphRecursionError):
        await graph.ainvoke({"messages": [HumanMessage("loop")]})
    assert len(llm.seen) == 3  # agent, tools, agent, tools, agent, tools → limit


async def test_thread_instructions_are_added_to_the_system_prompt() -> None:
    llm = ScriptedChatModel(script=[AIMessage("ciao")])
    graph = build_graph(llm=llm, tools=[add], system_prompt="Rispondi sempre in italiano.")
    await graph.ainvoke({"messages": [HumanMessage("hi")]})
    prompt = llm.seen[0][0].content
    assert prompt.endswith("Rispondi sempre in italiano.") and "LG-Urban" in prompt


def _long_turns(n: int) -> list[Any]:
    msgs: list[Any] = []
    for i in range(n):
        msgs.append(HumanMessage(f"question {i} " + "x" * 2000, id=f"h{i}"))
        msgs.append(
            AIMessage("", tool_calls=[call("select_dataset", {"dataset_id": f"ds-{i}"}, f"s{i}")], id=f"a{i}")
        )
        body = {
            "path": f"datasets/ds-{i}.parquet",
            "rows": 10,
            "artifacts": [{"id": f"art-{i}", "filename": f"p{i}.png"}],
        }
        msgs.append(ToolMessage(json.dumps(body), tool_call_id=f"s{i}", id=f"t{i}"))
        msgs.append(AIMessage(f"answer {i} " + "y" * 2000, id=f"r{i}"))
    return msgs


async def test_older_turns_are_summarised_past_90_percent_and_references_kept() -> None:
    events: list[tuple[str, dict[str, Any]]] = []
    summarizer = ScriptedChatModel(script=[AIMessage("User asked about datasets 0-3.")])
    llm = ScriptedChatModel(script=[AIMessage("fine")])
    saver = InMemorySaver()
    graph = build_graph(
        llm=llm,
        tools=[add],
        checkpointer=saver,
        context_window=4_000,
        summarizer=summarizer,
        emit=recorder(events),
    )
    await graph.aupdate_state(config(), {"messages": _long_turns(5)})
    seen_tokens: list[str] = []
    async for mode, chunk in graph.astream(
        {"messages": [HumanMessage("and the last one?")]}, config(), stream_mode=["messages", "updates"]
    ):
        if mode == "messages":
            seen_tokens.append(str(chunk[0].content))
    # the summary call was not streamed as tokens
    assert not any("datasets 0-3" in t for t in seen_tokens)
    sent = llm.seen[0]
    system = sent[0].content
    assert "User asked about datasets 0-3." in system
    for i in range(4):  # datasets and artifacts of the summarised turns are still named
        assert f"datasets/ds-{i}.parquet" in system and f"p{i}.png (id art-{i})" in system
    # recent turns verbatim: the last full turn and the new question, nothing older
    contents = [m.content for m in sent[1:]]
    assert contents[0].startswith("question 4") and contents[-1] == "and the last one?"
    assert not any(str(c).startswith("question 3") for c in contents)
    state = (await graph.aget_state(config())).values
    assert len(state["messages"]) == 5 * 4 + 2  # the full history is kept
    assert state["summary_until"] == "r3"
    assert visible_messages(state)[0].id == "h4"
    assert events and events[-1][0] == "context" and events[-1][1]["context_window"] == 4_000
    assert events[-1][1]["tokens_used"] < 4_000
    # the summariser saw the older turns, not the recent ones
    transcript = summarizer.seen[0][-1].content
    assert "question 0" in transcript and "question 4" not in transcript


async def test_no_summary_below_the_threshold() -> None:
    summarizer = ScriptedChatModel(script=[])
    llm = ScriptedChatModel(script=[AIMessage("fine")])
    graph = build_graph(llm=llm, tools=[add], context_window=100_000, summarizer=summarizer)
    out = await graph.ainvoke({"messages": [*_long_turns(5), HumanMessage("q")]})
    assert "summary" not in out or not out.get("summary")
    assert summarizer.seen == [] and len(llm.seen[0]) == 1 + 5 * 4 + 1


async def test_one_long_turn_gets_its_older_tool_results_compacted() -> None:
    msgs: list[Any] = [HumanMessage("one long question", id="h0")]
    for i in range(8):
        msgs.append(AIMessage("", tool_calls=[call("add", {"a": i, "b": 0}, f"c{i}")], id=f"a{i}"))
        msgs.append(ToolMessage(f"result {i} " + "z" * 3000, tool_call_id=f"c{i}", id=f"t{i}"))
    llm = ScriptedChatModel(script=[AIMessage("done")])
    summarizer = ScriptedChatModel(script=[])
    graph = build_graph(llm=llm, tools=[add], context_window=6_000, summarizer=summarizer)
    out = await graph.ainvoke({"messages": msgs})
    sent = [m for m in llm.seen[0] if isinstance(m, ToolMessage)]
    assert len(sent) == 8 and summarizer.seen == []  # nothing to summarise: a single turn
    assert all("characters of this older tool result omitted" in str(m.content) for m in sent[:4])
    assert all(len(str(m.content)) > 3000 for m in sent[4:])  # the latest results stay whole
    assert len(out["messages"][2].content) > 3000  # the history itself is untouched


class OverflowOnce(ScriptedChatModel):
    overflowed: bool = False

    def _next(self, messages: list[Any]) -> AIMessage:
        if not self.overflowed:
            self.overflowed = True
            self.seen.append(list(messages))
            raise ContextOverflowError("maximum context length exceeded")
        return super()._next(messages)


async def test_provider_context_overflow_summarises_and_retries_once() -> None:
    llm = OverflowOnce(script=[AIMessage("fine")])
    summarizer = ScriptedChatModel(script=[AIMessage("earlier: datasets 0-4")])
    graph = build_graph(llm=llm, tools=[add], checkpointer=InMemorySaver(), summarizer=summarizer)
    await graph.aupdate_state(config("ovf"), {"messages": _long_turns(5)})
    out = await graph.ainvoke({"messages": [HumanMessage("next")]}, config("ovf"))
    assert out["messages"][-1].content == "fine"
    assert "earlier: datasets 0-4" in llm.seen[1][0].content
    assert [m.content for m in llm.seen[1][1:]] == ["next"]
    assert out["summary_until"] == "r4"
