"""Reproducing a thread (issue 20): re-run it on today's data, fork it at a message. Both make a NEW thread
of the caller's; the source thread is only read."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from lgurban.agent.fork import fork_thread, start_history
from lgurban.api.deps import CurrentUser, OwnedThread, ResourcesDep, SessionDep
from lgurban.api.responses import COMMON, errors
from lgurban.api.schemas import STRICT_BODY
from lgurban.execution.rerun import Rerunner

router = APIRouter(tags=["threads"], responses=errors(*COMMON, 504))


class MovedOut(BaseModel):
    old: str
    new: str


class ChangeOut(BaseModel):
    execution_id: uuid.UUID = Field(description="the recorded cell, in the source thread")
    new_execution_id: uuid.UUID | None = Field(description="its re-run in the new thread (None: not re-run)")
    old: str = Field(description="what the cell showed then (stdout, text results, error)")
    new: str = Field(description="what it shows now")
    numbers: list[MovedOut] = Field(description="the numbers that moved, in order, when the text is the same")


class DatasetVersionOut(BaseModel):
    id: str
    changed: bool = Field(description="the data differs from the version the thread loaded (sha256)")
    old_modified: str | None
    new_modified: str | None
    stale: bool = Field(description="the portal did not answer: the cached copy was used")


class RerunOut(BaseModel):
    thread_id: uuid.UUID = Field(description="the new thread holding the re-run")
    unchanged: bool
    changes: list[ChangeOut]
    datasets: list[DatasetVersionOut]
    cells: int
    duration_ms: int = Field(description="the cells' re-run, in all")
    original_ms: int = Field(description="the recorded cells' durations, summed")
    download_ms: int = Field(description="loading the datasets again")
    message: str = Field(description="the new thread's first message: the same report in words")


class ForkIn(BaseModel):
    model_config = STRICT_BODY

    # a JSON string: strict bodies refuse coercions, but a UUID only ever arrives as text
    message_id: uuid.UUID = Field(strict=False, description="the message to fork at (kept, with all before)")


class ForkOut(BaseModel):
    thread_id: uuid.UUID
    messages: int = Field(description="messages copied (up to and including the one forked at)")
    cells: int = Field(description="cells recorded by then, copied")
    replayed: int = Field(description="cells re-run in the new sandbox to restore the variables")
    files: int = Field(description="workspace files copied (as they are now)")
    model_history: bool = Field(description="the model's memory of the conversation was copied")
    note: str


@router.post(
    "/api/threads/{thread_id}/rerun",
    status_code=status.HTTP_201_CREATED,
    response_model=RerunOut,
)
async def rerun_thread(
    thread: OwnedThread, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> RerunOut:
    """Replay the thread's cells in a fresh sandbox on fresh dataset downloads, as a new thread, and say
    what changed. Long: each cell up to SANDBOX_EXEC_TIMEOUT_S, the whole at most 15 minutes."""
    await session.commit()  # no pooled connection held while the cells run
    rerunner = Rerunner(
        settings=resources.settings,
        sessionmaker=resources.sessionmaker,
        sandboxes=resources.sandboxes,
        artifacts=resources.artifacts,
        datasets=resources.datasets,
    )
    report = await rerunner.rerun(thread, user.id)
    if (saver := resources.agent.checkpointer) is not None:  # the model of the new thread knows the report
        await start_history(saver, report.thread_id, report.message, report.message_id)
    return RerunOut.model_validate(report, from_attributes=True)


@router.post(
    "/api/threads/{thread_id}/fork",
    status_code=status.HTTP_201_CREATED,
    response_model=ForkOut,
)
async def fork(body: ForkIn, thread: OwnedThread, session: SessionDep, resources: ResourcesDep) -> ForkOut:
    """A new thread with the conversation up to and including `message_id` (a user message: the question
    without its answer), the workspace files, and the variables restored by re-running the cells."""
    await session.commit()
    result = await fork_thread(resources, resources.agent.checkpointer, thread, body.message_id)
    return ForkOut.model_validate(result, from_attributes=True)
