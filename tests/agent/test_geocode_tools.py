"""geocode / reverse_geocode (issue 16 item 3): the analyst calls them over real HTTP (ChatOpenAI against the
fake OpenAI server), they ask the fake Nominatim over HTTP; results and failures reach the model as data."""

from __future__ import annotations

import json
from typing import Any

from tests.agent.conftest import chat_settings, open_chat_app, send
from tests.fakes.nominatim import FakeNominatim
from tests.fakes.openai_server import FakeOpenAI

from lgurban.agent.analyst import build_analyst


def _tool_messages(llm: FakeOpenAI) -> list[str]:
    last = llm.analyst_requests[-1]["messages"]
    return [str(m["content"]) for m in last if m["role"] == "tool"]


async def test_the_analyst_geocodes_and_reverse_geocodes(settings_factory: Any, llm: FakeOpenAI) -> None:
    nominatim = FakeNominatim().start()
    try:
        settings = chat_settings(
            settings_factory,
            openai_base_url=llm.url,
            openai_api_key="sk-fake",
            geocoder_url=nominatim.url,
            geocoder_min_interval_s=0.05,
        )
        async with open_chat_app(settings, llm, standin=False) as chat:
            chat.manager.graph_factory = build_analyst
            llm.add_rule({"has_tools": False}, {"content": "Dove"})
            llm.script(
                {
                    "when": {"has_tools": True, "last_role": "user"},
                    "tool_calls": [{"name": "geocode", "args": {"query": "Piazza Maggiore"}}],
                },
                {
                    "when": {"last_role": "tool", "tool_contains": "44.4938"},
                    "tool_calls": [{"name": "reverse_geocode", "args": {"lat": 44.5056, "lon": 11.3433}}],
                },
                {
                    "when": {"last_role": "tool", "tool_contains": "Bologna Centrale"},
                    "tool_calls": [{"name": "geocode", "args": {"query": "stazione"}}],
                },
                {"when": {"last_role": "tool", "tool_contains": "GEOCODER_UNAVAILABLE"}, "content": "Fatto."},
            )
            nominatim.failing_queries["stazione"] = 503
            thread = await chat.thread()
            events = await send(chat.client, thread, "Dov'è Piazza Maggiore?")

        ends = [(d["name"], d["ok"]) for e, d in events if e == "tool_end"]
        assert ends == [("geocode", True), ("reverse_geocode", True), ("geocode", False)], ends
        first, second, third = _tool_messages(llm)
        places = json.loads(first)["places"]
        assert places[0]["address"]["city"] == "Bologna" and places[1]["address"]["city"] == "Milano"
        assert json.loads(second)["name"].startswith("Bologna Centrale")
        assert third.startswith("Error: GEOCODER_UNAVAILABLE") and "503" in third
        assert "Fatto." in "".join(d["text"] for e, d in events if e == "token")
        assert [r["path"] for r in nominatim.requests] == ["/search", "/reverse", "/search"]
    finally:
        nominatim.stop()
