"""Chat runs: one active run per thread, executed in the background, its events on the event bus.

A run is an asyncio task of its own: the HTTP client that started it only subscribes, so a client that goes
away loses nothing. The lock is the `runs` row (lgurban.agent.run.lease); the `messages` table is written as
the run goes (lgurban.agent.run.journal), translated from the LangGraph stream (lgurban.agent.run.translate);
graph state left half-way (a tool call without its answer) is closed before the next run.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import HumanMessage
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.types import Command
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban.agent.events import ChatEvent, DoneEvent, ErrorEvent, MessageEvent, RunStartedEvent
from lgurban.agent.history import message_out, next_seq
from lgurban.agent.report import pending_draft
from lgurban.agent.run.bus import BusEvent, EventBus, InProcessBus, with_keepalive
from lgurban.agent.run.classify import classify
from lgurban.agent.run.context import GraphFactory, RunContext
from lgurban.agent.run.follow import follow
from lgurban.agent.run.journal import Journal, carry_over, store_user_message
from lgurban.agent.run.lease import RunLease
from lgurban.agent.run.redis_bus import RedisStreamsBus
from lgurban.agent.run.replay import replay
from lgurban.agent.run.resend import Resend, check, graph_input
from lgurban.agent.run.translate import StreamTranslator
from lgurban.agent.services import Services
from lgurban.db.models import Thread
from lgurban.db.quotas import check_run_allowed
from lgurban.db.session import session_scope
from lgurban.errors import NoPendingApproval
from lgurban.observability import metrics
from lgurban.observability.logs import run_id_var, thread_id_var
from lgurban.provider_keys import check_own_key

log = logging.getLogger(__name__)

SHUTDOWN_WAIT_S = 15
# each step's checkpoint is written before the next step starts
STREAM: dict[str, Any] = {"stream_mode": ["messages", "updates"], "durability": "sync"}


@dataclass
class ActiveRun:
    """A run in this process: its task, its translator (what is open) and why it was cancelled."""

    id: uuid.UUID
    thread_id: uuid.UUID
    user_id: uuid.UUID | None
    translator: StreamTranslator
    task: asyncio.Task[None] | None = None
    cancel_reason: str | None = None


@dataclass
class StartedRun:
    """The answer to a chat POST: a new run, or the one already made for this client_message_id."""

    run_id: uuid.UUID
    active: ActiveRun | None  # None: the run is finished (replay from the database) or on another replica
    created: bool


@dataclass
class RunState:
    """Context usage and whether a run is going (on any replica)."""

    tokens_used: int
    context_window: int
    run_id: uuid.UUID | None

    @property
    def running(self) -> bool:
        return self.run_id is not None


class RunManager:
    """Starts, follows and cancels chat runs. One per process, made in the app's lifespan."""

    def __init__(
        self,
        *,
        resources: Services,
        graph_factory: GraphFactory,
        checkpointer: BaseCheckpointSaver[Any] | None = None,
        bus: EventBus | None = None,
    ) -> None:
        self.resources = resources
        self.settings = resources.settings
        self.graph_factory = graph_factory
        self.checkpointer = checkpointer
        self.bus: EventBus = bus or InProcessBus()
        self.lease = RunLease(
            resources.sessionmaker,
            stale_after_s=self.settings.agent_stale_run_s,
            heartbeat_s=self.settings.agent_heartbeat_s,
        )
        self._active: dict[uuid.UUID, ActiveRun] = {}  # thread_id → run
        self._locks: dict[uuid.UUID, asyncio.Lock] = {}
        self._warm: asyncio.Future[None] | None = None
        self.bus.on_cancel(self._cancel_requested)  # another replica's cancel for a run of ours

    def warm_up(self) -> None:
        """Import the graph and model libraries in the background, so the first run does not wait ~1 s."""
        self._warm = asyncio.get_running_loop().run_in_executor(None, _import_agent_modules)

    # --- starting -------------------------------------------------------------------------------------
    async def start(
        self,
        *,
        thread_id: uuid.UUID,
        user_id: uuid.UUID | None,
        content: str | None,
        client_message_id: str | None,
        resend: Resend | None = None,
    ) -> StartedRun:
        """Store the user message and start a run; the same client_message_id again → that run, no new one.

        With `resend` the run replaces the last question (its text again when `content` is None)."""
        async with self._locks.setdefault(thread_id, asyncio.Lock()):
            async with session_scope(self.resources.sessionmaker) as session:
                taken = await self.lease.take(
                    session,
                    thread_id=thread_id,
                    user_id=user_id,
                    client_message_id=client_message_id,
                    live_here=self._live_here,
                )
                run_id = taken.run.id
                if not taken.created:
                    active = self._active.get(thread_id)
                    return StartedRun(
                        run_id, active if active and active.id == run_id else None, created=False
                    )
                # past the user's runs_per_hour: 429, and the run row goes with the rollback (nothing stored)
                await check_run_allowed(session, self.settings, user_id, run_id)
                await check_own_key(session, self.settings, thread_id, user_id)  # REQUIRE_OWN_PROVIDER_KEY
                if resend is not None:
                    resend, asked = await check(session, thread_id=thread_id, resend=resend)
                    content = asked if content is None else content
                assert content is not None
                user_row = await store_user_message(
                    session,
                    thread_id=thread_id,
                    run_id=run_id,
                    content=content,
                    client_message_id=client_message_id,
                    meta=resend.meta() if resend is not None else None,
                )
                user_message = message_out(user_row)
            active = self._new_active(run_id, thread_id, user_id, next_seq=user_row.seq + 1)
            self._active[thread_id] = active
            self._publish(active, RunStartedEvent(run_id=run_id))
            self._publish(active, MessageEvent(message=user_message))
            active.task = asyncio.create_task(
                self._execute(active, HumanMessage(content=content, id=str(user_message.id)), resend),
                name=f"run-{run_id}",
            )
            return StartedRun(run_id, active, created=True)

    async def resume(
        self, *, thread_id: uuid.UUID, user_id: uuid.UUID | None, decision: dict[str, Any]
    ) -> StartedRun:
        """A run answering the report draft the thread waits on (issue 15) with `decision` ({"decision":
        approve|edit|reject, "text"?}); NoPendingApproval (409) when no draft waits."""
        async with self._locks.setdefault(thread_id, asyncio.Lock()):
            if await pending_draft(self.checkpointer, thread_id) is None:
                raise NoPendingApproval("no report draft is waiting for approval on this thread")
            async with session_scope(self.resources.sessionmaker) as session:
                taken = await self.lease.take(
                    session,
                    thread_id=thread_id,
                    user_id=user_id,
                    client_message_id=None,
                    live_here=self._live_here,
                )
                seq = await next_seq(session=session, thread_id=thread_id)
            active = self._new_active(taken.run.id, thread_id, user_id, next_seq=seq)
            self._active[thread_id] = active
            self._publish(active, RunStartedEvent(run_id=active.id))
            active.task = asyncio.create_task(self._execute(active, decision, None), name=f"run-{active.id}")
            return StartedRun(active.id, active, created=True)

    def _new_active(
        self, run_id: uuid.UUID, thread_id: uuid.UUID, user_id: uuid.UUID | None, *, next_seq: int
    ) -> ActiveRun:
        journal = Journal(self.resources.engine, thread_id=thread_id, run_id=run_id, next_seq=next_seq)
        translator = StreamTranslator(
            journal=journal,
            publish=lambda event: self.bus.publish(run_id, event),
            context_window=self.settings.llm_context_window,  # the thread's own is set once it is read
        )
        return ActiveRun(id=run_id, thread_id=thread_id, user_id=user_id, translator=translator)

    def _live_here(self, run_id: uuid.UUID) -> bool:
        return any(r.id == run_id for r in self._active.values())

    def _publish(self, active: ActiveRun, event: ChatEvent) -> None:
        self.bus.publish(active.id, event)

    # --- following ------------------------------------------------------------------------------------
    def active_run(self, thread_id: uuid.UUID) -> ActiveRun | None:
        return self._active.get(thread_id)

    def events(self, active: ActiveRun, after: int = 0) -> AsyncIterator[BusEvent | None]:
        """The run's events from `after` on; None every keepalive interval with nothing to send."""
        return with_keepalive(self.bus.subscribe(active.id, after), self.settings.agent_keepalive_s)

    def follow(
        self, *, thread_id: uuid.UUID, run_id: uuid.UUID, after: int = 0
    ) -> AsyncIterator[BusEvent | None]:
        """A run on another replica: live through the shared bus, else (or when that fails) from the DB."""
        if not isinstance(self.bus, RedisStreamsBus):
            return self.replay(thread_id=thread_id, run_id=run_id)
        return follow(
            self.bus,
            run_id=run_id,
            after=after,
            block_s=min(self.settings.agent_keepalive_s, self.settings.agent_heartbeat_s),
            is_live=lambda: self.lease.is_live(run_id),
            stored=lambda: self.replay(thread_id=thread_id, run_id=run_id),
        )

    def replay(self, *, thread_id: uuid.UUID, run_id: uuid.UUID) -> AsyncIterator[BusEvent | None]:
        """A run that is not live here, from the database: its stored messages, then its end once it ends."""
        poll_s = min(1.0, self.settings.agent_keepalive_s)
        return replay(self.resources, thread_id=thread_id, run_id=run_id, poll_s=poll_s)

    async def state(self, *, thread: Thread, session: AsyncSession | None = None) -> RunState:
        """Context usage and whether a run is going (on any replica); `session`: the caller's, if any."""
        active = self._active.get(thread.id)
        run_id = active.id if active is not None else await self.lease.holder(thread.id, session)
        window = thread.context_window or self.settings.llm_context_window
        return RunState(tokens_used=thread.tokens_used, context_window=window, run_id=run_id)

    # --- cancelling -----------------------------------------------------------------------------------
    async def cancel(self, *, thread_id: uuid.UUID, reason: str = "cancelled") -> uuid.UUID | None:
        """Stop the thread's run: the model call ends, running code is interrupted; its output stays."""
        active = self._active.get(thread_id)
        if active is None:
            # maybe on another replica: mark its row (its heartbeat sees it) and tell it at once by the bus
            run_id = await self.lease.ask_cancel(thread_id)
            if run_id is not None:
                await self.bus.request_cancel(run_id)
            return run_id
        if active.cancel_reason is None and active.task is not None:
            active.cancel_reason = reason
            # A running cell stops with its tool call: every backend interrupts the cell of a cancelled
            # execute (by its request, not "whatever runs now", which could be the user's next cell).
            active.task.cancel()
        return active.id

    async def _cancel_requested(self, run_id: uuid.UUID) -> None:
        """A replica asked to stop `run_id`: stop it if it runs here."""
        active = next((r for r in self._active.values() if r.id == run_id), None)
        if active is not None:
            await self.cancel(thread_id=active.thread_id)

    async def close(self) -> None:
        """Server shutdown: stop every run, storing what each produced."""
        if self._warm is not None:
            with contextlib.suppress(Exception):
                await self._warm
        runs = list(self._active.values())
        for active in runs:
            await self.cancel(thread_id=active.thread_id, reason="shutdown")
        for active in runs:
            await _wait_for(active)

    async def delete_thread_state(self, thread_id: uuid.UUID) -> None:
        """Thread cleanup: stop its run and drop its checkpoints."""
        active = self._active.get(thread_id)
        await self.cancel(thread_id=thread_id, reason="deleted")
        if active is not None:
            await _wait_for(active)
        if self.checkpointer is not None:
            await self.checkpointer.adelete_thread(str(thread_id))

    # --- running --------------------------------------------------------------------------------------
    async def _execute(
        self, active: ActiveRun, human: HumanMessage | dict[str, Any], resend: Resend | None
    ) -> None:
        """Run the graph on the user's message, or (a dict) resume its pending interrupt with that answer."""
        # this task's own copy of the context: every log line of the run names it (LOG_FORMAT=json)
        run_id_var.set(str(active.id))
        thread_id_var.set(str(active.thread_id))
        metrics.RUNS_ACTIVE.inc()
        heartbeat = asyncio.create_task(
            self.lease.keep(active.id, lambda: self.cancel(thread_id=active.thread_id))
        )
        status, error = "done", None
        ctx: RunContext | None = None
        try:
            ctx = await self._context(active)
            await self._stream(active, ctx, human, resend)
            status = "waiting" if active.translator.waiting else status  # a report draft waits (issue 15)
        except asyncio.CancelledError:
            status = "error" if active.cancel_reason == "shutdown" else "cancelled"
            if active.cancel_reason == "shutdown":
                error = ("SERVER_STOPPED", "The server stopped during this run; what it produced is kept.")
        except Exception as exc:
            own_key = ctx is not None and ctx.own_key
            status, error = "error", classify(exc, self.settings.agent_recursion_limit, own_key=own_key)
            if error[0] == "INTERNAL_ERROR":
                log.exception("run %s failed", active.id)
            else:
                log.info("run %s ended with %s", active.id, error[0])
        finally:
            heartbeat.cancel()
            metrics.RUNS_ACTIVE.dec()
            metrics.RUNS.labels(status).inc()
        log.info("run %s %s", active.id, status)
        await self._finish(active, status, error)
        for cleanup in ctx.cleanups if ctx is not None else []:
            with contextlib.suppress(Exception):
                await cleanup()

    async def _context(self, active: ActiveRun) -> RunContext:
        async with self.resources.sessionmaker() as session:
            thread = await session.get(Thread, active.thread_id)
        assert thread is not None
        active.translator.context_window = thread.context_window or self.settings.llm_context_window
        emit = active.translator.emit
        return RunContext(self.resources, thread, active.user_id, active.id, emit, self.checkpointer)

    async def _stream(
        self, active: ActiveRun, ctx: RunContext, human: HumanMessage | dict[str, Any], resend: Resend | None
    ) -> None:
        """Build the graph, carry over what the last run left open (or, for a resend, take back the
        replaced exchange; for a resume, answer the pending interrupt), and translate the run's stream."""
        graph = await self.graph_factory(ctx)
        config = {
            "configurable": {"thread_id": str(active.thread_id), "run_id": str(active.id)},
            "recursion_limit": self.settings.agent_recursion_limit,
        }
        if isinstance(human, dict):
            return await self._translate(active, graph.astream(Command(resume=human), config, **STREAM))
        values = (await graph.aget_state(config)).values or {}
        given = None
        if resend is not None and resend.replaces is not None:
            given = await graph_input(graph, config, values, resend.replaces, human)
        if given is None:
            carried = await carry_over(
                self.resources.sessionmaker,
                state=list(values.get("messages", [])),
                thread_id=active.thread_id,
                run_id=active.id,
            )
            given = {"messages": [*carried, human]}
        await self._translate(active, graph.astream(given, config, **STREAM))

    @staticmethod
    async def _translate(active: ActiveRun, stream: Any) -> None:
        async for mode, chunk in stream:
            await active.translator.feed(mode, chunk)

    async def _finish(self, active: ActiveRun, status: str, error: tuple[str, str] | None) -> None:
        """Store what the interrupted step produced and release the thread (the next run carries it over)."""
        try:
            if active.cancel_reason == "deleted":
                return  # the thread and its rows are gone
            await active.translator.close(status)
            await self.lease.release(
                run_id=active.id,
                thread_id=active.thread_id,
                status=status,
                error=error,
                tokens_used=active.translator.tokens_used,
            )
        except Exception:
            log.exception("could not record the end of run %s", active.id)
        finally:
            if error:
                self._publish(active, ErrorEvent(code=error[0], message=error[1]))
            self._publish(active, DoneEvent(run_id=active.id, status=status))
            if self._active.get(active.thread_id) is active:
                del self._active[active.thread_id]


async def _wait_for(active: ActiveRun) -> None:
    """Wait (a while) for a cancelled run to store what it produced."""
    if active.task is not None:
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(asyncio.shield(active.task), SHUTDOWN_WAIT_S)


def _import_agent_modules() -> None:
    for name in ("lgurban.agent.analyst", "langchain_openai", "langchain_anthropic"):
        importlib.import_module(name)
