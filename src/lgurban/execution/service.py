"""One engine for running code in a thread: the /execute route and the agent's code tool call run_cell."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lgurban.artifacts.models import ArtifactOut
from lgurban.db.models import Execution as ExecutionRow
from lgurban.db.session import is_connection_failure, session_scope, uncancelled
from lgurban.db.text import clean_json, clean_text
from lgurban.execution.models import ExecutionErrorOut, ExecutionOut, OutputOut
from lgurban.sandbox.protocol import OnOutput
from lgurban.sandbox.types import Execution, StreamChunk

if TYPE_CHECKING:
    from lgurban.artifacts.service import ArtifactService
    from lgurban.db.quotas import SandboxCaps
    from lgurban.sandbox.sandboxes import Sandboxes

log = logging.getLogger(__name__)

MAX_STORED_OUTPUT_CHARS = 2 * 1024 * 1024
# what executions.result keeps: the record as run_cell returned it (the listing adds these from the row)
_NOT_STORED = {"code", "source", "created_at"}


async def run_cell(
    *,
    sandboxes: Sandboxes,
    artifacts: ArtifactService,
    sessionmaker: async_sessionmaker[AsyncSession],
    thread_id: uuid.UUID,
    user_id: uuid.UUID | None,
    code: str,
    timeout_s: float | None = None,
    source: Literal["user", "agent"] = "user",
    run_id: uuid.UUID | None = None,
    tool_call_id: str | None = None,
    on_output: OnOutput | None = None,
    record_retry_s: float = 30.0,
    sandbox_caps: SandboxCaps | None = None,
) -> ExecutionOut:
    """Run `code` in the thread's sandbox, record it in `executions`, ingest its files as artifacts.

    No database connection is held while the cell runs: the record is written afterwards in a session of
    its own, retried for up to `record_retry_s` while the database is unreachable (the cell ran; its result
    is not thrown away). Errors in the code are data in the result; only infrastructure faults raise."""
    if on_output is not None:
        on_output = _clean_stream(on_output)
    # the user's share of the sandbox slots (their `sandboxes` quota), when a new sandbox has to start
    owner = str(user_id) if user_id is not None else None
    user_cap = await sandbox_caps.get(user_id) if sandbox_caps is not None and user_id is not None else None
    executed = await sandboxes.execute(
        thread_id, code, timeout_s=timeout_s, on_output=on_output, owner=owner, user_cap=user_cap
    )
    result = clean_execution(executed)
    row_values = {
        "thread_id": thread_id,
        "user_id": user_id,
        "source": source,
        "run_id": run_id,
        "tool_call_id": tool_call_id,
        "code": clean_text(code),
        "ok": result.ok,
        "error_name": result.error.name[:200] if result.error else None,
        "summary": summarize(result),
        "duration_ms": result.duration_ms,
    }
    deadline = time.monotonic() + record_retry_s
    delay = 0.25
    while True:
        try:
            return await uncancelled(_record_once(sessionmaker, artifacts, sandboxes, result, row_values))
        except IntegrityError:  # the thread (or user) was deleted while the cell ran: answer, unrecorded
            log.info("execution in %s not recorded: its thread or user is gone", thread_id)
            notes = [*result.notes, "Not recorded: the thread was deleted while the cell ran."]
            return execution_out(result, execution_id=uuid.uuid4(), artifacts=[], notes=notes)
        except Exception as exc:
            if not is_connection_failure(exc) or time.monotonic() + delay > deadline:
                raise
            log.warning("execution in %s not recorded yet (%s); retrying", thread_id, type(exc).__name__)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)


async def _record_once(
    sessionmaker: async_sessionmaker[AsyncSession],
    artifacts: ArtifactService,
    sandboxes: Sandboxes,
    result: Execution,
    row_values: dict[str, Any],
) -> ExecutionOut:
    async with session_scope(sessionmaker) as session:
        return await _record(session, artifacts, sandboxes, result, row_values)


async def _record(
    session: AsyncSession,
    artifacts: ArtifactService,
    sandboxes: Sandboxes,
    result: Execution,
    row_values: dict[str, Any],
) -> ExecutionOut:
    row = ExecutionRow(id=uuid.uuid4(), **row_values)
    session.add(row)
    await session.flush()
    stored: list[ArtifactOut] = []
    notes = list(result.notes)
    if result.files:
        ingested = await artifacts.ingest(
            session=session,
            thread_id=row.thread_id,
            execution_id=row.id,
            tool_call_id=row.tool_call_id,
            workspace=sandboxes.workspace(row.thread_id),
            files=result.files,
        )
        stored, notes = list(ingested.artifacts), notes + list(ingested.notes)
    out = execution_out(result, execution_id=row.id, artifacts=stored, notes=notes)
    row.result = _bounded(out, result)
    await session.flush()
    return out


def _clean_stream(on_output: OnOutput) -> OnOutput:
    async def cleaned(chunk: StreamChunk) -> None:
        await on_output(StreamChunk(stream=chunk.stream, text=clean_text(chunk.text)))

    return cleaned


def clean_execution(result: Execution) -> Execution:
    """The sandbox's text made storable and serialisable: NUL and lone surrogates become U+FFFD."""
    return clean_json(result)


