"""Thread endpoints: thin routes over lgurban.threads, always scoped to the caller."""

from __future__ import annotations

import dataclasses
import logging
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from lgurban import threads as service
from lgurban.agent.providers import available_models, configured_providers, validate_model
from lgurban.api.deps import CurrentUser, OwnedThread, ResourcesDep, SessionDep, SettingsDep
from lgurban.api.responses import COMMON, errors, json_response
from lgurban.api.schemas import (
    ConfigDefaults,
    MapTilesOut,
    ModelOut,
    SearchMatch,
    ThreadConfig,
    ThreadCreate,
    ThreadList,
    ThreadListItem,
    ThreadOut,
    ThreadUpdate,
    thread_out,
)
from lgurban.db.search import Match
from lgurban.settings import Settings

router = APIRouter(tags=["threads"], responses=errors(*COMMON, 409))
log = logging.getLogger(__name__)


def default_config(settings: Settings) -> ThreadConfig:
    return ThreadConfig(
        model=settings.llm_model,
        temperature=settings.llm_temperature,
        system_prompt=None,
        context_window=settings.llm_context_window,
        reviewer=settings.reviewer_enabled,
    )


def checked_config(settings: Settings, config: dict[str, Any]) -> dict[str, Any]:
    """A model this server cannot use → 422 INVALID_CONFIG (with what to choose or which variable to set)."""
    if config.get("model") is not None:
        config["model"] = validate_model(settings, config["model"])
    return config


@router.post("/api/threads", status_code=status.HTTP_201_CREATED, response_model=ThreadOut)
async def create_thread(
    body: ThreadCreate, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> ThreadOut:
    """Create a thread owned by the caller."""
    config = checked_config(settings, body.config.model_dump(exclude_unset=True) if body.config else {})
    thread = await service.create_thread(session=session, owner=user, title=body.title, config=config)
    return thread_out(thread, default_config(settings))


@router.get("/api/threads", response_model=ThreadList)
async def list_threads(
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    include_archived: bool = False,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Words (or word prefixes) that must all appear in the title or a message, any case;"
            " punctuation and search operators are plain separators",
        ),
    ] = None,
) -> Response:
    """The caller's threads, newest activity first; with `q`, only those whose title or messages match."""
    rows, next_cursor, found = await service.list_threads(
        session=session, owner=user, limit=limit, cursor=cursor, include_archived=include_archived, q=q
    )
    defaults = default_config(settings)
    items = [list_item(thread_out(t, defaults), found.get(t.id)) for t in rows]
    return json_response(ThreadList(items=items, next_cursor=next_cursor))


def list_item(thread: ThreadOut, match: Match | None) -> ThreadListItem:
    if match is None:
        return ThreadListItem(**thread.__dict__)
    return ThreadListItem(**thread.__dict__, match=SearchMatch(**dataclasses.asdict(match)))


@router.get("/api/threads/{thread_id}", response_model=ThreadOut)
async def get_thread(thread: OwnedThread, settings: SettingsDep) -> Response:
    """One of the caller's threads."""
    return json_response(thread_out(thread, default_config(settings)))


@router.patch("/api/threads/{thread_id}", response_model=ThreadOut)
async def update_thread(
    thread_id: uuid.UUID, body: ThreadUpdate, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> ThreadOut:
    """Rename, archive/unarchive, or change part of the config."""
    thread = await service.update_thread(
        session=session,
        owner=user,
        thread_id=thread_id,
        title=body.title,
        archived=body.archived,
        config=checked_config(settings, body.config.model_dump(exclude_unset=True)) if body.config else None,
    )
    return thread_out(thread, default_config(settings))


@router.delete("/api/threads/{thread_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_thread(
    thread_id: uuid.UUID, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> Response:
    """Delete a thread with its messages, checkpoints, sandbox and workspace."""
    await service.delete_thread(session=session, owner=user, thread_id=thread_id)
    await session.commit()
    # the thread is gone once the row is; a cleanup that fails is logged and the others still run
    for cleanup in resources.thread_cleanups:
        try:
            await cleanup(thread_id)
        except Exception:
            log.exception(
                "cleanup %s failed for deleted thread %s",
                getattr(cleanup, "__qualname__", cleanup),
                thread_id,
            )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/api/config/defaults", response_model=ConfigDefaults)
async def config_defaults(settings: SettingsDep) -> ConfigDefaults:
    """The default thread config and the models this server can use."""
    return ConfigDefaults(
        config=default_config(settings),
        models=[ModelOut(id=m.id, provider=m.provider, label=m.label) for m in available_models(settings)],
        providers=configured_providers(settings),
        map_tiles=MapTilesOut(url=settings.map_tiles_url, attribution=settings.map_tiles_attribution),
    )
