"""The sandbox host: an ordinary `SandboxManager` on the local backend, served to API replicas over HTTP.

A small ASGI app (no framework: six routes, and the execute stream must notice a client that goes away at
once, whatever the server's ASGI version) run by uvicorn on a unix socket or a TCP port. The wire format is
in host_wire.py. Cells of one thread queue on the manager's per-thread lock, whichever replica sent them, and
the host's sandboxes outlive every API process. The secret is compared in constant time and never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
import secrets
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from lgurban.errors import SandboxUnavailable
from lgurban.sandbox.backend import Backend, SandboxProcess
from lgurban.sandbox.host_wire import HEARTBEAT_S, MAX_BODY_BYTES, UNAUTHORIZED, encode_execution
from lgurban.sandbox.manager import SandboxManager
from lgurban.sandbox.types import StreamChunk
from lgurban.sandbox.workspace import Workspace

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_THREAD_ROUTE = re.compile(r"/v1/threads/([0-9a-fA-F-]{32,36})/(execute|interrupt|restart|remove)")


class TrackingBackend:
    """A backend that notes which process runs each thread's sandbox (the host reports it to clients)."""

    def __init__(self, inner: Backend) -> None:
        self.inner = inner
        self.name = inner.name
        self.handles: dict[uuid.UUID, str] = {}

    async def start(self) -> None:
        await self.inner.start()

    async def spawn(self, thread_id: uuid.UUID) -> SandboxProcess:
        proc = await self.inner.spawn(thread_id)
        self.handles[thread_id] = proc.external_id
        return proc

    def workspace(self, thread_id: uuid.UUID) -> Workspace:
        return self.inner.workspace(thread_id)

    async def check(self) -> str:
        return await self.inner.check()

    async def close(self) -> None:
        await self.inner.close()


class SandboxHostApp:
    """The ASGI app: lifespan starts and closes the manager; every request must carry the secret."""

    def __init__(self, manager: SandboxManager, backend: TrackingBackend, secret: str) -> None:
        if not secret:
            raise ValueError("the sandbox host needs a secret")
        self.manager = manager
        self.backend = backend
        self._secret = f"Bearer {secret}".encode()
        self.instance = secrets.token_hex(6)  # changes with every start: clients tell a restarted host by it

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        if not self._authorized(scope):
            peer = scope.get("client") or ("unix socket",)
            log.warning("refused a request from %s: wrong or missing SANDBOX_HOST_SECRET", peer[0])
            await _json(send, 401, {"code": UNAUTHORIZED, "message": "wrong or missing sandbox host secret"})
            return
        body = await _read_body(receive)
        if body is None:
            await _json(send, 413, {"code": "TOO_LARGE", "message": "request body too large"})
            return
        await self._route(scope, body, receive, send)

    def _authorized(self, scope: Scope) -> bool:
        given = next((v for k, v in scope.get("headers") or [] if k == b"authorization"), b"")
        return hmac.compare_digest(given, self._secret)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self.manager.start()
                log.info("sandbox host ready (instance %s)", self.instance)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.manager.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _route(self, scope: Scope, body: bytes, receive: Receive, send: Send) -> None:
        method, path = scope["method"], scope["path"]
        if method == "GET" and path == "/v1/health":
            check = await self.manager.check()
            await _json(
                send, 200, {"check": check, "live": self.manager.live_count(), "instance": self.instance}
            )
            return
        match = _THREAD_ROUTE.fullmatch(path)
        if method != "POST" or match is None:
            await _json(send, 404, {"code": "NOT_FOUND", "message": f"no route {method} {path}"})
            return
        thread_id, action = uuid.UUID(match[1]), match[2]
        try:
            if action == "execute":
                await self._execute(thread_id, body, receive, send)
                return
            if action == "interrupt":
                await self.manager.interrupt(thread_id)
            elif action == "restart":
                await self.manager.restart(thread_id)
            else:
                await self.manager.remove(thread_id)
                self.backend.handles.pop(thread_id, None)
        except SandboxUnavailable as exc:
            await _json(send, 503, {"code": exc.code, "message": exc.message})
            return
        await _json(send, 200, {"status": "ok"})

    async def _execute(self, thread_id: uuid.UUID, body: bytes, receive: Receive, send: Send) -> None:
        try:
            req = json.loads(body)
            code = str(req["code"])
            timeout = float(req["timeout_s"]) if req.get("timeout_s") is not None else None
            owner, cap = req.get("owner"), req.get("user_cap")
            if owner is not None and (not isinstance(owner, str) or len(owner) > 200):
                raise TypeError("owner")
            if cap is not None and (not isinstance(cap, int) or cap < 0):
                raise TypeError("user_cap")
        except (ValueError, KeyError, TypeError):
            expected = "expected {code, timeout_s, owner, user_cap}"
            await _json(send, 400, {"code": "INVALID_REQUEST", "message": expected})
            return
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

        async def on_output(chunk: StreamChunk) -> None:
            queue.put_nowait({"type": "output", "stream": chunk.stream, "text": chunk.text})

        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/x-ndjson")],
            }
        )
        run = asyncio.create_task(self._run(thread_id, code, (timeout, owner, cap), on_output, queue))
        gone: asyncio.Future[None] = asyncio.ensure_future(_disconnected(receive))
        getter: asyncio.Future[dict[str, Any]] | None = None
        try:
            while True:
                getter = getter or asyncio.ensure_future(queue.get())
                waiting: list[asyncio.Future[Any]] = [getter, gone]
                done, _ = await asyncio.wait(
                    waiting, timeout=HEARTBEAT_S, return_when=asyncio.FIRST_COMPLETED
                )
                if gone in done:  # the client went away: the finally below stops its cell
                    return
                item, getter = (getter.result(), None) if getter in done else ({"type": "wait"}, getter)
                await send(
                    {
                        "type": "http.response.body",
                        "body": json.dumps(item).encode() + b"\n",
                        "more_body": True,
                    }
                )
                if item["type"] not in ("output", "wait"):
                    break
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            for task in (run, gone, getter):
                if task is not None:
                    task.cancel()
            await asyncio.gather(run, gone, return_exceptions=True)

    async def _run(
        self,
        thread_id: uuid.UUID,
        code: str,
        limits: tuple[float | None, str | None, int | None],
        on_output: Callable[[StreamChunk], Awaitable[None]],
        queue: asyncio.Queue[dict[str, Any]],
    ) -> None:
        item: dict[str, Any]
        try:
            # owner: whose share of the host's slots, at most user_cap (the API's SANDBOX_MAX_PER_USER)
            timeout_s, owner, cap = limits
            result = await self.manager.execute(
                thread_id, code, timeout_s=timeout_s, on_output=on_output, owner=owner, user_cap=cap
            )
            item = {
                "type": "result",
                "execution": encode_execution(result),
                "sandbox": self.backend.handles.get(thread_id),
                "live": self.manager.live_count(),
                "instance": self.instance,
            }
        except SandboxUnavailable as exc:
            item = {"type": "unavailable", "code": exc.code, "message": exc.message}
        except Exception as exc:
            log.exception("a cell failed on the sandbox host")
            item = {"type": "unavailable", "message": f"the sandbox host failed ({type(exc).__name__})"}
        queue.put_nowait(item)


async def _read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b""
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _json(send: Send, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    with contextlib.suppress(OSError):
        await send({"type": "http.response.body", "body": data})
