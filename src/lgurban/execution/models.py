"""The execution record: what one cell did, as the API, the agent's tools and notebook export see it."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from lgurban.artifacts.models import ArtifactOut

# every field is in every response, defaults included: the OpenAPI document (and the web app's generated
# types) says so instead of marking them optional
_ALWAYS_SENT = ConfigDict(json_schema_serialization_defaults_required=True)


class OutputOut(BaseModel):
    """One representation of one result; outputs sharing `bundle` are one value in several MIME types."""

    model_config = _ALWAYS_SENT

    mime: str
    data: str
    bundle: int = 0  # which display result of the cell this belongs to (0, 1, … in the order shown)
    is_result: bool = False  # the cell's value (its last expression), not a display() or a figure


class ExecutionErrorOut(BaseModel):
    name: str
    value: str
    traceback: str


class ExecutionOut(BaseModel):
    """What one cell did: streams, rich outputs, the error, the artifacts it made, notes for the user."""

    model_config = _ALWAYS_SENT

    id: uuid.UUID
    ok: bool
    stdout: str = ""
    stderr: str = ""
    outputs: list[OutputOut] = Field(default_factory=list)
    error: ExecutionErrorOut | None = None
    artifacts: list[ArtifactOut] = Field(default_factory=list)
    duration_ms: int = 0
    notes: list[str] = Field(default_factory=list)
    execution_count: int | None = None  # the sandbox's cell counter (In [n]); restarts begin again at 1
    # set when listed (GET /executions): what ran, who ran it, when
    code: str | None = None
    source: str | None = None
    created_at: datetime | None = None
