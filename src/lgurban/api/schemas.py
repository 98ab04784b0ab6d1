"""Request and response bodies of the threads/config/health API (served as the contract at /openapi.json)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError
from sqlalchemy import Row

from lgurban.db.models import Thread
from lgurban.db.text import has_bad_chars


def _storable(value: str) -> str:
    if has_bad_chars(value):
        raise PydanticCustomError(
            "invalid_text", "text must not contain NUL characters or lone surrogates (\\u0000, \\ud800)"
        )
    return value


# text from the user that goes into the database: NUL and lone surrogates are refused (422 INVALID_TEXT)
UserText = Annotated[str, AfterValidator(_storable)]


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


# the context window of a request body: JSON (and JSON Schema's `integer`) has no int/float divide, so
# 2048.0 is 2048; 2048.5, true and "2048" are still refused (the bounds before the validator: in the schema)
ContextWindow = Annotated[int, Field(ge=1024, le=10_000_000), BeforeValidator(_whole)]
# request bodies: no coercion (`false` is not a temperature, `true` not a timeout), unknown keys refused
STRICT_BODY = ConfigDict(extra="forbid", strict=True)


class ThreadConfigIn(BaseModel):
    """A (partial) thread configuration; unknown keys are refused."""

    model_config = STRICT_BODY

    model: UserText | None = Field(default=None, min_length=1, max_length=200)
    temperature: float | None = Field(default=None, ge=0, le=2, allow_inf_nan=False)
    system_prompt: UserText | None = Field(default=None, max_length=20_000)
    context_window: ContextWindow | None = None
    reviewer: bool | None = None  # false: no answer review in this thread (docs/reviewer.md)


class ThreadConfig(BaseModel):
    model: str
    temperature: float
    system_prompt: str | None
    context_window: int
    reviewer: bool = True


class ThreadCreate(BaseModel):
    model_config = STRICT_BODY

    title: UserText | None = Field(default=None, min_length=1, max_length=200)
    config: ThreadConfigIn | None = None


class ThreadUpdate(BaseModel):
    model_config = STRICT_BODY

    title: UserText | None = Field(default=None, min_length=1, max_length=200)
    archived: bool | None = None
    config: ThreadConfigIn | None = None


class ThreadOut(BaseModel):
    id: uuid.UUID
    title: str
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None
    config: ThreadConfig


class SearchMatch(BaseModel):
    """Where a thread matched `q`: plain text (never markup) around the first hit, and the hits in it."""

    text: str
    ranges: list[tuple[int, int]] = Field(
        description="each hit as [start, end) offsets into `text`, counted in Unicode code points"
    )
    field: Literal["title", "message"]
    message_id: uuid.UUID | None = None
    role: str | None = None
    earlier_version: bool = Field(
        default=False, description="the hit is in an earlier version of an exchange (edited or regenerated)"
    )


class ThreadListItem(ThreadOut):
    match: SearchMatch | None = Field(default=None, description="only when the list was searched (`q`)")


class ThreadList(BaseModel):
    items: list[ThreadListItem]
    next_cursor: str | None


class ModelOut(BaseModel):
    id: str
    provider: str
    label: str


class MapTilesOut(BaseModel):
    """The base map of the web app's maps (MAP_TILES_URL, an XYZ template; "" = none) and its attribution."""

    url: str
    attribution: str


class ConfigDefaults(BaseModel):
    config: ThreadConfig
    models: list[ModelOut]
    providers: list[str]
    max_message_chars: int = 100_000
    map_tiles: MapTilesOut


class HealthOut(BaseModel):
    status: str
    checks: dict[str, str]
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


def thread_out(thread: Thread | Row[Any], defaults: ThreadConfig) -> ThreadOut:
    """A thread with its effective config: its own values over the server's defaults."""
    return ThreadOut(
        id=thread.id,
        title=thread.title,
        created_at=thread.created_at,
        updated_at=thread.updated_at,
        archived_at=thread.archived_at,
        config=ThreadConfig(
            model=thread.model or defaults.model,
            temperature=thread.temperature if thread.temperature is not None else defaults.temperature,
            system_prompt=thread.system_prompt
            if thread.system_prompt is not None
            else defaults.system_prompt,
            context_window=thread.context_window or defaults.context_window,
            reviewer=thread.reviewer if thread.reviewer is not None else defaults.reviewer,
        ),
    )
