"""Host side of the driver protocol (driver.PROTOCOL_VERSION): requests out, replies matched by id."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from lgurban.sandbox.backend import SandboxProcess
from lgurban.sandbox.driver import PROTOCOL_VERSION
from lgurban.sandbox.types import StreamChunk

log = logging.getLogger(__name__)

OnOutput = Callable[[StreamChunk], Awaitable[None]]


def encode(msg: dict[str, Any]) -> bytes:
    return (json.dumps({"v": PROTOCOL_VERSION, **msg}, separators=(",", ":")) + "\n").encode()


class DriverGone(Exception):
    """The driver's channel closed (crash, kill, exit)."""


@dataclass
class _Pending:
    future: asyncio.Future[dict[str, Any]]
    on_output: OnOutput | None
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)


class DriverClient:
    """Talks to one driver: one reader task dispatches every reply to the request with the same id."""

    def __init__(self, proc: SandboxProcess) -> None:
        self.proc = proc
        self._ids = itertools.count(1)
        self._pending: dict[str, _Pending] = {}
        self.ready: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.closed = asyncio.Event()
        self.exit_info: str | None = (
            None  # the backend's own account of how the process ended, if it sent one
        )
        self._reader = asyncio.create_task(self._read_loop())

    def reason(self) -> str:
        return self.exit_info or self.proc.exit_reason() or "the sandbox process stopped"

    def next_id(self) -> str:
        return f"r{next(self._ids)}"

    async def _read_loop(self) -> None:
        try:
            while True:
                line = await self.proc.readline()
                if not line:
                    break
                try:
                    msg = json.loads(line)
                except ValueError:
                    log.warning("sandbox %s wrote a line that is not JSON; ignored", self.proc.external_id)
                    continue
                if isinstance(msg, dict):
                    await self._dispatch(msg)
        except Exception as exc:  # the channel broke: everyone waiting learns it below
            log.info("sandbox %s channel closed: %r", self.proc.external_id, exc)
        finally:
            self.closed.set()
            gone = DriverGone(self.reason())
            if not self.ready.done():
                self.ready.set_exception(gone)
                self.ready.exception()  # retrieved: nobody may be waiting any more
            for pending in self._pending.values():
                if not pending.future.done():
                    pending.future.set_exception(gone)
            self._pending.clear()

    async def _dispatch(self, msg: dict[str, Any]) -> None:
        kind = msg.get("type")
        if kind == "exit":  # the first account is the most specific (the driver's own set-up failure)
            self.exit_info = self.exit_info or str(msg.get("reason") or "")
            return
        if kind == "ready":
            if not self.ready.done():
                self.ready.set_result(msg)
            return
        pending = self._pending.get(str(msg.get("id")))
        if pending is None:
            return
        if kind == "stream":
            name, text = msg.get("name"), str(msg.get("text", ""))
            if name not in ("stdout", "stderr"):
                return
            (pending.stdout if name == "stdout" else pending.stderr).append(text)
            if pending.on_output is not None:
                try:
                    await pending.on_output(StreamChunk(stream=name, text=text))
                except Exception:
                    log.exception("on_output callback failed; output is still collected")
        elif kind in ("result", "pong", "error"):
            del self._pending[str(msg["id"])]
            msg["stdout"] = "".join(pending.stdout)
            msg["stderr"] = "".join(pending.stderr)
            if not pending.future.done():
                pending.future.set_result(msg)

    async def request(
        self, msg: dict[str, Any], on_output: OnOutput | None = None
    ) -> tuple[str, asyncio.Future[dict[str, Any]]]:
        """Send a request; returns its id and a future resolved with the matching reply."""
        if self.closed.is_set():
            raise DriverGone(self.reason())
        req_id = self.next_id()
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[req_id] = _Pending(future, on_output)
        try:
            await self.proc.send(encode({**msg, "id": req_id}))
        except Exception as exc:
            self._pending.pop(req_id, None)
            raise DriverGone(self.proc.exit_reason() or f"could not write to the sandbox ({exc!r})") from exc
        return req_id, future

    async def interrupt(self, target: str | None = None) -> None:
        try:
            await self.proc.send(encode({"id": self.next_id(), "type": "interrupt", "target": target}))
        except Exception:
            log.info("interrupt not delivered: sandbox %s is gone", self.proc.external_id)

    async def close(self) -> None:
        await self.proc.kill()
        self._reader.cancel()
        try:
            await self._reader
        except (asyncio.CancelledError, Exception):
            pass
