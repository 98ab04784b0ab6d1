"""Which chat models this server can use, from the provider keys it has."""

from __future__ import annotations

from dataclasses import dataclass

from lgurban.settings import Settings


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
