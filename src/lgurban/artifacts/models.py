"""The one artifact record that travels from ingest to the API, the chat stream and the history."""

from __future__ import annotations

import uuid

from pydantic import BaseModel


class ArtifactOut(BaseModel):
    """An artifact as every client sees it; `url` is a fresh signed download link."""

    id: uuid.UUID
    thread_id: uuid.UUID
    filename: str
    mime: str
    size: int
    sha256: str
    created_at: str
    url: str
    # what produced it, when known: the cell (executions row) and the agent's tool call
    execution_id: uuid.UUID | None = None
    tool_call_id: str | None = None
