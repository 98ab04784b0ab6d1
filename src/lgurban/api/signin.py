"""Web sign-in (issue 13): an API token becomes a session cookie; /api/me says who is signed in.

Failed sign-ins are limited per client IP in this process's memory (a simple sliding window): with several
replicas each keeps its own count, which is enough to make guessing a 256-bit token pointless anyway.
"""

from __future__ import annotations

import time
from collections import deque
from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field, StringConstraints

from lgurban.api.deps import (
    CSRF_COOKIE,
    CSRF_HEADER,
    SESSION_COOKIE,
    CurrentUser,
    SessionDep,
    SettingsDep,
)
from lgurban.api.responses import errors
from lgurban.auth import NewSession, authenticate_session, csrf_matches, sign_in, sign_out
from lgurban.errors import Conflict, CsrfFailed, InvalidToken, TooManySignIns, Unauthorized

router = APIRouter(tags=["auth"])
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
MAX_TRACKED_CLIENTS = 10_000  # bounds the limiter's memory under a flood of addresses


class SignInIn(BaseModel):
    token: Annotated[str, StringConstraints(min_length=1, max_length=500)] = Field(
        description="an API token, as `lgurban users create NAME` prints it"
    )


class MeOut(BaseModel):
    id: str
    name: str
    auth_mode: Literal["local", "token", "oidc"]


class SignInLimiter:
    """At most `max_failures` failed sign-ins per client address within `window_s` seconds."""

    def __init__(self, *, max_failures: int, window_s: float) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, client: str, now: float) -> deque[float]:
        times = self._failures.get(client, deque())
        while times and now - times[0] > self.window_s:
            times.popleft()
        return times

    def check(self, client: str) -> None:
        now = time.monotonic()
        times = self._recent(client, now)
        if len(times) >= self.max_failures:
            wait = int(self.window_s - (now - times[0])) + 1
            raise TooManySignIns(f"too many failed sign-ins from this address; try again in {wait} s")

    def failed(self, client: str) -> None:
        now = time.monotonic()
        if len(self._failures) >= MAX_TRACKED_CLIENTS and client not in self._failures:
            self._failures = {k: v for k, v in self._failures.items() if self._recent(k, now)}
        times = self._recent(client, now)
        times.append(now)
        self._failures[client] = times


def limiter(request: Request) -> SignInLimiter:
    state = request.app.state
    if getattr(state, "sign_in_limiter", None) is None:
        settings = state.resources.settings
        state.sign_in_limiter = SignInLimiter(
            max_failures=settings.auth_sign_in_max_failures, window_s=settings.auth_sign_in_window_s
        )
    found: SignInLimiter = state.sign_in_limiter
    return found


def secure_cookies(request: Request) -> bool:
    """Secure cookies everywhere but plain HTTP on a loopback address (`make run`)."""
    return request.url.scheme == "https" or (request.url.hostname or "") not in LOOPBACK_HOSTS


@router.post(
    "/api/auth/session",
    status_code=204,
    response_class=Response,
    responses={
        204: {"description": "signed in: session and csrf_token cookies set"},
        **errors(401, 409, 413, 422, 429, 503),
    },
)
async def create_session(
    body: SignInIn, request: Request, session: SessionDep, settings: SettingsDep
) -> Response:
    """Sign in with an API token (AUTH_MODE=token); a previous session of this browser ends."""
    if settings.auth_mode != "token":
        raise Conflict(
            "this server signs in through its OpenID Connect provider (GET /api/auth/oidc/login)"
            if settings.auth_mode == "oidc"
            else "this server runs in AUTH_MODE=local: there is nothing to sign in to"
        )
    client = request.client.host if request.client else "unknown"
    limit = limiter(request)
    limit.check(client)
    try:
        new = await sign_in(
            session=session,
            token=body.token.strip(),
            ttl=timedelta(seconds=settings.auth_session_ttl_s),
            replaces=request.cookies.get(SESSION_COOKIE),
        )
    except InvalidToken:
        limit.failed(client)
        raise
    response = Response(status_code=204)
    set_session_cookies(response, request, new, max_age=settings.auth_session_ttl_s)
    return response


def set_session_cookies(response: Response, request: Request, new: NewSession, *, max_age: int) -> None:
    """The session (HttpOnly) and csrf_token (read by the web app) cookies of a new sign-in."""
    secure = secure_cookies(request)
    for name, value, http_only in (
        (SESSION_COOKIE, new.session_id, True),
        (CSRF_COOKIE, new.csrf_token, False),
    ):
        response.set_cookie(
            name, value, max_age=max_age, path="/", secure=secure, httponly=http_only, samesite="lax"
        )


@router.delete(
    "/api/auth/session",
    status_code=204,
    response_class=Response,
    responses={204: {"description": "signed out: the session is revoked"}, **errors(401, 403, 503)},
)
async def delete_session(request: Request, session: SessionDep) -> Response:
    """Sign out: the session cookie stops working at once, here and in any copy of it."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        try:
            _, auth = await authenticate_session(session=session, session_id=session_id)
        except Unauthorized:
            auth = None  # already ended: only the cookies are left to clear
        if auth is not None:
            if not csrf_matches(auth, request.headers.get(CSRF_HEADER), request.cookies.get(CSRF_COOKIE)):
                raise CsrfFailed(f"signing out with the cookie needs the {CSRF_HEADER} header")
            await sign_out(session=session, session_id=session_id)
    response = Response(status_code=204)
    secure = secure_cookies(request)
    for name, http_only in ((SESSION_COOKIE, True), (CSRF_COOKIE, False)):
        response.delete_cookie(name, path="/", secure=secure, httponly=http_only, samesite="lax")
    return response


@router.get("/api/me", responses=errors(401, 503))
async def me(user: CurrentUser, settings: SettingsDep) -> MeOut:
    """The signed-in user (in AUTH_MODE=local, the implicit local user)."""
    return MeOut(id=str(user.id), name=user.name, auth_mode=settings.auth_mode)
