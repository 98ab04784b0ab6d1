"""Chat models from configuration: which variable to set when none is, per-thread model validation (422)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from langchain_anthropic import ChatAnthropic
from langchain_openai import ChatOpenAI

from lgurban.agent.providers import helper_model, make_chat_model, validate_model
from lgurban.app import create_app
from lgurban.errors import InvalidConfig, ModelNotConfigured
from lgurban.settings import Settings


def bare(**values: Any) -> Settings:
    base: dict[str, Any] = {
        "_env_file": None,
        "openai_api_key": None,
        "openai_base_url": None,
        "anthropic_api_key": None,
        "anthropic_base_url": None,
        "llm_helper_model": None,
    }
    return Settings(**{**base, **values})


def test_no_provider_names_the_variable_to_set() -> None:
    with pytest.raises(ModelNotConfigured, match=r"OPENAI_API_KEY.*OPENAI_BASE_URL"):
        make_chat_model(bare())
    with pytest.raises(ModelNotConfigured, match="ANTHROPIC_API_KEY"):
        make_chat_model(bare(openai_api_key="sk-x"), "anthropic:claude-sonnet-4-5")
    with pytest.raises(ModelNotConfigured, match="Unknown model provider"):
        make_chat_model(bare(openai_api_key="sk-x"), "mistral:large")


def test_models_per_provider_with_the_thread_temperature() -> None:
    s = bare(openai_base_url="http://127.0.0.1:9/v1", anthropic_api_key="sk-ant")
    gpt = make_chat_model(s, "openai:my-local-model", 0.7)
    assert isinstance(gpt, ChatOpenAI)
    assert gpt.model_name == "my-local-model" and gpt.temperature == 0.7
    assert gpt.openai_api_base == "http://127.0.0.1:9/v1"
    claude = make_chat_model(s, "anthropic:claude-haiku-4-5", None)
    assert isinstance(claude, ChatAnthropic)
    assert claude.model == "claude-haiku-4-5" and claude.temperature == s.llm_temperature
    # a bare name is an OpenAI model
    assert make_chat_model(s, "gpt-4.1").model_name == "gpt-4.1"  # type: ignore[attr-defined]


def test_helper_model_prefers_llm_helper_model() -> None:
    s = bare(openai_api_key="sk-x", llm_helper_model="openai:gpt-4.1-nano")
    assert helper_model(s, "openai:gpt-4.1").model_name == "gpt-4.1-nano"  # type: ignore[attr-defined]
    assert helper_model(bare(openai_api_key="sk-x"), "openai:gpt-4o").model_name == "gpt-4o"  # type: ignore[attr-defined]


def test_validate_model() -> None:
    official = bare(openai_api_key="sk-x")
    assert validate_model(official, "gpt-4.1") == "openai:gpt-4.1"
    with pytest.raises(InvalidConfig, match="choose one of"):
        validate_model(official, "openai:gpt-made-up")
    with pytest.raises(InvalidConfig, match="ANTHROPIC_API_KEY"):
        validate_model(official, "anthropic:claude-sonnet-4-5")
    with pytest.raises(InvalidConfig, match="Unknown model"):
        validate_model(official, "llama:3")
    # an OpenAI-compatible server of our own serves whatever it serves
    assert validate_model(bare(openai_base_url="http://h/v1"), "openai:qwen2.5") == "openai:qwen2.5"


@pytest.fixture
async def api(settings_factory: Any) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings_factory(openai_api_key="sk-test", anthropic_api_key=None, openai_base_url=None))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


async def test_thread_config_with_an_unavailable_model_is_422(api: httpx.AsyncClient) -> None:
    r = await api.post("/api/threads", json={"config": {"model": "anthropic:claude-sonnet-4-5"}})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "INVALID_CONFIG"
    assert "ANTHROPIC_API_KEY" in r.json()["error"]["message"]

    r = await api.post("/api/threads", json={"config": {"model": "openai:gpt-4.1", "temperature": 0.5}})
    assert r.status_code == 201, r.text
    thread = r.json()
    assert thread["config"]["model"] == "openai:gpt-4.1"

    r = await api.patch(f"/api/threads/{thread['id']}", json={"config": {"model": "openai:nope"}})
    assert r.status_code == 422 and r.json()["error"]["code"] == "INVALID_CONFIG"
    r = await api.patch(f"/api/threads/{thread['id']}", json={"config": {"model": "gpt-4o-mini"}})
    assert r.status_code == 200 and r.json()["config"]["model"] == "openai:gpt-4o-mini"
    r = await api.patch(f"/api/threads/{thread['id']}", json={"config": {"temperature": 1.0}})
    assert r.status_code == 200 and r.json()["config"]["model"] == "openai:gpt-4o-mini"
