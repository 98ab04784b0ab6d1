"""An exception that ended a run → the error code and message the user sees."""

from __future__ import annotations

from langchain_core.exceptions import (
    ContextOverflowError,
    ModelAuthenticationError,
    ModelError,
    ModelNotFoundError,
    ModelPermissionDeniedError,
)
from langgraph.errors import GraphRecursionError

from lgurban.errors import AppError


def classify(exc: BaseException, settings_limit: int, *, own_key: bool = False) -> tuple[str, str]:
    """An exception from a run → (error code, message for the user); `own_key`: the user's key was used."""
    if isinstance(exc, GraphRecursionError):
        return (
            "RECURSION_LIMIT",
            f"The agent stopped after {settings_limit} steps without finishing (AGENT_RECURSION_LIMIT). "
            "What it produced so far is kept; ask it to continue or narrow the question.",
        )
    if isinstance(exc, AppError):
        return exc.code, exc.message
    if isinstance(exc, ContextOverflowError):
        return "CONTEXT_OVERFLOW", "The conversation no longer fits the model's context window."
    provider = isinstance(exc, ModelError) or _is_provider_error(exc)
    status = getattr(exc, "status_code", None) if provider else None
    refused = isinstance(exc, ModelAuthenticationError | ModelPermissionDeniedError)
    if (refused or status in (401, 403)) and own_key:
        return (
            "MODEL_AUTH_FAILED",
            "The model provider refused your own API key (it is wrong, revoked or lacks access to the "
            "model). Set a working key in Settings → Your model keys, or remove it to use the server's. "
            "Your message is kept.",
        )
    if refused or status in (401, 403):  # retrying cannot fix a key: say who can
        return (
            "MODEL_AUTH_FAILED",
            "The model provider refused this server's API key (it is wrong, revoked or lacks access to "
            "the model). Retrying will not help: the server's OPENAI_API_KEY / ANTHROPIC_API_KEY must be "
            "fixed, or another provider's model picked in the thread settings. Your message is kept.",
        )
    if isinstance(exc, ModelNotFoundError) or status == 404:
        return (
            "MODEL_NOT_FOUND",
            "The model provider does not know this thread's model. Pick another model in the thread "
            "settings; your message is kept.",
        )
    if isinstance(exc, ModelError) or _is_provider_error(exc):
        return (
            "MODEL_UNAVAILABLE",
            f"The model provider did not answer ({type(exc).__name__}: {str(exc)[:200]}). "
            "Your message is kept; send again to retry.",
        )
    return "INTERNAL_ERROR", f"The run failed unexpectedly ({type(exc).__name__})."


def _is_provider_error(exc: BaseException) -> bool:
    module = type(exc).__module__
    return module.startswith(("openai", "anthropic", "httpx", "httpcore")) or isinstance(
        exc, ConnectionError | TimeoutError
    )
