"""Chat runs: one active run per thread, executed in the background, its events fanned out to subscribers.

A run is an asyncio task of its own: the HTTP client that started it only subscribes, so a client that goes
away loses nothing. The lock is the `runs` row (status running, heartbeat kept fresh), so every API replica
sees it; a run whose heartbeat stopped (its server died) no longer blocks the thread. The `messages` table is
written as the run goes, so a killed server loses at most the step in flight; graph state left half-way (a
tool call without its answer) is closed before the next run.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from langchain_core.exceptions import ContextOverflowError, ModelError
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, ToolMessage
from langgraph.errors import GraphRecursionError
from sqlalchemy import insert, select, update

from lgurban.agent.events import ArtifactEvent, ChatEvent, ContextEvent, Emit, ToolOutputEvent
from lgurban.agent.history import bounded, list_messages, message_out, next_seq
from lgurban.db.models import Message, Run, Thread, utcnow
from lgurban.db.session import session_scope
from lgurban.errors import AppError, RunInProgress, ThreadArchived
from lgurban.resources import Resources

log = logging.getLogger(__name__)

ACTIVE = ("running", "cancelling")


@dataclass
class RunContext:
    """What a graph factory gets to build the graph for one run."""

    resources: Resources
    thread: Thread
    user_id: uuid.UUID | None
    run_id: uuid.UUID
    emit: Emit  # tool output, artifacts and context usage, straight onto the run's stream
    checkpointer: Any = None
    # async callbacks run when the run ends (close per-run HTTP clients and the like)
    cleanups: list[Callable[[], Awaitable[Any]]] = field(default_factory=list)


# Builds the compiled graph for one run (model and tools depend on the thread's config and the run).
GraphFactory = Callable[[RunContext], Awaitable[Any]]


@dataclass
class RunEvent:
    seq: int
    event: str
    data: dict[str, Any]

    def sse(self) -> str:
        return f"id: {self.seq}\nevent: {self.event}\ndata: {json.dumps(self.data, default=str)}\n\n"


@dataclass
class ActiveRun:
    """A run in this process: its events so far (for late subscribers) and the live subscribers."""

    id: uuid.UUID
    thread_id: uuid.UUID
    user_id: uuid.UUID | None
    events: list[RunEvent] = field(default_factory=list)
    subscribers: set[asyncio.Queue[RunEvent]] = field(default_factory=set)
    task: asyncio.Task[None] | None = None
    finished: asyncio.Event = field(default_factory=asyncio.Event)
    cancel_reason: str | None = None
    pending_text: str = ""  # tokens of the model step in flight, not yet stored
    open_calls: dict[str, str] = field(default_factory=dict)  # tool_call_id → name, started, not answered
    outputs: dict[str, list[str]] = field(default_factory=dict)
    artifacts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    tokens_used: int | None = None
    next_seq: int = 0

    def publish(self, event: str, data: dict[str, Any]) -> None:
        item = RunEvent(len(self.events) + 1, event, data)
        self.events.append(item)
        for queue in self.subscribers:
            queue.put_nowait(item)

    def subscribe(self, after: int = 0) -> asyncio.Queue[RunEvent]:
        queue: asyncio.Queue[RunEvent] = asyncio.Queue()
        for item in self.events[after:]:
            queue.put_nowait(item)
        if not self.finished.is_set():
            self.subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[RunEvent]) -> None:
        self.subscribers.discard(queue)


@dataclass
class StartedRun:
    """The answer to a chat POST: a new run, or the one already made for this client_message_id."""

    run_id: uuid.UUID
    active: ActiveRun | None  # None: the run is finished (replay from the database) or on another replica
    created: bool


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            p.get("text", "") if isinstance(p, dict) else str(p)
            for p in content
            if not isinstance(p, dict) or p.get("type", "text") == "text"
        )
    return ""


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


class RunManager:
    """Starts, follows and cancels chat runs. One per process, made in the app's lifespan."""

    def __init__(
        self, *, resources: Resources, graph_factory: GraphFactory, checkpointer: Any = None
    ) -> None:
        self.resources = resources
        self.settings = resources.settings
        self.graph_factory = graph_factory
        self.checkpointer = checkpointer
        self._active: dict[uuid.UUID, ActiveRun] = {}  # thread_id → run
        self._locks: dict[uuid.UUID, asyncio.Lock] = {}
        self._warm: asyncio.Future[None] | None = None

    def warm_up(self) -> None:
        """Import the graph and model libraries in the background, so the first run does not wait ~1 s."""
        self._warm = asyncio.get_running_loop().run_in_executor(None, _import_agent_modules)

    # --- starting -------------------------------------------------------------------------------------
    async def start(
        self, *, thread_id: uuid.UUID, user_id: uuid.UUID | None, content: str, client_message_id: str | None
    ) -> StartedRun:
        """Store the user message and start a run; the same client_message_id again → that run, no new one."""
        lock = self._locks.setdefault(thread_id, asyncio.Lock())
        async with lock:
            async with session_scope(self.resources.sessionmaker) as session:
                # UPDATE first: the SQLite write lock / PostgreSQL row lock serialises starts across replicas
                touched = await session.execute(
                    update(Thread)
                    .where(Thread.id == thread_id)
                    .values(updated_at=utcnow())
                    .returning(Thread.archived_at)
                )
                archived_at = touched.scalar_one()
                if client_message_id:
                    existing = (
                        await session.execute(
                            select(Run).where(
                                Run.thread_id == thread_id, Run.client_message_id == client_message_id
                            )
                        )
                    ).scalar_one_or_none()
                    if existing is not None:
                        active = self._active.get(thread_id)
                        same = active if active is not None and active.id == existing.id else None
                        return StartedRun(existing.id, same, created=False)
                if archived_at is not None:
                    raise ThreadArchived("this thread is archived; unarchive it to continue the conversation")
                await self._refuse_if_running(session, thread_id)
                run = Run(thread_id=thread_id, user_id=user_id, client_message_id=client_message_id)
                session.add(run)
                await session.flush()
                user_row = Message(
                    thread_id=thread_id,
                    run_id=run.id,
                    seq=await next_seq(session=session, thread_id=thread_id),
                    role="user",
                    content=content,
                    meta={"client_message_id": client_message_id} if client_message_id else None,
                )
                session.add(user_row)
                await session.flush()
                user_message = message_out(user_row)
            active = ActiveRun(id=run.id, thread_id=thread_id, user_id=user_id, next_seq=user_row.seq + 1)
            self._active[thread_id] = active
            active.publish("run_started", {"run_id": str(run.id)})
            active.publish("message", {"message": user_message})
            active.task = asyncio.create_task(
                self._execute(active, content, uuid.UUID(user_message["id"])), name=f"run-{run.id}"
            )
            return StartedRun(run.id, active, created=True)

    async def _refuse_if_running(self, session: Any, thread_id: uuid.UUID) -> None:
        """409 while a live run holds the thread; a run whose heartbeat stopped is marked failed instead."""
        stale_before = utcnow() - timedelta(seconds=self.settings.agent_stale_run_s)
        rows = (
            await session.execute(select(Run).where(Run.thread_id == thread_id, Run.status.in_(ACTIVE)))
        ).scalars()
        for row in rows:
            if row.id in {r.id for r in self._active.values()} or row.heartbeat_at > stale_before:
                raise RunInProgress("a run is already active on this thread; wait for it or cancel it")
            row.status, row.finished_at = "error", utcnow()
            row.error_code = "RUN_INTERRUPTED"
            row.error_message = "the server running this run stopped; what it had stored is kept"

    # --- following ------------------------------------------------------------------------------------
    def active_run(self, thread_id: uuid.UUID) -> ActiveRun | None:
        return self._active.get(thread_id)

    async def events(self, active: ActiveRun, after: int = 0) -> AsyncIterator[RunEvent | None]:
        """The run's events from `after` on; None every keepalive interval with nothing to send."""
        queue = active.subscribe(after)
        try:
            while True:
                try:
                    item = await asyncio.wait_for(queue.get(), self.settings.agent_keepalive_s)
                except TimeoutError:
                    yield None
                    continue
                yield item
                if item.event == "done":
                    return
        finally:
            active.unsubscribe(queue)

    async def replay(self, *, thread_id: uuid.UUID, run_id: uuid.UUID) -> AsyncIterator[RunEvent | None]:
        """A run that is not live here, from the database: its stored messages, then its end once it ends."""
        yield RunEvent(1, "run_started", {"run_id": str(run_id)})
        seen: set[str] = set()
        seq = 1
        while True:
            async with self.resources.sessionmaker() as session:
                run = await session.get(Run, run_id)
                messages = await list_messages(
                    resources=self.resources, session=session, thread_id=thread_id, run_id=run_id
                )
            for message in messages:
                if message["id"] not in seen:
                    seen.add(message["id"])
                    seq += 1
                    yield RunEvent(seq, "message", {"message": message})
            if run is None or run.status not in ACTIVE:
                if run is not None and run.error_code:
                    seq += 1
                    yield RunEvent(seq, "error", {"code": run.error_code, "message": run.error_message or ""})
                status = run.status if run is not None else "error"
                yield RunEvent(seq + 1, "done", {"run_id": str(run_id), "status": status})
                return
            yield None
            await asyncio.sleep(min(1.0, self.settings.agent_keepalive_s))

    async def state(self, *, thread: Thread) -> dict[str, Any]:
        """Context usage and whether a run is going (on any replica)."""
        active = self._active.get(thread.id)
        run_id = active.id if active is not None else None
        if run_id is None:
            stale_before = utcnow() - timedelta(seconds=self.settings.agent_stale_run_s)
            async with self.resources.sessionmaker() as session:
                run_id = (
                    await session.execute(
                        select(Run.id).where(
                            Run.thread_id == thread.id,
                            Run.status.in_(ACTIVE),
                            Run.heartbeat_at > stale_before,
                        )
                    )
                ).scalar_one_or_none()
        return {
            "context": {
                "tokens_used": thread.tokens_used,
                "context_window": thread.context_window or self.settings.llm_context_window,
            },
            "running": run_id is not None,
            "run_id": str(run_id) if run_id else None,
        }

    # --- cancelling -----------------------------------------------------------------------------------
    async def cancel(self, *, thread_id: uuid.UUID, reason: str = "cancelled") -> uuid.UUID | None:
        """Stop the thread's run: the model call ends, running code is interrupted; its output stays."""
        active = self._active.get(thread_id)
        if active is not None:
            if active.cancel_reason is None and active.task is not None:
                active.cancel_reason = reason
                active.task.cancel()
                if active.open_calls and self.resources.sandboxes is not None:
                    with contextlib.suppress(Exception):
                        await self.resources.sandboxes.interrupt(thread_id)
            return active.id
        # the run may live on another replica: ask it through the row (its heartbeat picks this up)
        async with session_scope(self.resources.sessionmaker) as session:
            row = (
                await session.execute(
                    select(Run).where(Run.thread_id == thread_id, Run.status == "running").limit(1)
                )
            ).scalar_one_or_none()
            if row is None:
                return None
            row.status = "cancelling"
            return row.id

    async def close(self) -> None:
        """Server shutdown: stop every run, storing what each produced."""
        if self._warm is not None:
            with contextlib.suppress(Exception):
                await self._warm
        runs = list(self._active.values())
        for active in runs:
            await self.cancel(thread_id=active.thread_id, reason="shutdown")
        for active in runs:
            if active.task is not None:
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await asyncio.wait_for(asyncio.shield(active.task), 15)

    async def delete_thread_state(self, thread_id: uuid.UUID) -> None:
        """Thread cleanup: stop its run and drop its checkpoints."""
        active = self._active.get(thread_id)
        await self.cancel(thread_id=thread_id, reason="deleted")
        if active is not None and active.task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(active.task), 15)
        if self.checkpointer is not None:
            await self.checkpointer.adelete_thread(str(thread_id))

    # --- running --------------------------------------------------------------------------------------
    async def _execute(self, active: ActiveRun, content: str, user_message_id: uuid.UUID) -> None:
        heartbeat = asyncio.create_task(self._heartbeat(active))
        status, error = "done", None
        graph, config, ctx = None, {}, None
        try:
            async with self.resources.sessionmaker() as session:
                thread = await session.get(Thread, active.thread_id)
            assert thread is not None
            emit = self._emitter(active)
            ctx = RunContext(self.resources, thread, active.user_id, active.id, emit, self.checkpointer)
            graph = await self.graph_factory(ctx)
            config = {
                "configurable": {"thread_id": str(active.thread_id), "run_id": str(active.id)},
                "recursion_limit": self.settings.agent_recursion_limit,
            }
            carried = await self._carry_over(graph, config, active)
            stream = graph.astream(
                {"messages": [*carried, HumanMessage(content=content, id=str(user_message_id))]},
                config,
                stream_mode=["messages", "updates"],
                durability="sync",  # each step's checkpoint is written before the next step starts
            )
            async for mode, chunk in stream:
                if mode == "messages":
                    self._on_token(active, chunk)
                elif mode == "updates":
                    await self._on_update(active, chunk, thread)
        except asyncio.CancelledError:
            status = "error" if active.cancel_reason == "shutdown" else "cancelled"
            if active.cancel_reason == "shutdown":
                error = ("SERVER_STOPPED", "The server stopped during this run; what it produced is kept.")
        except Exception as exc:
            status, error = "error", classify(exc, self.settings.agent_recursion_limit)
            if error[0] == "INTERNAL_ERROR":
                log.exception("run %s failed", active.id)
            else:
                log.info("run %s ended with %s", active.id, error[0])
        finally:
            heartbeat.cancel()
        await self._finish(active, status, error, graph, config)
        for cleanup in ctx.cleanups if ctx is not None else []:
            with contextlib.suppress(Exception):
                await cleanup()

    def _emitter(self, active: ActiveRun) -> Emit:
        """The callback tools use for live events; it also keeps what the tool message's meta needs."""

        def emit(event: ChatEvent) -> None:
            data = event.model_dump(mode="json", exclude={"type", "agent"})
            if isinstance(event, ToolOutputEvent):
                active.outputs.setdefault(event.tool_call_id, []).append(event.text)
            elif isinstance(event, ArtifactEvent):
                call = event.tool_call_id or event.artifact.tool_call_id or ""
                active.artifacts.setdefault(call, []).append(data["artifact"])
            elif isinstance(event, ContextEvent):
                active.tokens_used = event.tokens_used
            active.publish(event.type, data)

        return emit

    def _on_token(self, active: ActiveRun, chunk: tuple[BaseMessage, dict[str, Any]]) -> None:
        message, _meta = chunk
        if isinstance(message, AIMessageChunk):
            text = _text(message.content)
            if text:
                active.pending_text += text
                active.publish("token", {"text": text})

    async def _on_update(self, active: ActiveRun, update_: Any, thread: Thread) -> None:
        if not isinstance(update_, dict):
            return
        for node_update in update_.values():
            messages = node_update.get("messages", []) if isinstance(node_update, dict) else []
            if isinstance(messages, BaseMessage):
                messages = [messages]
            for message in messages:
                if isinstance(message, AIMessage):
                    await self._store_ai(active, message, thread)
                elif isinstance(message, ToolMessage):
                    await self._store_tool(active, message)

    async def _store_ai(self, active: ActiveRun, message: AIMessage, thread: Thread) -> None:
        calls = [{"id": c["id"], "name": c["name"], "args": c["args"]} for c in message.tool_calls]
        calls += [
            {"id": c.get("id"), "name": c.get("name"), "args": {}, "invalid_args": c.get("args")}
            for c in message.invalid_tool_calls
        ]
        meta: dict[str, Any] = {}
        if message.usage_metadata:
            meta["usage"] = dict(message.usage_metadata)
        stored = await self._write(
            active,
            role="assistant",
            content=_text(message.content),
            tool_calls=calls or None,
            meta=meta or None,
        )
        active.pending_text = ""
        active.publish("message", {"message": stored})
        for call in calls:
            active.open_calls[str(call["id"])] = str(call["name"])
            active.publish(
                "tool_start", {"tool_call_id": call["id"], "name": call["name"], "args": call["args"]}
            )
        if message.usage_metadata:
            used = int(message.usage_metadata.get("input_tokens", 0)) + int(
                message.usage_metadata.get("output_tokens", 0)
            )
            active.tokens_used = used
            window = thread.context_window or self.settings.llm_context_window
            active.publish("context", {"tokens_used": used, "context_window": window})

    async def _store_tool(self, active: ActiveRun, message: ToolMessage) -> None:
        call = message.tool_call_id
        name = message.name or active.open_calls.get(call, "tool")
        extra = message.artifact if isinstance(message.artifact, dict) else {}
        ok = bool(extra.get("ok", message.status != "error"))
        content = _text(message.content)
        summary = str(
            extra.get("summary") or content.strip().splitlines()[0][:200] if content.strip() else ""
        )
        artifacts = active.artifacts.pop(call, [])
        meta = {
            "ok": ok,
            "output": bounded("".join(active.outputs.pop(call, []))),
            "artifact_ids": [a.get("id") for a in artifacts],
            **{k: v for k, v in extra.items() if k not in {"ok", "output", "artifact_ids"}},
        }
        stored = await self._write(
            active, role="tool", content=content, tool_call_id=call, tool_name=name, meta=meta
        )
        stored["artifacts"] = artifacts
        active.open_calls.pop(call, None)
        active.publish("tool_end", {"tool_call_id": call, "name": name, "ok": ok, "summary": summary})
        active.publish("message", {"message": stored})

    async def _write(self, active: ActiveRun, **values: Any) -> dict[str, Any]:
        """Append one message: a single INSERT (this run holds the thread, so it owns the next seq)."""
        fields = {"tool_calls": None, "tool_call_id": None, "tool_name": None, "meta": None, **values}
        row = Message(
            id=uuid.uuid4(),
            thread_id=active.thread_id,
            run_id=active.id,
            seq=active.next_seq,
            created_at=utcnow(),
            **fields,
        )
        columns = {c.key: getattr(row, c.key) for c in Message.__table__.columns}
        async with self.resources.engine.begin() as conn:
            await conn.execute(insert(Message), [columns])
        active.next_seq += 1
        return message_out(row)

    async def _heartbeat(self, active: ActiveRun) -> None:
        """Keep the lock fresh; pick up a cancel asked for through another replica."""
        while True:
            await asyncio.sleep(self.settings.agent_heartbeat_s)
            try:
                async with session_scope(self.resources.sessionmaker) as session:
                    status = (
                        await session.execute(
                            update(Run)
                            .where(Run.id == active.id)
                            .values(heartbeat_at=utcnow())
                            .returning(Run.status)
                        )
                    ).scalar_one_or_none()
                if status == "cancelling":
                    await self.cancel(thread_id=active.thread_id)
            except Exception:  # the database may be briefly away; the next beat retries
                log.warning("heartbeat of run %s failed", active.id, exc_info=True)

    async def _finish(
        self,
        active: ActiveRun,
        status: str,
        error: tuple[str, str] | None,
        graph: Any,
        config: dict[str, Any],
    ) -> None:
        """Store what the interrupted step produced and release the thread (the next run carries it over)."""
        try:
            if active.cancel_reason == "deleted":
                return  # the thread and its rows are gone
            note = {
                "cancelled": "Not finished: the run was stopped before this tool returned.",
                "error": "Not finished: the run ended with an error before this tool returned.",
            }.get(status, "Not run: the arguments of this call were not valid JSON.")
            for call, name in list(active.open_calls.items()):
                closing = ToolMessage(content=note, tool_call_id=call, name=name, status="error")
                await self._store_tool(active, closing)
            if active.pending_text.strip():
                text = active.pending_text
                stored = await self._write(
                    active, role="assistant", content=text, meta={"partial": True, "status": status}
                )
                active.publish("message", {"message": stored})
                active.pending_text = ""
            async with session_scope(self.resources.sessionmaker) as session:
                await session.execute(
                    update(Run)
                    .where(Run.id == active.id)
                    .values(
                        status=status,
                        finished_at=utcnow(),
                        error_code=error[0] if error else None,
                        error_message=error[1] if error else None,
                    )
                )
                values: dict[str, Any] = {"updated_at": utcnow()}
                if active.tokens_used is not None:
                    values["tokens_used"] = active.tokens_used
                await session.execute(update(Thread).where(Thread.id == active.thread_id).values(**values))
        except Exception:
            log.exception("could not record the end of run %s", active.id)
        finally:
            if error:
                active.publish("error", {"code": error[0], "message": error[1]})
            active.publish("done", {"run_id": str(active.id), "status": status})
            active.finished.set()
            active.subscribers.clear()
            if self._active.get(active.thread_id) is active:
                del self._active[active.thread_id]

    async def _carry_over(self, graph: Any, config: dict[str, Any], active: ActiveRun) -> list[BaseMessage]:
        """What the graph state lacks from an interrupted run, to go in before the new message.

        A tool call without its answer (the run was stopped or its server died) gets the answer stored in
        the messages table, or a note; the partial text of a stopped model step is added as said. Giving them
        as input (rather than patching the checkpoint) keeps the next model call valid on every saver."""
        snapshot = await graph.aget_state(config)
        messages = list((snapshot.values or {}).get("messages", []))
        if not messages:
            return []
        known = {m.id for m in messages}
        answered = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
        dangling = [
            {"id": c["id"], "name": c["name"] or "tool"}
            for m in messages
            if isinstance(m, AIMessage)
            for c in [*m.tool_calls, *m.invalid_tool_calls]  # OpenAI wants an answer to both kinds
            if c["id"] and c["id"] not in answered
        ]
        async with self.resources.sessionmaker() as session:
            previous = (
                await session.execute(
                    select(Run.id)
                    .where(Run.thread_id == active.thread_id, Run.id != active.id)
                    .order_by(Run.started_at.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()
            rows = (
                list(
                    (
                        await session.execute(
                            select(Message).where(Message.run_id == previous).order_by(Message.seq)
                        )
                    ).scalars()
                )
                if previous is not None
                else []
            )
        stored = {r.tool_call_id: r.content for r in rows if r.role == "tool" and r.tool_call_id}
        carried: list[BaseMessage] = [
            ToolMessage(
                content=stored.get(c["id"]) or "Not finished: the run stopped before this tool returned.",
                tool_call_id=c["id"],
                name=c["name"],
                status="error",
            )
            for c in dangling
        ]
        carried += [
            AIMessage(content=r.content, id=str(r.id))
            for r in rows
            if r.role == "assistant" and (r.meta or {}).get("partial") and str(r.id) not in known
        ]
        return carried


async def analyst_graph(ctx: RunContext) -> Any:
    """The analyst graph for one run (lgurban.agent.analyst): the thread's model, its tools, its title."""
    from lgurban.agent.analyst import build_analyst

    return await build_analyst(ctx)


def _import_agent_modules() -> None:
    for name in ("lgurban.agent.analyst", "langchain_openai", "langchain_anthropic"):
        importlib.import_module(name)
