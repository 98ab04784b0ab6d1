"""Request and response bodies of the LangGraph-API-compatible endpoints (the shapes `langgraph_sdk` reads).

Requests ignore fields this server does not use (the SDK sends many, mostly null) but refuse, with
NOT_SUPPORTED, values that would change what a run does (see `LgRunCreate.check_supported`).
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from lgurban.errors import NotSupported

LENIENT = ConfigDict(extra="ignore")

# every mode LangGraph's API knows is accepted (useStream adds some, e.g. "tools", as the app reads them);
# these are the ones this server sends events for
STREAM_MODES: tuple[str, ...] = ("values", "updates", "messages-tuple", "custom")
StreamModeName = Literal[
    "values",
    "updates",
    "messages-tuple",
    "custom",
    "messages",
    "events",
    "debug",
    "tasks",
    "checkpoints",
    "tools",
    "lifecycle",
]
KNOWN_STREAM_MODES: tuple[str, ...] = StreamModeName.__args__  # type: ignore[attr-defined]
RunStatus = Literal["pending", "running", "error", "success", "timeout", "interrupted"]
ThreadStatus = Literal["idle", "busy", "interrupted", "error"]


class LgCheckpoint(BaseModel):
    thread_id: str
    checkpoint_ns: str = ""
    checkpoint_id: str | None = None
    checkpoint_map: dict[str, Any] | None = None


class LgCheckpointIn(BaseModel):
    model_config = LENIENT

    checkpoint_id: str | None = Field(default=None, max_length=100)


class LgAssistantOut(BaseModel):
    assistant_id: str
    graph_id: str
    config: dict[str, Any]
    context: dict[str, Any]
    metadata: dict[str, Any]
    version: int
    name: str
    description: str | None
    created_at: str
    updated_at: str


class LgAssistantSearch(BaseModel):
    model_config = LENIENT

    metadata: dict[str, Any] | None = None
    graph_id: str | None = Field(default=None, max_length=200)
    name: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=10, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)


class LgThreadOut(BaseModel):
    thread_id: str
    created_at: str
    updated_at: str
    metadata: dict[str, Any]
    status: ThreadStatus
    values: dict[str, Any] | None = None
    interrupts: dict[str, list[Any]] = Field(default_factory=dict)


class LgThreadFound(BaseModel):
    """A thread in search results: the fields `select` asked for (all of them by default)."""

    thread_id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    metadata: dict[str, Any] | None = None
    status: ThreadStatus | None = None
    values: dict[str, Any] | None = None
    interrupts: dict[str, list[Any]] | None = None


class LgThreadCreate(BaseModel):
    model_config = LENIENT

    thread_id: uuid.UUID | None = None
    metadata: dict[str, Any] | None = None
    if_exists: Literal["raise", "do_nothing"] = "raise"
    supersteps: None = Field(default=None, description="not supported: a thread starts empty")


ThreadSelectField = Literal[
    "thread_id", "created_at", "updated_at", "metadata", "status", "values", "interrupts"
]


class LgThreadSearch(BaseModel):
    model_config = LENIENT

    metadata: dict[str, Any] | None = None
    values: None = Field(default=None, description="not supported: filter on metadata, ids or status")
    ids: list[uuid.UUID] | None = Field(default=None, max_length=1000)
    status: ThreadStatus | None = None
    limit: int = Field(default=10, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)
    sort_by: Literal["thread_id", "status", "created_at", "updated_at"] = "updated_at"
    sort_order: Literal["asc", "desc"] = "desc"
    select: list[ThreadSelectField] | None = None


class LgThreadStateOut(BaseModel):
    values: dict[str, Any]
    next: list[str] = Field(default_factory=list)
    tasks: list[Any] = Field(default_factory=list)
    checkpoint: LgCheckpoint
    parent_checkpoint: LgCheckpoint | None
    metadata: dict[str, Any]
    created_at: str | None
    interrupts: list[Any] = Field(default_factory=list)


class LgHistoryIn(BaseModel):
    model_config = LENIENT

    limit: int = Field(default=10, ge=1, le=1000)
    before: LgCheckpointIn | str | None = None
    metadata: dict[str, Any] | None = None
    checkpoint: LgCheckpointIn | None = None


class LgRunOut(BaseModel):
    run_id: str
    thread_id: str
    assistant_id: str
    created_at: str
    updated_at: str
    status: RunStatus
    metadata: dict[str, Any]
    multitask_strategy: str = "reject"
    kwargs: dict[str, Any] = Field(default_factory=dict)


class LgRunCreate(BaseModel):
    """The body of runs create / stream / wait (the fields the SDK sends; the rest are ignored)."""

    model_config = LENIENT

    assistant_id: str = Field(min_length=1, max_length=200)
    input: dict[str, Any] | None = None
    command: dict[str, Any] | None = None
    stream_mode: StreamModeName | list[StreamModeName] = "values"
    metadata: dict[str, Any] | None = None
    checkpoint: dict[str, Any] | None = None
    checkpoint_id: str | None = None
    interrupt_before: str | list[str] | None = None
    interrupt_after: str | list[str] | None = None
    webhook: str | None = None
    multitask_strategy: Literal["reject", "interrupt", "rollback", "enqueue"] = "reject"
    if_not_exists: Literal["create", "reject"] = "reject"
    after_seconds: int | None = None
    on_disconnect: Literal["cancel", "continue"] = "continue"

    @property
    def checkpoint_asked(self) -> str | None:
        """The checkpoint the run should start from, if the client named one (useStream names the head)."""
        asked = self.checkpoint_id or (self.checkpoint or {}).get("checkpoint_id")
        return str(asked) if asked else None

    @property
    def modes(self) -> list[str]:
        return [self.stream_mode] if isinstance(self.stream_mode, str) else list(self.stream_mode)

    def check_supported(self) -> None:
        """Refuse what this server cannot do rather than quietly doing something else."""
        refused = {
            "command (resume after an interrupt)": self.command,
            "interrupt_before / interrupt_after": self.interrupt_before or self.interrupt_after,
            "webhook": self.webhook,
            "after_seconds (scheduled runs)": self.after_seconds,
        }
        for what, value in refused.items():
            if value:
                raise NotSupported(f"{what} is not supported by this server's LangGraph API")
        if self.multitask_strategy != "reject":
            raise NotSupported("multitask_strategy: only 'reject' (409 while a run is active) is supported")
        if self.if_not_exists != "reject":
            raise NotSupported("if_not_exists: create the thread first (POST /threads)")
