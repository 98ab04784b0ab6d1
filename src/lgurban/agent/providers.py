"""Which chat models this server can use, from the provider keys it has."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel
from pydantic import SecretStr

from lgurban.errors import InvalidConfig, ModelNotConfigured
from lgurban.provider_keys import Credential
from lgurban.settings import Settings

KNOWN_PROVIDERS = ("openai", "anthropic")


@dataclass(frozen=True)
class ModelChoice:
    id: str  # "provider:model", as LLM_MODEL and the thread config spell it
    provider: str
    label: str


def configured_providers(settings: Settings) -> list[str]:
    providers = []
    if settings.openai_api_key or settings.openai_base_url:
        providers.append("openai")
    if settings.anthropic_api_key:
        providers.append("anthropic")
    return providers


def split_model_id(model_id: str) -> tuple[str, str]:
    provider, _, name = model_id.partition(":")
    if not name:
        return "openai", provider
    return provider, name


def available_models(settings: Settings) -> list[ModelChoice]:
    """The default model plus the well-known models of every configured provider."""
    known = {
        "openai": ["gpt-4.1-mini", "gpt-4.1", "gpt-4o-mini", "gpt-4o"],
        "anthropic": ["claude-sonnet-4-5", "claude-haiku-4-5"],
    }
    providers = configured_providers(settings)
    out: list[ModelChoice] = []
    seen: set[str] = set()
    default_provider, default_name = split_model_id(settings.llm_model)
    candidates = [(default_provider, default_name)] + [(p, m) for p in providers for m in known.get(p, [])]
    for provider, name in candidates:
        ident = f"{provider}:{name}"
        if provider in providers and ident not in seen:
            seen.add(ident)
            out.append(ModelChoice(id=ident, provider=provider, label=name))
    return out


def _custom_server(settings: Settings, provider: str) -> bool:
    """An OpenAI-compatible (or Anthropic-compatible) server of our own serves any model name it knows."""
    if provider == "openai":
        return bool(settings.openai_base_url)
    if provider == "anthropic":
        return bool(settings.anthropic_base_url and settings.anthropic_api_key)
    return False


def missing_provider_message(provider: str) -> str:
    if provider == "openai":
        return (
            "No OpenAI model is configured: set OPENAI_API_KEY "
            "(or OPENAI_BASE_URL for an OpenAI-compatible server)."
        )
    if provider == "anthropic":
        return "No Anthropic model is configured: set ANTHROPIC_API_KEY."
    return f"Unknown model provider {provider!r}: use 'openai:<model>' or 'anthropic:<model>'."


def validate_model(settings: Settings, model_id: str) -> str:
    """The normalised "provider:model" id, or InvalidConfig (422) when this server cannot use that model."""
    provider, name = split_model_id(model_id.strip())
    ident = f"{provider}:{name}"
    if provider not in KNOWN_PROVIDERS or not name:
        raise InvalidConfig(f"Unknown model {model_id!r}: use 'openai:<model>' or 'anthropic:<model>'.")
    if provider not in configured_providers(settings):
        raise InvalidConfig(
            f"Model {ident!r} is not available on this server. {missing_provider_message(provider)}"
        )
    if _custom_server(settings, provider) or ident in {m.id for m in available_models(settings)}:
        return ident
    choices = ", ".join(m.id for m in available_models(settings))
    raise InvalidConfig(f"Model {ident!r} is not available on this server; choose one of: {choices}.")


def make_chat_model(
    settings: Settings,
    model: str | None = None,
    temperature: float | None = None,
    *,
    streaming: bool = True,
    http_async_client: Any = None,
    credential: Credential | None = None,
    callbacks: list[Any] | None = None,
) -> BaseChatModel:
    """The chat model for `model` ("provider:name"; default LLM_MODEL) with the thread's temperature.

    `credential`: the user's own key (and base URL) for the model's provider, instead of the server's.
    Raises ModelNotConfigured naming the variable to set when the model's provider has no key/URL here."""
    provider, name = split_model_id((model or settings.llm_model).strip())
    if provider not in KNOWN_PROVIDERS:
        raise ModelNotConfigured(missing_provider_message(provider))
    if credential is None and provider not in configured_providers(settings):
        raise ModelNotConfigured(missing_provider_message(provider))
    temp = settings.llm_temperature if temperature is None else temperature
    if provider == "openai":
        from langchain_openai import ChatOpenAI

        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
        base_url = settings.openai_base_url or None
        if credential is not None:
            key, base_url = credential.api_key, credential.base_url or base_url
        return ChatOpenAI(
            model=name,
            api_key=SecretStr(key),
            base_url=base_url,
            callbacks=callbacks,
            temperature=temp,
            timeout=settings.llm_timeout_s,
            max_retries=settings.llm_max_retries,
            streaming=streaming,
            stream_usage=True,
            http_async_client=http_async_client,
        )
    from langchain_anthropic import ChatAnthropic

    api_key = SecretStr(credential.api_key) if credential is not None else settings.anthropic_api_key
    assert api_key is not None
    kwargs: dict[str, Any] = {}
    if settings.anthropic_base_url:
        kwargs["base_url"] = settings.anthropic_base_url
    return ChatAnthropic(  # type: ignore[call-arg]
        model_name=name,
        api_key=api_key,
        callbacks=callbacks,
        temperature=temp,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        streaming=streaming,
        max_tokens=8192,
        **kwargs,
    )


def helper_model(
    settings: Settings, thread_model: str | None = None, *, http_async_client: Any = None
) -> BaseChatModel:
    """The model for helper calls (titles, summaries): LLM_HELPER_MODEL if set, else the thread's model."""
    return make_chat_model(
        settings,
        settings.llm_helper_model or thread_model,
        temperature=0.0,
        streaming=False,
        http_async_client=http_async_client,
    )
