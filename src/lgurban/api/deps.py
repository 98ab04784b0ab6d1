"""Typed FastAPI dependencies: resources, settings, a DB session, the calling user and their thread."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Protocol

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban import threads
from lgurban.agent.services import Services
from lgurban.auth import (
    authenticate_session,
    authenticate_token,
    csrf_matches,
    get_or_create_user,
)
from lgurban.db.models import Thread, User
from lgurban.errors import CsrfFailed, Unauthorized
from lgurban.settings import Settings

if TYPE_CHECKING:
    from lgurban.agent.runs import RunManager
    from lgurban.storage.base import ObjectStore

SESSION_COOKIE = "lgurban_session"  # issue 13: the web sign-in (HttpOnly)
CSRF_COOKIE = "csrf_token"  # readable by the web app, echoed in CSRF_HEADER on changes
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

HealthCheck = Callable[[], Awaitable[str]]  # "ok" or a short reason
ThreadCleanup = Callable[[uuid.UUID], Awaitable[None]]


class AppServices(Services, Protocol):
    """What the routes use of the running service (lgurban.resources.Resources provides it)."""

    @property
    def store(self) -> ObjectStore: ...
    @property
    def agent(self) -> RunManager: ...
    @property
    def health_checks(self) -> dict[str, HealthCheck]: ...
    @property
    def thread_cleanups(self) -> list[ThreadCleanup]: ...

    local_user: User | None  # AUTH_MODE=local: the implicit user, cached on first use


# async on purpose: FastAPI runs a plain `def` dependency in the thread pool, a hop on every request
async def get_resources(request: Request) -> AppServices:
    resources: AppServices = request.app.state.resources
    return resources


ResourcesDep = Annotated[AppServices, Depends(get_resources)]


async def get_settings(resources: ResourcesDep) -> Settings:
    return resources.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_session(resources: ResourcesDep) -> AsyncIterator[AsyncSession]:
    """One session per request, committed when the route returns without error."""
    async with resources.sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


# scope="function": commit before the response is sent, so a 201 means the row is there and a failed
# commit becomes an error response instead of a silent loss after the client was told it worked.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def current_user(request: Request, resources: ResourcesDep, session: SessionDep) -> User:
    """The caller: the implicit local user, or the owner of the bearer token."""
    if resources.settings.auth_mode == "local":
        # one lookup per process, not one per request: the local user never changes while serving
        if resources.local_user is None:
            name = resources.settings.local_user_name
            try:
                user = await get_or_create_user(session=session, name=name)
                await session.commit()
            except IntegrityError:  # a parallel first request created it a moment ago
                await session.rollback()
                user = (await session.execute(select(User).where(User.name == name))).scalar_one()
            session.expunge(user)
            resources.local_user = user
        return resources.local_user
    header = request.headers.get("authorization", "")
    if not header and SESSION_COOKIE in request.cookies:  # issue 13: the web app's sign-in cookie
        return await _session_user(request, session)
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("invalid or missing API token")
    return await authenticate_token(session=session, token=token.strip())


async def _session_user(request: Request, session: AsyncSession) -> User:
    """A cookie-authenticated caller; a change must echo the csrf_token cookie in X-CSRF-Token."""
    user, auth = await authenticate_session(session=session, session_id=request.cookies[SESSION_COOKIE])
    if request.method not in SAFE_METHODS and not csrf_matches(
        auth, request.headers.get(CSRF_HEADER), request.cookies.get(CSRF_COOKIE)
    ):
        raise CsrfFailed(f"a change made with the sign-in cookie needs the {CSRF_HEADER} header")
    return user


CurrentUser = Annotated[User, Depends(current_user)]


async def owned_thread(thread_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Thread:
    """The path's thread if the caller owns it: another user's thread is as missing as an unknown one."""
    return await threads.get_thread(session=session, owner=user, thread_id=thread_id)


OwnedThread = Annotated[Thread, Depends(owned_thread)]
