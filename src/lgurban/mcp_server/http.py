"""/mcp on the API server: the SDK's streamable HTTP transport behind the API's own authentication.

Every request is authenticated as an API request is (AUTH_MODE=token: `Authorization: Bearer <token>`;
a missing or wrong token → 401 with the API's error body). The session manager binds each MCP session to
the user who opened it: another user's session id is unknown to them. Each session (Mcp-Session-Id) works
in its own thread; `/mcp?thread_id=<id>` opens sessions on an existing thread of the caller's."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from lgurban.api.deps import AppServices, current_user
from lgurban.errors import AppError, BadRequest
from lgurban.mcp_server.access import Caller, SessionThreads
from lgurban.mcp_server.results import AbsoluteUrl
from lgurban.mcp_server.server import build_server
from lgurban.mcp_server.stdio import public_links
from lgurban.settings import Settings

USER_KEY = "lgurban.user_id"  # where the authenticated caller's id travels in the ASGI scope
SESSION_HEADER = "mcp-session-id"


def _caller_of(ctx: Any) -> Caller:
    request: Request | None = ctx.request
    if request is None or USER_KEY not in request.scope:
        raise BadRequest("this request did not come through /mcp")
    named = request.query_params.get("thread_id")
    try:
        thread = uuid.UUID(named) if named else None
    except ValueError:
        raise BadRequest(f"thread_id {named!r} in the /mcp URL is not a thread id") from None
    return Caller(
        user_id=request.scope[USER_KEY], session_key=request.headers.get(SESSION_HEADER), named_thread=thread
    )


async def _error(send: Send, status: int, exc: AppError) -> None:
    body = json.dumps({"error": {"code": exc.code, "message": exc.message}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="lgurban"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def rebinding_guard(settings: Settings) -> TransportSecuritySettings | None:
    """AUTH_MODE=local has no token to stop a web page that rebinds its name to 127.0.0.1: there, /mcp
    answers only requests addressed to a loopback name and sent from a loopback (or CORS_ORIGINS) page."""
    if settings.auth_mode != "local":
        return None  # a bearer token (or the provider's sign-in) is the guard; proxies set any Host
    names = ["127.0.0.1", "localhost", "[::1]", settings.host]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[pattern for name in names for pattern in (name, f"{name}:*")],
        allowed_origins=[
            *(f"http://{name}{port}" for name in names for port in ("", ":*")),
            *settings.cors_origins,
        ],
    )


@asynccontextmanager
async def _running(manager: StreamableHTTPSessionManager) -> AsyncIterator[None]:
    """The manager's run() (an anyio task group) entered and left in one task of its own: a lifespan may
    start in one task and end in another (pytest-asyncio fixtures do), which a task group refuses."""
    started, stop = asyncio.Event(), asyncio.Event()

    async def serve() -> None:
        async with manager.run():
            started.set()
            await stop.wait()

    task = asyncio.create_task(serve(), name="mcp-session-manager")
    waiting = asyncio.ensure_future(started.wait())
    await asyncio.wait({task, waiting}, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    if task.done():
        task.result()  # it failed to start: say why
    try:
        yield
    finally:
        stop.set()
        await task


class McpEndpoint:
    """The ASGI endpoint at /mcp; `run(services)` (in the app's lifespan) starts its session manager."""

    def __init__(self) -> None:
        self._manager: StreamableHTTPSessionManager | None = None
        self._services: AppServices | None = None

    @asynccontextmanager
    async def run(self, services: AppServices) -> AsyncIterator[None]:
        settings = services.settings
        base = settings.public_base_url

        def absolute_of(ctx: Any) -> AbsoluteUrl:
            request: Request | None = ctx.request
            return public_links(base or (str(request.base_url) if request is not None else None))

        server = build_server(
            services=services, threads=SessionThreads(services), caller_of=_caller_of, absolute_of=absolute_of
        )
        manager = StreamableHTTPSessionManager(
            app=server,
            max_request_body_size=settings.api_max_code_body_bytes,
            security_settings=rebinding_guard(services.settings),
        )
        async with _running(manager):
            self._manager, self._services = manager, services
            try:
                yield
            finally:
                self._manager = self._services = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        manager, services = self._manager, self._services
        if scope["type"] != "http" or manager is None or services is None:
            await _error(send, 503, AppError("the MCP endpoint is not running"))
            return
        try:
            user_id = await self._authenticate(scope, receive, services)
        except AppError as exc:
            await _error(send, exc.status, exc)
            return
        scope[USER_KEY] = user_id
        # the SDK binds a session to the principal that opened it (never the token itself)
        scope["user"] = AuthenticatedUser(AccessToken(token="", client_id=str(user_id), scopes=[]))
        await manager.handle_request(scope, receive, send)

    @staticmethod
    async def _authenticate(scope: Scope, receive: Receive, services: AppServices) -> uuid.UUID:
        """The caller, exactly as an API route knows it (the same dependency, the same errors)."""
        async with services.sessionmaker() as session:
            user = await current_user(Request(scope, receive), services, session)
            await session.commit()
            return user.id