def execution_out(
    result: Execution, *, execution_id: uuid.UUID, artifacts: list[ArtifactOut], notes: list[str]
) -> ExecutionOut:
    """The sandbox's execution as the record clients see (with its stored id, artifacts and notes)."""
    error = result.error
    return ExecutionOut(
        id=execution_id,
        ok=result.ok,
        stdout=result.stdout,
        stderr=result.stderr,
        outputs=[
            OutputOut(mime=o.mime, data=o.data, bundle=o.bundle, is_result=o.is_result)
            for o in result.outputs
        ],
        error=ExecutionErrorOut(name=error.name, value=error.value, traceback=error.traceback)
        if error
        else None,
        artifacts=artifacts,
        duration_ms=result.duration_ms,
        notes=notes,
        execution_count=result.execution_count,
    )


async def list_executions(*, session: AsyncSession, thread_id: uuid.UUID) -> list[ExecutionOut]:
    """The thread's executions, oldest first, with code, source and created_at.

    Rows stored before a field existed (execution_count, output bundles) read back with its default."""
    rows = (
        await session.execute(
            select(ExecutionRow)
            .where(ExecutionRow.thread_id == thread_id)
            .order_by(ExecutionRow.created_at, ExecutionRow.id)
        )
    ).scalars()
    return [_listed(row) for row in rows]


async def get_execution(
    *, session: AsyncSession, thread_id: uuid.UUID, execution_id: uuid.UUID
) -> ExecutionOut | None:
    """One execution of the thread, as GET /executions lists it; None when there is no such row."""
    row = await session.get(ExecutionRow, execution_id)
    return _listed(row) if row is not None and row.thread_id == thread_id else None


def _listed(row: ExecutionRow) -> ExecutionOut:
    stored = dict(row.result or {})
    stored.pop("files", None)
    return ExecutionOut.model_validate(
        {
            **stored,
            "id": row.id,
            "ok": row.ok,
            "duration_ms": row.duration_ms,
            "code": row.code,
            "source": row.source,
            "created_at": row.created_at,
        }
    )


def summarize(result: Execution) -> str:
    """One line for lists and the agent: the error, else the last text output, else the end of stdout."""
    if result.error is not None:
        text = f"{result.error.name}: {result.error.value}"
    else:
        plain = [o.data for o in result.outputs if o.mime == "text/plain"]
        text = plain[-1] if plain else result.stdout.strip()[-200:]
    return " ".join(text.split())[:300]


def _bounded(out: ExecutionOut, result: Execution) -> dict[str, Any]:
    """The copy kept in executions.result: large rich outputs are replaced by a note, never silently lost."""
    stored = {**out.model_dump(mode="json", exclude=_NOT_STORED), "files": [asdict(f) for f in result.files]}
    budget = MAX_STORED_OUTPUT_CHARS
    outputs = []
    for o in stored["outputs"]:
        if len(o["data"]) <= budget:
            budget -= len(o["data"])
            outputs.append(o)
        else:
            note = f"[{o['mime']} output of {len(o['data']):,} chars not kept]"
            outputs.append({**o, "mime": "text/plain", "data": note})
    stored["outputs"] = outputs
    return stored
