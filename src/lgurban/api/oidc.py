"""AUTH_MODE=oidc (issue 13): "Sign in with <provider>" through any OpenID Connect provider.

GET /api/auth/oidc/login sends the browser to the provider; the provider sends it back to
GET /api/auth/oidc/callback, which makes the same session + csrf_token cookies as the token sign-in.
A refused sign-in answers its 4xx code as JSON; a browser (Accept: text/html) is sent back to the web app
with `?sign_in_error=CODE` instead, where the sign-in page says what happened in words.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from lgurban.api.deps import SESSION_COOKIE, SessionDep, SettingsDep
from lgurban.api.responses import errors
from lgurban.api.signin import secure_cookies, set_session_cookies
from lgurban.auth import start_session, user_for_identity
from lgurban.errors import AppError, Conflict, OidcSignInFailed
from lgurban.oidc import FLOW_TTL_S, Flow, OidcClient, open_flow, provider_name, seal_flow
from lgurban.settings import Settings

log = logging.getLogger(__name__)
router = APIRouter(tags=["auth"])
FLOW_COOKIE = "lgurban_oidc"  # the sealed state, nonce and PKCE verifier of the sign-in in progress
FLOW_PATH = "/api/auth/oidc"
CALLBACK_PATH = "/api/auth/oidc/callback"


class AuthConfigOut(BaseModel):
    """How this server signs people in, for the web app's sign-in page (asked before anyone is signed in)."""

    auth_mode: Literal["local", "token", "oidc"]
    oidc_provider: str | None = None  # "Sign in with NAME"
    oidc_login_url: str | None = None


@router.get("/api/auth/config")
async def auth_config(settings: SettingsDep) -> AuthConfigOut:
    """The sign-in method: paste a token (token), a provider's button (oidc), or none needed (local)."""
    if settings.auth_mode != "oidc":
        return AuthConfigOut(auth_mode=settings.auth_mode)
    return AuthConfigOut(
        auth_mode="oidc", oidc_provider=provider_name(settings), oidc_login_url=f"{FLOW_PATH}/login"
    )


def _client(request: Request, settings: Settings) -> OidcClient:
    state = request.app.state
    if getattr(state, "oidc_client", None) is None:
        state.oidc_client = OidcClient(settings)  # discovery and JWKS are cached in it
    found: OidcClient = state.oidc_client
    return found


def _redirect_uri(request: Request, settings: Settings) -> str:
    if settings.oidc_redirect_url:
        return settings.oidc_redirect_url
    base = (settings.public_base_url or str(request.base_url)).rstrip("/")
    return base + CALLBACK_PATH


def _require_oidc(settings: Settings) -> None:
    if settings.auth_mode != "oidc":
        raise Conflict(f"this server runs in AUTH_MODE={settings.auth_mode}: it does not sign in with OIDC")


def _refused(request: Request, exc: AppError) -> Response:
    """A failed sign-in: back to the web app's sign-in page for a browser, the error itself otherwise."""
    log.info("OIDC sign-in refused: %s", exc.code)
    if "text/html" not in request.headers.get("accept", ""):
        raise exc
    response = RedirectResponse(f"/?sign_in_error={exc.code}", status_code=303)
    response.delete_cookie(FLOW_COOKIE, path=FLOW_PATH, secure=secure_cookies(request), httponly=True)
    return response


@router.get(
    f"{FLOW_PATH}/login",
    status_code=302,
    response_class=RedirectResponse,
    responses={302: {"description": "to the provider's sign-in page"}, **errors(409, 503)},
)
async def oidc_login(
    request: Request,
    settings: SettingsDep,
    next_path: Annotated[str | None, Query(alias="next", max_length=2000)] = None,
) -> Response:
    """Start a sign-in: a new state, nonce and PKCE verifier (in a sealed cookie), then to the provider."""
    _require_oidc(settings)
    flow = Flow.start(next_path)
    try:
        url = await _client(request, settings).authorization_url(flow, _redirect_uri(request, settings))
    except AppError as exc:
        return _refused(request, exc)
    response = RedirectResponse(url, status_code=302)
    response.set_cookie(
        FLOW_COOKIE,
        seal_flow(flow, settings.signing_key()),
        max_age=FLOW_TTL_S,
        path=FLOW_PATH,
        secure=secure_cookies(request),
        httponly=True,
        samesite="lax",  # sent on the provider's top-level redirect back to the callback
    )
    return response


@router.get(
    CALLBACK_PATH,
    status_code=302,
    response_class=RedirectResponse,
    responses={
        302: {"description": "signed in: session and csrf_token cookies set, to the web app"},
        303: {"description": "a browser's refused sign-in: to the web app with ?sign_in_error=CODE"},
        **errors(400, 401, 403, 409, 503),
    },
)
async def oidc_callback(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    code: Annotated[str | None, Query(max_length=4000)] = None,
    state: Annotated[str | None, Query(max_length=500)] = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
    error_description: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """Finish a sign-in: check state, trade the code (with the PKCE verifier), validate the ID token, check
    the allow-list, then the user (created on a first sign-in) gets a session."""
    _require_oidc(settings)
    try:
        flow = open_flow(request.cookies.get(FLOW_COOKIE), state, settings.signing_key())
        if error or not code:
            why = f"{error}: {error_description}" if error_description else (error or "no code was sent")
            raise OidcSignInFailed(f"the provider did not sign you in ({why[:200]})")
        claims = await _client(request, settings).exchange(code, flow, _redirect_uri(request, settings))
        claims.check_allowed(settings)
        user = await user_for_identity(
            session=session,
            issuer=claims.issuer,
            subject=claims.subject,
            email=claims.email,
            name=claims.name,
        )
    except AppError as exc:
        return _refused(request, exc)
    new = await start_session(
        session=session,
        user=user,
        token_id=None,
        ttl=timedelta(seconds=settings.auth_session_ttl_s),
        replaces=request.cookies.get(SESSION_COOKIE),
    )
    response = RedirectResponse(flow.next_path, status_code=302)
    set_session_cookies(response, request, new, max_age=settings.auth_session_ttl_s)
    response.delete_cookie(FLOW_COOKIE, path=FLOW_PATH, secure=secure_cookies(request), httponly=True)
    log.info("OIDC sign-in: user %s", user.id)
    return response
