"""Every event of a chat run's stream, as one discriminated union (`ChatEvent`, published in /openapi.json).

An SSE frame carries one event: `event:` is its `type`, `data:` its JSON (type included). Every event names
the `agent` that produced it (`analyst` today; sub-agents such as a reviewer get their own name).
Producers (the run manager, the graph, the tools) hand events to an `Emit` callback.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter

from lgurban.artifacts.models import ArtifactOut

DEFAULT_AGENT = "analyst"


class ReceiptOut(BaseModel):
    """A figure of an answer and where it came from (issue 15): `value` is the number meant
    ("7,51 milioni" → 7510000), `start`/`end` its place in `content`, `execution_id` the cell that printed it
    (None for a dataset's metadata), `dataset_ids` the portal datasets behind it."""

    text: str
    value: float
    execution_id: str | None = None
    dataset_ids: list[str] = Field(default_factory=list)
    start: int
    end: int


class UnverifiedOut(BaseModel):
    """A figure of an answer that no tool output of the thread shows."""

    text: str
    start: int
    end: int


class ReviewOut(BaseModel):
    """The reviewer's scores of an answer (issue 15, docs/reviewer.md): `completeness` and `relevancy` 1-5
    (None when skipped); `verdict` pass (at or above both minimums), revise (sent back to the analyst with
    `critique`), low (let through below a minimum: no reroute left) or skipped (the review failed or timed
    out); `reroutes` how many times this turn's answer was sent back by the reviewer, this verdict
    included."""

    completeness: int | None = None
    relevancy: int | None = None
    verdict: Literal["pass", "revise", "low", "skipped"]
    reroutes: int = 0
    critique: str | None = None


class MessageOut(BaseModel):
    """A stored chat message (the `messages` table) in the API shape."""

    id: uuid.UUID
    role: str
    content: str
    tool_calls: list[dict[str, Any]] | None = None
    tool_call_id: str | None = None
    tool_name: str | None = None
    meta: dict[str, Any] | None = None
    run_id: uuid.UUID | None = None
    artifacts: list[ArtifactOut] = Field(default_factory=list)
    created_at: str
    # an assistant answer's figures: those with a receipt and those without (issue 15); empty otherwise
    receipts: list[ReceiptOut] = Field(default_factory=list)
    unverified: list[UnverifiedOut] = Field(default_factory=list)
    review: ReviewOut | None = None  # an assistant answer's review, when the reviewer saw it


class _Event(BaseModel):
    agent: str = DEFAULT_AGENT


class RunStartedEvent(_Event):
    type: Literal["run_started"] = "run_started"
    run_id: uuid.UUID


class TokenEvent(_Event):
    """Text of the model's reply as it is written."""

    type: Literal["token"] = "token"
    text: str


class ToolStartEvent(_Event):
    type: Literal["tool_start"] = "tool_start"
    tool_call_id: str
    name: str
    args: dict[str, Any] = Field(default_factory=dict)


class ToolOutputEvent(_Event):
    """Live output of running code."""

    type: Literal["tool_output"] = "tool_output"
    tool_call_id: str
    stream: Literal["stdout", "stderr"]
    text: str


class PlanStep(BaseModel):
    text: str
    status: Literal["pending", "in_progress", "done"] = "pending"


class PlanEvent(_Event):
    """The analyst's to-do list for a multi-step question (issue 15), as it stands after `update_plan`."""

    type: Literal["plan"] = "plan"
    tool_call_id: str | None = None
    steps: list[PlanStep]


class ToolEndEvent(_Event):
    type: Literal["tool_end"] = "tool_end"
    tool_call_id: str
    name: str
    ok: bool
    summary: str


class ArtifactEvent(_Event):
    """A file the code stored; `tool_call_id` is the call that made it."""

    type: Literal["artifact"] = "artifact"
    tool_call_id: str | None = None
    artifact: ArtifactOut


class ContextEvent(_Event):
    """How much of the model's context window the conversation uses."""

    type: Literal["context"] = "context"
    tokens_used: int
    context_window: int


class MessageEvent(_Event):
    """A message as stored (user, assistant or tool)."""

    type: Literal["message"] = "message"
    message: MessageOut


class AnswerCheckEvent(_Event):
    """The answer just written was sent back to the analyst (issue 15): these figures are in no tool output.
    The text streamed since the last stored message is a draft the next answer replaces."""

    type: Literal["answer_check"] = "answer_check"
    status: Literal["revising"] = "revising"
    unverified: list[UnverifiedOut] = Field(default_factory=list)


class ReviewEvent(_Event):
    """The reviewer scored the answer just written. With verdict `revise` it went back to the analyst: the
    text streamed since the last stored message is a draft the next answer replaces (as with answer_check)."""

    type: Literal["review"] = "review"
    agent: str = "reviewer"
    review: ReviewOut


class ApprovalRequiredEvent(_Event):
    """The report writer drafted a report (issue 15) and waits for the user: the run ends `waiting`; resume it
    with POST /api/threads/{id}/runs/resume {decision: approve|edit|reject, text?}."""

    type: Literal["approval_required"] = "approval_required"
    agent: str = "report_writer"
    draft: str


class ErrorEvent(_Event):
    type: Literal["error"] = "error"
    code: str
    message: str


class DoneEvent(_Event):
    """The run ended: `status` is done, cancelled, error or waiting (a report draft waits for approval)."""

    type: Literal["done"] = "done"
    run_id: uuid.UUID
    status: str = "done"


ChatEvent = Annotated[
    RunStartedEvent
    | TokenEvent
    | ToolStartEvent
    | ToolOutputEvent
    | ToolEndEvent
    | PlanEvent
    | ArtifactEvent
    | ContextEvent
    | MessageEvent
    | AnswerCheckEvent
    | ReviewEvent
    | ApprovalRequiredEvent
    | ErrorEvent
    | DoneEvent,
    Field(discriminator="type"),
]

chat_event_adapter: TypeAdapter[ChatEvent] = TypeAdapter(ChatEvent)

# the run's live-event callback: tools, the graph and the run manager hand it typed events
Emit = Callable[[ChatEvent], Any]
