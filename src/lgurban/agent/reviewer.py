"""The reviewer (issue 15): the analyst's checked answer scored for completeness and relevancy by the
helper model.

HOW TO USE
    reviewer = Reviewer(llm=helper, max_reroutes=1, min_completeness=3, min_relevancy=3, timeout_s=30)
    build_graph(..., reviewer=reviewer)   # verify → review → agent (sent back) | END

The "review" node returns {"review": {completeness, relevancy, verdict, reroutes, critique}} (the shape of
events.ReviewOut) and, when a score is below its minimum and this turn has been sent back fewer than
`max_reroutes` times, {"messages": [HumanMessage(name=REVIEW_NOTE)]} with the critique: the answer goes back
to the analyst. Scores are integers 1-5. A failing review (model error, timeout, no or malformed scores) never
fails the run: the answer passes with verdict "skipped". See docs/reviewer.md.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from lgurban.agent.prompts import REVIEW_PROMPT

log = logging.getLogger(__name__)

REVIEW_NOTE = "review_note"  # the name of the message sending an answer back with the reviewer's critique
MAX_QUESTION_CHARS = 4000
MAX_ANSWER_CHARS = 8000
MAX_LISTED_FIGURES = 30


class ReviewScores(BaseModel):
    """The reviewer's scores of the analyst's answer."""

    completeness: int = Field(ge=1, le=5, description="1-5: does the answer cover every part of the question")
    relevancy: int = Field(ge=1, le=5, description="1-5: is the answer about what the user asked")
    critique: str = Field(default="", description="what to add or cut, when a score is below 4")


def turn_start(messages: Sequence[BaseMessage]) -> int:
    """The index of this turn's question: the last human message that is not a note of ours (notes have a
    name)."""
    for i in range(len(messages) - 1, -1, -1):
        m = messages[i]
        if isinstance(m, HumanMessage) and not m.name:
            return i
    return 0


def reroutes_so_far(messages: Sequence[BaseMessage]) -> int:
    """How many times the reviewer sent this turn's answer back: one REVIEW_NOTE per reroute."""
    start = turn_start(messages)
    return sum(1 for m in messages[start:] if isinstance(m, HumanMessage) and m.name == REVIEW_NOTE)


def review_input(question: str, answer: str, check: dict[str, Any]) -> str:
    """What the reviewer reads: the question, the answer and a digest of its receipts."""
    verified = [r.get("text", "") for r in check.get("receipts") or []]
    unverified = [u.get("text", "") for u in check.get("unverified") or []]

    def listed(items: list[str]) -> str:
        return ", ".join(f'"{t.strip()}"' for t in items[:MAX_LISTED_FIGURES]) or "none"

    return (
        f"Question of the user:\n{question[:MAX_QUESTION_CHARS]}\n\n"
        f"Answer of the analyst:\n{answer[:MAX_ANSWER_CHARS]}\n\n"
        f"Receipts: figures found in tool outputs: {listed(verified)}; "
        f"figures in no tool output: {listed(unverified)}."
    )


def critique_note(scores: ReviewScores) -> str:
    """The note sending an answer back to the analyst."""
    critique = scores.critique.strip() or "Answer every part of the question, and only the question."
    return (
        f"Review: your answer scored completeness {scores.completeness}/5 and relevancy {scores.relevancy}/5 "
        f"for the user's question. {critique} Use the tools if you need more data; then write the final "
        "answer again, complete. Do not mention this review."
    )


@dataclass
class Reviewer:
    """The "review" node (see the module docstring)."""

    llm: BaseChatModel
    max_reroutes: int = 1
    min_completeness: int = 3
    min_relevancy: int = 3
    timeout_s: float = 30.0

    async def score(self, question: str, answer: str, check: dict[str, Any]) -> ReviewScores:
        scorer = self.llm.with_structured_output(ReviewScores, method="function_calling")
        result = await scorer.ainvoke(
            [SystemMessage(REVIEW_PROMPT), HumanMessage(review_input(question, answer, check))],
            # its own call, never streamed as the answer's tokens
            config={"tags": ["nostream", "lgurban:review"]},
        )
        if not isinstance(result, ReviewScores):
            raise ValueError(f"the reviewer gave no scores ({type(result).__name__})")
        return result

    async def run(self, state: dict[str, Any]) -> dict[str, Any]:
        messages: list[BaseMessage] = list(state["messages"])
        question = messages[turn_start(messages)].text if messages else ""
        reroutes = reroutes_so_far(messages)
        try:
            scores = await asyncio.wait_for(
                self.score(question, messages[-1].text, state.get("check") or {}), self.timeout_s
            )
        except Exception as exc:  # a review is not worth failing the run: the answer passes unreviewed
            log.warning("review skipped: %s: %s", type(exc).__name__, str(exc)[:300])
            return {"review": {"verdict": "skipped", "reroutes": reroutes}}
        low = scores.completeness < self.min_completeness or scores.relevancy < self.min_relevancy
        send_back = low and reroutes < self.max_reroutes
        review: dict[str, Any] = {
            "completeness": scores.completeness,
            "relevancy": scores.relevancy,
            "verdict": "revise" if send_back else ("low" if low else "pass"),
            "reroutes": reroutes + 1 if send_back else reroutes,
            "critique": scores.critique.strip() or None,
        }
        update: dict[str, Any] = {"review": review}
        if send_back:
            update["messages"] = [HumanMessage(critique_note(scores), name=REVIEW_NOTE)]
        return update


def route_reviewed(state: dict[str, Any]) -> str:
    """After review: the agent again when the answer was sent back, the end otherwise."""
    review = state.get("review") or {}
    return "agent" if review.get("verdict") == "revise" else "__end__"
