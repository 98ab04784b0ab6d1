"""The journal's view of an interrupted run: which tool calls in the graph state still need an answer."""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from lgurban.agent.run.journal import dangling_calls


def test_dangling_calls_are_the_unanswered_valid_and_invalid_ones() -> None:
    state = [
        HumanMessage("go"),
        AIMessage("", tool_calls=[{"id": "a", "name": "execute_code", "args": {}}]),
        ToolMessage("done", tool_call_id="a"),
        AIMessage(
            "",
            tool_calls=[{"id": "b", "name": "wait", "args": {}}],
            invalid_tool_calls=[{"id": "c", "name": None, "args": "{", "error": "bad"}],
        ),
    ]
    assert dangling_calls(state) == [("b", "wait"), ("c", "tool")]  # OpenAI wants an answer to both kinds
    assert dangling_calls([HumanMessage("hi")]) == []
