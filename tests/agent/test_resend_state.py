"""The graph input of a resend (lgurban.agent.run.resend.graph_input) on hand-made states: the messages
before the replaced question, the summary of that time (a later one may cover the replaced exchange)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, RemoveMessage
from langgraph.graph.message import REMOVE_ALL_MESSAGES, add_messages

from lgurban.agent.run.resend import graph_input


@dataclass
class Snapshot:
    values: dict[str, Any]


class History:
    """A graph stand-in that only answers aget_state_history, newest first."""

    def __init__(self, *values: dict[str, Any]) -> None:
        self.snapshots = [Snapshot(v) for v in values]

    async def aget_state_history(self, config: dict[str, Any]) -> Any:
        for s in self.snapshots:
            yield s


def conversation() -> tuple[list[Any], UUID]:
    replaced = uuid4()
    messages = [
        HumanMessage("q1", id="h1"),
        AIMessage("a1", id="a1"),
        HumanMessage("q2", id=str(replaced)),
        AIMessage("a2", id="a2"),
    ]
    return messages, replaced


async def test_the_state_becomes_the_messages_before_the_question_then_the_new_one() -> None:
    messages, replaced = conversation()
    new = HumanMessage("q2 again", id="h3")
    given = await graph_input(History(), {}, {"messages": messages}, replaced, new)
    assert given is not None
    assert isinstance(given["messages"][0], RemoveMessage) and given["messages"][0].id == REMOVE_ALL_MESSAGES
    state = add_messages(messages, given["messages"])
    assert [m.content for m in state if isinstance(m, BaseMessage)] == ["q1", "a1", "q2 again"]
    assert "summary" not in given  # a graph without a summary channel gets none


async def test_a_summary_made_after_the_question_is_replaced_by_the_one_before_it() -> None:
    messages, replaced = conversation()
    now = {"messages": messages, "summary": "covers a2", "summary_until": "a2"}
    before = {"messages": messages[:2], "summary": "covers q1", "summary_until": "h1"}
    graph = History(now, before)
    given = await graph_input(graph, {}, now, replaced, HumanMessage("q", id="h3"))
    assert given is not None and (given["summary"], given["summary_until"]) == ("covers q1", "h1")
    kept = {"messages": messages, "summary": "covers q1", "summary_until": "h1"}
    given = await graph_input(History(), {}, kept, replaced, HumanMessage("q", id="h3"))
    assert given is not None and (given["summary"], given["summary_until"]) == ("covers q1", "h1")
    never = History(now)  # no summary covered only the earlier messages: none at all
    given = await graph_input(never, {}, now, replaced, HumanMessage("q", id="h3"))
    assert given is not None and (given["summary"], given["summary_until"]) == (None, None)


async def test_a_question_the_graph_never_took_gives_no_input() -> None:
    messages, _ = conversation()
    given = await graph_input(History(), {}, {"messages": messages}, uuid4(), HumanMessage("q", id="x"))
    assert given is None
