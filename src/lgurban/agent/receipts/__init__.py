"""Receipts (issue 15): every figure of an answer matched to the tool output that printed it.

HOW TO USE
    from lgurban.agent.receipts import verify, feedback
    check = verify(state_messages, answer_text)   # Check(receipts=[Receipt], unverified=[Unverified])
    if check.unverified: HumanMessage(feedback(check.unverified))   # what the analyst is sent back once

extract.py finds the figures (Italian and English formats), sources.py turns the conversation's tool outputs
into sources, match.py matches the two allowing for the rounding written. All pure: no I/O, no model call.
"""

from __future__ import annotations

from collections.abc import Iterable

from langchain_core.messages import BaseMessage

from lgurban.agent.receipts.extract import Figure, extract_numbers, language
from lgurban.agent.receipts.match import Check, Receipt, Source, Unverified, check_answer
from lgurban.agent.receipts.sources import sources_from_messages

MAX_FEEDBACK_ITEMS = 20

__all__ = [
    "Check",
    "Figure",
    "Receipt",
    "Source",
    "Unverified",
    "check_answer",
    "extract_numbers",
    "feedback",
    "language",
    "sources_from_messages",
    "verify",
]


def verify(messages: Iterable[BaseMessage], answer: str) -> Check:
    """The receipts of `answer` against the tool outputs among `messages`."""
    return check_answer(answer, sources_from_messages(messages))


def feedback(unverified: list[Unverified]) -> str:
    """The note sending an answer back: which figures no tool output shows (at most MAX_FEEDBACK_ITEMS)."""
    shown = [f'"{u.text.strip()}"' for u in unverified[:MAX_FEEDBACK_ITEMS]]
    more = len(unverified) - len(shown)
    listed = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
    return (
        "Verification: these numbers of your answer appear in no tool output of this conversation: "
        f"{listed}. Compute each with execute_code and print it (or take it from a tool result), "
        "or remove it; then write the final answer again, complete. Do not mention this check."
    )
