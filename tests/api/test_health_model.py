"""`/api/health` says whether a model provider is configured (issue 19), without calling it."""

from __future__ import annotations

from fastapi import FastAPI

from lgurban.app import create_app
from tests.factories import api_client


async def _health(app: FastAPI) -> tuple[int, dict[str, object]]:
    async with app.router.lifespan_context(app):
        async with api_client(app, None) as client:
            r = await client.get("/api/health")
            return r.status_code, r.json()


async def test_health_reports_no_model_configured(settings_factory) -> None:  # type: ignore[no-untyped-def]
    """Regression: with no provider key `/api/health` said "ok" and nothing about the model."""
    settings = settings_factory(openai_api_key=None, openai_base_url=None, anthropic_api_key=None)
    status, body = await _health(create_app(settings))
    assert status == 200
    assert body["status"] == "ok"
    assert body["checks"]["model"] == "not configured"  # type: ignore[index]


async def test_health_names_the_provider_without_calling_it(settings_factory) -> None:  # type: ignore[no-untyped-def]
    # a base URL nobody listens on: a health check that called the provider would fail or hang
    settings = settings_factory(
        openai_base_url="http://127.0.0.1:9/v1", openai_api_key=None, llm_model="openai:gpt-4.1-mini"
    )
    status, body = await _health(create_app(settings))
    assert status == 200
    assert body["status"] == "ok"
    assert body["checks"]["model"] == "openai"  # type: ignore[index]


async def test_health_model_of_an_unconfigured_default(settings_factory) -> None:  # type: ignore[no-untyped-def]
    settings = settings_factory(
        openai_api_key="sk-test", anthropic_api_key=None, llm_model="anthropic:claude-haiku-4-5"
    )
    status, body = await _health(create_app(settings))
    assert (status, body["status"]) == (200, "ok")
    assert body["checks"]["model"] == "not configured"  # type: ignore[index]
