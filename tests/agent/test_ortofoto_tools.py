"""get_ortofoto / compare_ortofoto / view_3d_model (issue 16 item 3): the analyst calls them over real HTTP
(ChatOpenAI against the fake OpenAI server), places resolve through the fake Nominatim, the maps name the
fake tile server's template; the model reads a short summary (no HTML, no image), errors are data."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from tests.agent.conftest import chat_settings, open_chat_app, send
from tests.agent.test_tools import invoke, tools_for
from tests.fakes.nominatim import FakeNominatim
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.tiles import FakeTiles

from lgurban.agent.analyst import build_analyst
from lgurban.app import create_app


@pytest.fixture
def nominatim() -> Any:
    fake = FakeNominatim().start()
    yield fake
    fake.stop()


@pytest.fixture
def tiles() -> Any:
    fake = FakeTiles().start()
    yield fake
    fake.stop()


def _tool_messages(llm: FakeOpenAI) -> list[str]:
    last = llm.analyst_requests[-1]["messages"]
    return [str(m["content"]) for m in last if m["role"] == "tool"]


def _head(html: str) -> str:
    return html.split("<body>")[0]


async def test_the_analyst_shows_compares_and_links_aerial_views(
    settings_factory: Any, llm: FakeOpenAI, nominatim: FakeNominatim, tiles: FakeTiles
) -> None:
    settings = chat_settings(
        settings_factory,
        openai_base_url=llm.url,
        openai_api_key="sk-fake",
        geocoder_url=nominatim.url,
        geocoder_min_interval_s=0.05,
        sit_tiles_url=tiles.template,
        sit_ortofoto_years="2017,2020,2024",
        reviewer_enabled=False,
    )
    async with open_chat_app(settings, llm, standin=False) as chat:
        chat.manager.graph_factory = build_analyst
        llm.add_rule({"has_tools": False}, {"content": "Ortofoto"})
        llm.script(
            {
                "when": {"has_tools": True, "last_role": "user"},
                "tool_calls": [{"name": "get_ortofoto", "args": {"year": 2019, "place": "Piazza Maggiore"}}],
            },
            {
                "when": {"last_role": "tool", "tool_contains": "years available"},
                "tool_calls": [{"name": "get_ortofoto", "args": {"year": 2024, "place": "Piazza Maggiore"}}],
            },
            {
                "when": {"last_role": "tool", "tool_contains": '"year": 2024'},
                "tool_calls": [
                    {
                        "name": "compare_ortofoto",
                        "args": {"year_a": 2017, "year_b": 2024, "place": "Bologna Centrale"},
                    }
                ],
            },
            {
                "when": {"last_role": "tool", "tool_contains": '"year_b": 2024'},
                "tool_calls": [{"name": "view_3d_model", "args": {"place": "Piazza Maggiore"}}],
            },
            {"when": {"last_role": "tool", "tool_contains": "Bologna3D"}, "content": "Ecco le foto."},
        )
        thread = await chat.thread()
        events = await send(chat.client, thread, "Fammi vedere Piazza Maggiore dall'alto nel 2019")

        ends = [(d["name"], d["ok"]) for e, d in events if e == "tool_end"]
        assert ends == [
            ("get_ortofoto", False),
            ("get_ortofoto", True),
            ("compare_ortofoto", True),
            ("view_3d_model", True),
        ], ends
        bad_year, one, two, model3d = _tool_messages(llm)
        assert bad_year.startswith("Error") and "2019" in bad_year and "2017, 2020, 2024" in bad_year
        for text in (one, two, model3d):  # what the model reads: short, no page, no image
            assert len(text) < 1_000 and "<html" not in text and "base64" not in text, text
        first = json.loads(one)
        assert first["year"] == 2024 and first["place"].startswith("Piazza Maggiore")
        w, s, e, n = first["bbox"]
        assert w < 11.3430 < e and s < 44.4938 < n and e - w < 0.02, first["bbox"]
        assert first["artifact"] == "ortofoto-2024-Piazza-Maggiore.html"
        second = json.loads(two)
        assert (second["left"], second["right"]) == (2017, 2024)
        assert second["place"].startswith("Bologna Centrale")
        link = json.loads(model3d)
        assert link["url"].startswith("https://sitmappe.comune.bologna.it/Bologna3D/?center=11.34")
        assert "Ecco le foto." in "".join(d["text"] for e, d in events if e == "token")

        arts = [d["artifact"] for e, d in events if e == "artifact"]
        assert [a["filename"] for a in arts] == [
            "ortofoto-2024-Piazza-Maggiore.html",
            "ortofoto-2017-vs-2024-Bologna-Centrale.html",
        ]
        for art in arts:
            print(f"figure: {art['filename']} = {art['size']} bytes")
            assert art["mime"] == "text/html" and art["size"] < 20_000 and art["tool_call_id"]
            page = (await chat.client.get(art["url"])).text
            assert '<script src="/static/map-assets/leaflet@1.9.3/dist/leaflet.js">' in page
            assert "https://" not in _head(page) and "http://" not in _head(page)  # no CDN
            assert json.dumps(tiles.template) in page  # the browser asks the configured tile host
            assert "data:image" not in page
        compare = (await chat.client.get(arts[1]["url"])).text
        assert (
            '"years": [2017, 2024]' in compare and '"labels": ["Ortofoto 2017", "Ortofoto 2024"]' in compare
        )
        # stored with the thread (the gallery lists them) and the link card's data kept with the message
        listed = (await chat.client.get(f"/api/threads/{thread}/artifacts")).json()["items"]
        assert sorted(a["filename"] for a in listed) == sorted(a["filename"] for a in arts)
        [tool_msg] = [
            d["message"]
            for e, d in events
            if e == "message" and d["message"].get("tool_name") == "view_3d_model"
        ]
        assert tool_msg["meta"]["link"]["url"] == link["url"] and tool_msg["artifacts"] == []
        assert tiles.requests == []  # the server never fetches tiles: only the user's browser does
        assert [r["query"]["q"] for r in nominatim.requests] == ["Piazza Maggiore", "Bologna Centrale"]


@pytest.fixture
async def ortho_app(
    settings_factory: Any, nominatim: FakeNominatim, tiles: FakeTiles
) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    settings = settings_factory(
        geocoder_url=nominatim.url, geocoder_min_interval_s=0.0, sit_tiles_url=tiles.template
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield app, client


async def test_bad_calls_are_data(ortho_app: tuple[Any, httpx.AsyncClient]) -> None:
    app, client = ortho_app
    thread = (await client.post("/api/threads", json={"title": "ortofoto"})).json()
    events: list[tuple[str, dict[str, Any]]] = []
    tools = tools_for(app, thread["id"], events)
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("get_ortofoto", {"year": 2024, "place": "Via Inesistente 999"}, "PLACE_NOT_FOUND"),
        ("view_3d_model", {"place": "Via Inesistente 999"}, "PLACE_NOT_FOUND"),
        ("get_ortofoto", {"year": 2024}, "give a place"),
        ("get_ortofoto", {"year": 1850, "place": "Piazza Maggiore"}, "2017, 2018, 2020, 2021, 2022"),
        ("get_ortofoto", {"year": 2024, "bbox": [11.35, 44.49, 11.34, 44.50]}, "min <= max"),
        ("get_ortofoto", {"year": 2024, "bbox": [11.34, 44.49]}, "4 numbers"),
        ("compare_ortofoto", {"year_a": 2020, "year_b": 2020, "place": "Piazza Maggiore"}, "two different"),
        ("compare_ortofoto", {"year_a": 2020, "year_b": 1999, "place": "Piazza Maggiore"}, "1999"),
    ]
    for i, (name, args, needle) in enumerate(cases):
        msg = await invoke(tools[name], args, f"bad-{i}")
        assert str(msg.content).startswith("Error") and needle in str(msg.content), (name, msg.content)
        assert msg.artifact["ok"] is False
    assert [e for e, _ in events if e == "artifact"] == []  # no half-made map stored

    # a bbox needs no geocoder; a point-sized one is widened to a block
    msg = await invoke(
        tools["get_ortofoto"], {"year": 2020, "bbox": [11.343, 44.4938, 11.343, 44.4938]}, "ok-1"
    )
    body = json.loads(str(msg.content))
    w, s, e, n = body["bbox"]
    assert 0.002 < n - s < 0.004 and 0.003 < e - w < 0.006, body["bbox"]
    assert body["artifact"] == "ortofoto-2020.html" and body["place"] == "the given bbox"
    assert "note" not in body  # in the city
    [art] = [d["artifact"] for ev, d in events if ev == "artifact"]
    assert art["tool_call_id"] == "ok-1"

    # a place outside the city is drawn, and the model is told the photos will not cover it
    msg = await invoke(tools["get_ortofoto"], {"year": 2020, "bbox": [9.18, 45.46, 9.19, 45.47]}, "ok-2")
    assert "outside Bologna" in json.loads(str(msg.content))["note"]
