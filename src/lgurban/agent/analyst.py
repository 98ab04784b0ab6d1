"""The analyst graph for one chat run, everything wired: the runs manager's graph factory.

HOW TO USE (lgurban.agent.runs.analyst_graph is just this):
    async def analyst_graph(ctx: RunContext) -> Any:
        from lgurban.agent.analyst import build_analyst
        return await build_analyst(ctx)

It builds the thread's chat model (ModelNotConfigured when its provider has no key — an `error` event), the
tools bound to the thread/run with ctx.emit for live events, the system prompt with the thread's own
instructions, the thread's context window with summaries by the helper model past 90 %, the step limit
(settings.agent_recursion_limit) and, after the first exchange, the thread's automatic title (the title task
is awaited in ctx.cleanups, at most TITLE_WAIT_S), and the reviewer on the helper model (issue 15) unless the
thread's config says `reviewer: false` (or REVIEWER_ENABLED is false and the thread does not turn it on), and
the report writer on the thread's model (issue 15, lgurban.agent.report).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import logging
import ssl
from typing import Any

import httpx

from lgurban.agent.graph import build_graph
from lgurban.agent.notebook_note import notebook_note
from lgurban.agent.report import ReportWriter
from lgurban.agent.report.publish import publish_report, thread_sources
from lgurban.agent.reviewer import Reviewer
from lgurban.agent.run.context import RunContext
from lgurban.agent.titles import title_thread
from lgurban.agent.tools import make_tools
from lgurban.agent.uploads import uploads_note
from lgurban.agent.user_models import run_models
from lgurban.settings import Settings

log = logging.getLogger(__name__)

TITLE_WAIT_S = 30.0


def make_reviewer(settings: Settings, thread: Any, helper: Any) -> Reviewer | None:
    """The thread's reviewer: its own `reviewer` setting, else REVIEWER_ENABLED; None when off."""
    own = getattr(thread, "reviewer", None)
    if not (settings.reviewer_enabled if own is None else own):
        return None
    return Reviewer(
        llm=helper,
        max_reroutes=settings.reviewer_max_reroutes,
        min_completeness=settings.reviewer_min_completeness,
        min_relevancy=settings.reviewer_min_relevancy,
        timeout_s=settings.reviewer_timeout_s,
    )


def make_report_writer(ctx: RunContext, llm: Any) -> ReportWriter:
    """The report writer of the run (issue 15): the thread's model; charts and datasets of the thread."""
    thread_id = ctx.thread.id

    async def sources() -> Any:
        return await thread_sources(ctx.resources, thread_id)

    async def publish(markdown: str, call: str) -> Any:
        return await publish_report(
            ctx.resources, thread_id=thread_id, markdown=markdown, call=call, emit=ctx.emit
        )

    return ReportWriter(
        llm=llm, sources=sources, publish=publish, timeout_s=ctx.resources.settings.llm_timeout_s
    )


@functools.cache
def _tls() -> ssl.SSLContext:
    return ssl.create_default_context()  # made once: loading the CA bundle costs ~20 ms


async def build_analyst(ctx: RunContext) -> Any:
    """The compiled analyst graph for the run `ctx` describes (see the module docstring)."""
    settings = ctx.resources.settings
    thread = ctx.thread
    model_id = thread.model or settings.llm_model
    # the run's own HTTP client (closed when the run ends): the provider libraries' cached default
    # clients belong to whichever event loop first used them
    http = httpx.AsyncClient(verify=_tls(), timeout=settings.llm_timeout_s)
    ctx.cleanups.append(http.aclose)
    llm, helper = await run_models(ctx, model_id, http)  # the user's own key when set (issue 13)
    tools = make_tools(
        resources=ctx.resources,
        thread_id=thread.id,
        user_id=ctx.user_id,
        run_id=ctx.run_id,
        emit=ctx.emit,
    )

    def start_title(question: str, answer: str) -> None:
        if not getattr(thread, "title_is_auto", True):
            return
        # a fresh context: the title call is not part of the graph run (no callbacks, never streamed)
        task = asyncio.create_task(
            title_thread(ctx.resources, thread.id, helper, question, answer), context=contextvars.Context()
        )

        async def wait_title() -> None:
            with contextlib.suppress(Exception, asyncio.TimeoutError):
                await asyncio.wait_for(task, TITLE_WAIT_S)

        ctx.cleanups.append(wait_title)

    return build_graph(
        llm=llm,
        tools=tools,
        checkpointer=ctx.checkpointer,
        system_prompt=thread.system_prompt,
        context_window=thread.context_window or settings.llm_context_window,
        model_id=model_id,
        summarizer=helper,
        emit=ctx.emit,
        recursion_limit=settings.agent_recursion_limit,
        on_first_answer=start_title,
        workspace_note=await _workspace_note(ctx, thread.id),
        reviewer=make_reviewer(settings, thread, helper),
        report_writer=make_report_writer(ctx, llm),
    )


async def _workspace_note(ctx: RunContext, thread_id: Any) -> str | None:
    """The end of the system prompt (issue 14): the files the user uploaded, the cells they ran themselves."""
    notes = [
        await uploads_note(ctx.resources.workspace(thread_id), owner=thread_id),
        await notebook_note(ctx.resources.sessionmaker, thread_id),
    ]
    return "\n\n".join(n for n in notes if n) or None
