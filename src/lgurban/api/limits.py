"""The outermost guard of every HTTP request: a body cap by route before anything reads it, and a 500 that
says `Connection: close` instead of a dropped connection.

Pure ASGI (no BaseHTTPMiddleware): a declared Content-Length over the route's cap is answered 413 before a
byte of the body is read; a chunked body is counted while the app reads it and cut at the cap."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# the routes whose body is code (ExecuteIn.code: up to 1,000,000 characters, JSON-escaped)
# (and /mcp, issue 22: its run_code calls carry code too)
_CODE_ROUTES = re.compile(r"^(/api/threads/[^/]+/execute|/mcp)$")
# issue 14: a file upload (multipart): UPLOAD_MAX_MB plus room for the form's own lines and headers
_UPLOAD_ROUTES = re.compile(r"^/api/threads/[^/]+/files$")
UPLOAD_FORM_OVERHEAD = 64 * 1024


class BodyTooLarge(HTTPException):
    """Raised from `receive` once a streamed body passes the cap (FastAPI re-raises HTTPExceptions)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than the {limit:,} bytes this route accepts")
        self.limit = limit


def body_limit(path: str, *, default: int, code: int, upload: int | None = None) -> int:
    if upload is not None and _UPLOAD_ROUTES.match(path):
        return upload + UPLOAD_FORM_OVERHEAD
    return code if _CODE_ROUTES.match(path) else default


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _send_error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),  # the rest of the request is not read: say so, then close
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestGuard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_code_body_bytes: int,
        max_upload_bytes: int | None = None,
    ) -> None:
        self.app = app
        self.default = max_body_bytes
        self.code = max_code_body_bytes
        self.upload = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"], default=self.default, code=self.code, upload=self.upload)
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _send_error(send, 413, "PAYLOAD_TOO_LARGE", BodyTooLarge(limit).detail)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge as exc:
            if started:
                raise
            await _send_error(send, 413, "PAYLOAD_TOO_LARGE", exc.detail)
        except Exception:
            if started:  # nothing sane can follow a started response: the server drops the connection
                raise
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            await _send_error(send, 500, "INTERNAL_ERROR", "Internal server error")
