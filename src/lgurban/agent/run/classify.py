"""An exception that ended a run → the error code and message the user sees."""

from __future__ import annotations

from langchain_core.exceptions import ContextOverflowError, ModelError
from langgraph.errors import GraphRecursionError

from lgurban.errors import AppError


def classify(exc: BaseException, settings_limit: int) -> tuple[str, str]:
    """An exception from a run → (error code, message for the user)."""
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
