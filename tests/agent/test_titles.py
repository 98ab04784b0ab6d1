"""Title clean-up: one short line whatever the model adds."""

from __future__ import annotations

from langchain_core.messages import AIMessage
from tests.agent.scripted import ScriptedChatModel

from lgurban.agent.titles import MAX_TITLE_CHARS, clean_title, fallback_title, generate_title


def test_clean_title() -> None:
    assert clean_title('"Incidenti a Bologna."') == "Incidenti a Bologna"
    assert clean_title("Title: **Bus stops by district**\nMore text") == "Bus stops by district"
    assert clean_title("\n\n  Titolo:  Popolazione   2023 ") == "Popolazione 2023"
    long = clean_title("parola " * 40)
    assert len(long) <= MAX_TITLE_CHARS + 1 and long.endswith("…") and "  " not in long
    assert clean_title("   ") == ""
    assert fallback_title("") == "New thread"


async def test_generate_title_falls_back_to_the_question() -> None:
    llm = ScriptedChatModel(script=[AIMessage('""')])
    assert (
        await generate_title(llm, "Quanti residenti ha il Navile?", "...") == "Quanti residenti ha il Navile?"
    )
    sent = llm.seen[0]
    assert "title" in str(sent[0].content).lower() and "Navile" in str(sent[1].content)
