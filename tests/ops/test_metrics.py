"""GET /metrics (issue 12): the counters move with requests, cells, runs and dataset loads; labels hold route
templates, never ids; the endpoint is loopback-only without METRICS_TOKEN and wants the token with it."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse(text: str) -> Samples:
    out: Samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(samples: Samples, name: str, **labels: str) -> float:
    return sum(v for (n, ls), v in samples.items() if n == name and set(labels.items()) <= set(ls))


async def scrape(client: httpx.AsyncClient, **headers: str) -> Samples:
    r = await client.get("/metrics", headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return parse(r.text)


async def test_request_and_cell_move_the_counters(client: httpx.AsyncClient) -> None:
    before = await scrape(client)
    thread = (await client.post("/api/threads", json={"title": "secret title 7f3a"})).json()
    base = f"/api/threads/{thread['id']}"
    assert (await client.get(base)).status_code == 200
    assert (await client.post(f"{base}/execute", json={"code": "1 + 1"})).json()["ok"]
    assert not (await client.post(f"{base}/execute", json={"code": "1 / 0"})).json()["ok"]
    r = await client.get("/metrics")
    after = parse(r.text)
    route = "/api/threads/{thread_id}"
    req = "http_requests_total"
    assert (
        value(after, req, route=route, method="GET", status="200")
        == value(before, req, route=route, method="GET", status="200") + 1
    )
    assert value(after, req, route="/api/threads", method="POST", status="201") >= 1
    count = "http_request_duration_seconds_count"
    assert value(after, count, route=route) > value(before, count, route=route)
    cells = "lgurban_sandbox_cells_total"
    assert value(after, cells, outcome="ok") == value(before, cells, outcome="ok") + 1
    assert value(after, cells, outcome="error") == value(before, cells, outcome="error") + 1
    cell_count = "lgurban_sandbox_cell_duration_seconds_count"
    assert value(after, cell_count) == value(before, cell_count) + 2
    assert value(after, "lgurban_sandboxes_live") >= 1
    # labels are templates and bounded names: no id, no title, no code
    assert thread["id"] not in r.text and "secret title" not in r.text and "1 / 0" not in r.text


async def test_unknown_paths_share_one_label(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/no-such-route-5d1e")).status_code == 404
    text = (await client.get("/metrics")).text
    assert "no-such-route-5d1e" not in text
    scraped = parse(text)
    # no route matched (or the web app's catch-all did, when it is built): one bounded label either way
    assert (
        value(scraped, "http_requests_total", route="unmatched", status="404")
        + value(scraped, "http_requests_total", route="/{path:path}", status="404")
    ) >= 1


async def test_loopback_only_without_a_token(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as remote:
        r = await remote.get("/metrics")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "METRICS_LOOPBACK_ONLY"
    assert "METRICS_TOKEN" in r.json()["error"]["message"]


async def test_token_is_required_when_set(settings_factory) -> None:  # type: ignore[no-untyped-def]
    from lgurban.app import create_app

    token = "metrics-token-abcdef-0123456789"
    application = create_app(settings_factory(metrics_token=token))
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application, client=("203.0.113.9", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as remote:
            for headers in ({}, {"Authorization": "Bearer wrong"}):
                r = await remote.get("/metrics", headers=headers)
                assert r.status_code == 401 and r.json()["error"]["code"] == "METRICS_TOKEN_REQUIRED"
                assert token not in r.text
            ok = await remote.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200 and "http_requests_total" in ok.text
    assert token not in ok.text


def test_tool_names_a_model_invents_stay_a_bounded_label_set(monkeypatch: pytest.MonkeyPatch) -> None:
    from lgurban.observability import metrics
    from lgurban.observability.metrics import tool_label

    monkeypatch.setattr(metrics, "_tools_seen", set())  # this process's other tests keep their names

    assert tool_label("execute_code") == "execute_code"
    assert tool_label("Robert'); DROP TABLE--") == "other"
    labels = {tool_label(f"made_up_{i}") for i in range(200)}
    assert "other" in labels and len(labels) <= 51
