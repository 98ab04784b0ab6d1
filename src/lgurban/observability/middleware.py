"""Every request gets an id (the caller's X-Request-ID when sane, else a new one), returned as X-Request-ID,
set in the logging context with the thread id of the path, and, with LOG_FORMAT=json, one access line."""

from __future__ import annotations

import logging
import os
import re
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lgurban.observability import metrics
from lgurban.observability.logs import request_id_var, thread_id_var

access_log = logging.getLogger("lgurban.access")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_THREAD_IN_PATH = re.compile(r"^/api/threads/([0-9a-fA-F-]{36})(?:/|$)")
# a shared link's token is a bearer secret (issue 19): the access line keeps only its id part
_SHARE_TOKEN = re.compile(r"^(/api/shared/|/s/)([^/.]*)\.[^/]*")


class RequestContext:
    def __init__(self, app: ASGIApp, access: bool = False) -> None:
        self.app, self.access = app, access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        # 32 random hex digits, as uuid4().hex gave, at a seventh of its cost (issue 18: it was per request)
        rid = given if _SANE_ID.match(given) else os.urandom(16).hex()
        path = scope.get("path", "")
        match = _THREAD_IN_PATH.match(path)
        tokens = [request_id_var.set(rid), thread_id_var.set(match.group(1).lower() if match else None)]
        status: dict[str, Any] = {"code": 500}
        start = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _count(scope, status["code"], time.perf_counter() - start)
            if self.access:  # the path only: a query string may hold a signed link's signature
                ms = round((time.perf_counter() - start) * 1000, 1)
                path = _SHARE_TOKEN.sub(r"\1\2.…", path)
                access_log.info(
                    "%s %s %s",
                    scope.get("method"),
                    path,
                    status["code"],
                    extra={
                        "method": scope.get("method"),
                        "path": path,
                        "status": status["code"],
                        "duration_ms": ms,
                    },
                )
            request_id_var.reset(tokens[0])
            thread_id_var.reset(tokens[1])


def _count(scope: Scope, status: int, seconds: float) -> None:
    """The request in the HTTP metrics, under its route template (`/api/threads/{thread_id}`), never the raw
    path; a path no route matched is `unmatched`."""
    route = getattr(scope.get("route"), "path", None) or "unmatched"
    method = str(scope.get("method", ""))
    labels = (route, method if method in _METHODS else "other", str(status))
    children = _CHILDREN.get(labels)
    if children is None:  # labels() validates and locks on every call: once per route/method/status instead
        children = _CHILDREN[labels] = (
            metrics.HTTP_REQUESTS.labels(*labels),
            metrics.HTTP_DURATION.labels(*labels),
        )
    children[0].inc()
    children[1].observe(seconds)


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# bounded: route templates (or "unmatched") x 8 methods x the statuses the app answers
_CHILDREN: dict[tuple[str, str, str], tuple[Any, Any]] = {}
