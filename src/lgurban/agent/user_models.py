"""A run's chat models with the user's own provider key (issue 13), and the key's status after each call.

The key goes from the database (decrypted in lgurban.provider_keys) straight into the model client: it is
not in the graph's config (which LangGraph copies into checkpoint metadata), the run's state, any event or
log line, and the sandbox never sees it.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

from langchain_core.callbacks import AsyncCallbackHandler
from langchain_core.language_models import BaseChatModel
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lgurban.agent.providers import make_chat_model, split_model_id
from lgurban.agent.run.classify import classify
from lgurban.agent.run.context import RunContext
from lgurban.errors import ProviderKeyRequired
from lgurban.provider_keys import Credential, credential_for, record_outcome

log = logging.getLogger(__name__)

KEY_ERRORS = frozenset({"MODEL_AUTH_FAILED", "MODEL_NOT_FOUND", "MODEL_UNAVAILABLE"})


class KeyStatus(AsyncCallbackHandler):
    """Records whether calls with the user's key work: a run's first outcome, then each change."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], user_id: uuid.UUID, provider: str
    ) -> None:
        self.sessionmaker = sessionmaker
        self.user_id = user_id
        self.provider = provider
        self.written: tuple[bool, str | None] | None = None

    async def _note(self, ok: bool, code: str | None) -> None:
        if self.written == (ok, code):
            return
        self.written = (ok, code)
        await record_outcome(self.sessionmaker, self.user_id, self.provider, ok, code)

    async def on_llm_end(self, response: Any, **kwargs: Any) -> None:
        await self._note(True, None)

    async def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        if isinstance(error, asyncio.CancelledError):
            return
        code, _ = classify(error, 0)
        if code in KEY_ERRORS:  # not the key's fault otherwise (a cancelled run, a bug of ours)
            await self._note(False, code)


async def run_models(ctx: RunContext, model_id: str, http: Any) -> tuple[BaseChatModel, BaseChatModel]:
    """The run's analyst model and helper model, each with the user's key for its provider when set."""
    settings = ctx.resources.settings
    provider = split_model_id(model_id)[0]
    helper_id = settings.llm_helper_model or model_id
    async with ctx.resources.sessionmaker() as session:
        own = await credential_for(session, settings, ctx.user_id, provider)  # 409 when required and none
        helper_own = own
        if split_model_id(helper_id)[0] != provider:
            try:
                helper_own = await credential_for(
                    session, settings, ctx.user_id, split_model_id(helper_id)[0]
                )
            except ProviderKeyRequired:  # no key of theirs for the helper's provider: the thread's model
                helper_id, helper_own = model_id, own
    ctx.own_key = own is not None
    statuses: dict[str, KeyStatus] = {}

    def watch(cred: Credential | None) -> list[Any] | None:
        if cred is None or ctx.user_id is None:
            return None
        status = statuses.setdefault(
            cred.provider, KeyStatus(ctx.resources.sessionmaker, ctx.user_id, cred.provider)
        )
        return [status]

    thread = ctx.thread
    llm = make_chat_model(
        settings, model_id, thread.temperature, http_async_client=http, credential=own, callbacks=watch(own)
    )
    quiet = {"streaming": False, "http_async_client": http}
    try:
        helper = make_chat_model(
            settings, helper_id, 0.0, credential=helper_own, callbacks=watch(helper_own), **quiet
        )
    except Exception:  # LLM_HELPER_MODEL's provider missing: summaries and titles use the thread's model
        log.warning("LLM_HELPER_MODEL %r is not usable here; using %s", settings.llm_helper_model, model_id)
        helper = make_chat_model(settings, model_id, 0.0, credential=own, callbacks=watch(own), **quiet)
    return llm, helper
