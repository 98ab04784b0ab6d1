"""The reviewer's pieces alone: reroute counting, the receipts check's once-per-turn rule across review notes,
the translator holding an answer for its review, the review node's verdicts with a scripted chat model."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage
from tests.agent.test_run_translate import _translator

from lgurban.agent.graph import CHECK_NOTE, _sent_back
from lgurban.agent.reviewer import REVIEW_NOTE, Reviewer, reroutes_so_far, review_input

Q = HumanMessage("Which district has the most parks?", id="q")


def _note(name: str) -> HumanMessage:
    return HumanMessage("note", name=name)


def test_reroutes_are_counted_once_each_and_only_in_this_turn() -> None:
    old = [HumanMessage("before"), AIMessage("a"), _note(REVIEW_NOTE), AIMessage("b")]
    turn = [Q, AIMessage("d1"), _note(REVIEW_NOTE), AIMessage("d2"), _note(CHECK_NOTE), AIMessage("d3")]
    assert reroutes_so_far([*old, *turn]) == 1
    assert reroutes_so_far([*old, *turn, _note(REVIEW_NOTE), AIMessage("d4")]) == 2
    assert reroutes_so_far([*old, Q, AIMessage("d1")]) == 0


def test_a_review_note_does_not_reset_the_receipts_check_once_per_turn() -> None:
    """Regression: a review note after the check note let the receipts check send an answer back twice."""
    sent = [Q, AIMessage("d1"), _note(CHECK_NOTE), AIMessage("d2"), _note(REVIEW_NOTE), AIMessage("d3")]
    assert _sent_back(sent) is True
    assert _sent_back([Q, AIMessage("d1"), _note(REVIEW_NOTE), AIMessage("d2")]) is False


def test_the_reviewer_reads_the_question_answer_and_receipts_digest() -> None:
    check = {"receipts": [{"text": "7,51 milioni"}], "unverified": [{"text": "99"}]}
    text = review_input("Quanti?", "Sono 7,51 milioni, 99 casi.", check)
    assert text.startswith("Question of the user:\nQuanti?")
    assert 'found in tool outputs: "7,51 milioni"; figures in no tool output: "99".' in text
    assert "in no tool output: none." in review_input("q", "a", {})


class _ScoringModel(GenericFakeChatModel):
    """A chat model whose replies are scripted tool calls; with_structured_output binds a tool to it."""

    def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
        return self


def _scored(completeness: int, relevancy: int) -> AIMessage:
    args = {"completeness": completeness, "relevancy": relevancy, "critique": "Name the district."}
    return AIMessage("", tool_calls=[{"name": "ReviewScores", "args": args, "id": "c1"}])


async def test_verdicts_pass_revise_low() -> None:
    model = _ScoringModel(messages=iter([_scored(4, 5), _scored(2, 5), _scored(2, 5)]))
    reviewer = Reviewer(llm=model, max_reroutes=1)
    out = await reviewer.run({"messages": [Q, AIMessage("ok")]})
    assert out["review"]["verdict"] == "pass" and "messages" not in out
    out = await reviewer.run({"messages": [Q, AIMessage("d1")]})
    assert (out["review"]["verdict"], out["review"]["reroutes"]) == ("revise", 1)
    (note,) = out["messages"]
    assert note.name == REVIEW_NOTE and "Name the district." in note.text
    out = await reviewer.run({"messages": [Q, AIMessage("d1"), note, AIMessage("d2")]})
    assert (out["review"]["verdict"], out["review"]["reroutes"]) == ("low", 1) and "messages" not in out


async def test_a_model_error_is_a_skipped_review() -> None:
    reviewer = Reviewer(llm=_ScoringModel(messages=iter([])))  # no reply left: the call raises
    out = await reviewer.run({"messages": [Q, AIMessage("ok")]})
    assert out == {"review": {"verdict": "skipped", "reroutes": 0}}


async def test_the_translator_holds_a_checked_answer_for_its_review() -> None:
    t, journal, events = _translator()
    check = {"receipts": [], "unverified": [], "retry": False, "review": True}
    await t.feed("messages", (AIMessageChunk(content="Draft."), {}))
    await t.feed("updates", {"agent": {"messages": [AIMessage(content="Draft.")]}})
    await t.feed("updates", {"verify": {"check": check}})
    assert journal.rows == []  # waits for the review
    revise = {"completeness": 2, "relevancy": 5, "verdict": "revise", "reroutes": 1, "critique": "More."}
    await t.feed("updates", {"review": {"review": revise, "messages": [_note(REVIEW_NOTE)]}})
    assert journal.rows == [] and t.pending_text == ""  # the streamed draft dropped
    assert [e.type for e in events] == ["token", "review"]
    await t.feed("updates", {"agent": {"messages": [AIMessage(content="Better.")]}})
    await t.feed("updates", {"verify": {"check": check}})
    await t.feed("updates", {"review": {"review": {**revise, "verdict": "low"}}})
    (row,) = journal.rows
    assert row.content == "Better." and row.meta is not None
    assert row.meta["review"] == {**revise, "verdict": "low"} and row.meta["receipts"] == []
    assert [e.type for e in events] == ["token", "review", "review", "message"]
    assert [e.agent for e in events][1:] == ["reviewer", "reviewer", "analyst"]


async def test_a_run_ending_during_the_review_still_stores_the_checked_answer() -> None:
    t, journal, _ = _translator()
    await t.feed("updates", {"agent": {"messages": [AIMessage(content="Fine.")]}})
    await t.feed("updates", {"verify": {"check": {"receipts": [], "unverified": [], "review": True}}})
    await t.close("cancelled")
    (row,) = journal.rows
    assert row.content == "Fine." and row.meta == {"receipts": [], "unverified": []}
