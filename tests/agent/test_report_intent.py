"""Which messages go to the report writer (issue 15): a request for a report, in English or Italian; not a
question that merely mentions one, nor "report" as a verb."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage

from lgurban.agent.graph import route_start
from lgurban.agent.report import is_report_request

REQUESTS = [
    "Write a report",
    "Please write a short report on this.",
    "Can you make me a report about the parks?",
    "draft the final report.",
    "Give me a report",
    "Report!",
    "Scrivi un report",
    "Scrivimi un breve rapporto sui dati",
    "Fammi una relazione sui risultati",
    "Prepara il rapporto",
    "genera un resoconto",
]
NOT_REQUESTS = [
    "Report the totals",
    "create a chart and report the totals",
    "What does the report say?",
    "Quanti incidenti riporta il rapporto?",
    "Qual è il rapporto tra incidenti e traffico?",
    "make a chart of the relazione between x and y",
    "How many accidents were there in 2023?",
]


@pytest.mark.parametrize("text", REQUESTS)
def test_a_request_for_a_report_is_one(text: str) -> None:
    assert is_report_request(text)


@pytest.mark.parametrize("text", NOT_REQUESTS)
def test_other_messages_are_not(text: str) -> None:
    assert not is_report_request(text)


def test_the_graph_routes_only_the_users_own_message() -> None:
    assert route_start({"messages": [HumanMessage("Scrivi un report")]}) == "report_draft"
    assert route_start({"messages": [HumanMessage("Quanti parchi?")]}) == "agent"
    # a note of ours (named) or an answer is never a request
    assert route_start({"messages": [HumanMessage("write a report", name="review_note")]}) == "agent"
    assert route_start({"messages": [AIMessage("write a report")]}) == "agent"
