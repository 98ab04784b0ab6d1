"""Host side of the driver protocol (driver.PROTOCOL_VERSION): requests out, replies matched by id.

The sandbox side is hostile (cell code can write on the driver's channel), so the host holds its own limits
while it reads: lines are read incrementally and one longer than the message limit is skipped up to its
newline without being held; stdout/stderr beyond the output limit are only counted; every message is checked
before use and what is wrong is recorded on the running request (see messages.py), never raised.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from lgurban.sandbox.backend import SandboxProcess
from lgurban.sandbox.driver import PROTOCOL_VERSION
from lgurban.sandbox.messages import MAX_VIOLATIONS_KEPT, Limits, Reply, bad_text, utf8_size
from lgurban.sandbox.types import StreamChunk

log = logging.getLogger(__name__)

OnOutput = Callable[[StreamChunk], Awaitable[None]]
READ_CHUNK = 256 * 1024
HEAD_KEPT = 512  # of a line over the limit: enough to tell whose result it was
_RESULT_HEAD = re.compile(rb'^\{\s*"id"\s*:\s*"([^"\\]{1,40})"\s*,\s*"type"\s*:\s*"result"')


def encode(msg: dict[str, Any]) -> bytes:
    return (json.dumps({"v": PROTOCOL_VERSION, **msg}, separators=(",", ":")) + "\n").encode()


class DriverGone(Exception):
    """The driver's channel closed (crash, kill, exit)."""


@dataclass
class Oversized:
    """A line longer than the message limit: its size and first bytes; the rest was never held."""

    size: int
    head: bytes


class LineReader:
    """Lines (without their newline) from a byte stream, each at most `limit` bytes; None at the end."""

    def __init__(self, read: Callable[[int], Awaitable[bytes]], limit: int) -> None:
        self._read, self.limit = read, limit
        self._buf = bytearray()
        self._start = 0  # where the next line begins in _buf
        self._eof = False

    async def next(self) -> bytes | Oversized | None:
        skipped, head = 0, b""
        while True:
            end = self._buf.find(b"\n", self._start)
            if end >= 0:
                line = bytes(self._buf[self._start : end])
                self._start = end + 1
                if skipped or len(line) > self.limit:
                    return Oversized(skipped + len(line) + 1, head or line[:HEAD_KEPT])
                return line
            pending = len(self._buf) - self._start
            if skipped or pending > self.limit:  # too long: count it, keep nothing but its head
                head = head or bytes(self._buf[self._start : self._start + HEAD_KEPT])
                skipped += pending
                self._buf.clear()
                self._start = 0
            elif self._start:
                del self._buf[: self._start]
                self._start = 0
            if self._eof:
                return None  # a last line without its newline is incomplete: dropped
            chunk = await self._read(READ_CHUNK)
            if not chunk:
                self._eof = True
                continue
            self._buf += chunk
            await asyncio.sleep(0)  # a flood must not keep the event loop to itself


class StreamCap:
    """stdout/stderr of one request, at most `limit` bytes together: the head is kept, the rest counted."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self.parts: dict[str, list[str]] = {"stdout": [], "stderr": []}
        self.dropped = {"stdout": 0, "stderr": 0}

    def full(self) -> bool:
        return self.used >= self.limit

    def add(self, name: str, text: str, size: int) -> str:
        """Keep what fits of `text` (`size` bytes in UTF-8); returns the part kept."""
        room = self.limit - self.used
        if size > room:
            text = text.encode()[: max(room, 0)].decode("utf-8", "ignore")
            kept = utf8_size(text)
        else:
            kept = size
        self.used += kept
        self.dropped[name] += size - kept
        if text:
            self.parts[name].append(text)
        return text


@dataclass
class _Pending:
    future: asyncio.Future[Reply]
    on_output: OnOutput | None
    streams: StreamCap
    violations: list[str] = field(default_factory=list)
    more_violations: int = 0  # past the first few, only counted (a flood of bad lines holds nothing)

    def violate(self, what: str) -> None:
        if len(self.violations) < MAX_VIOLATIONS_KEPT:
            self.violations.append(what)
        else:
            self.more_violations += 1

    def reply(self, msg: dict[str, Any]) -> Reply:
        return Reply(
            msg=msg,
            stdout="".join(self.streams.parts["stdout"]),
            stderr="".join(self.streams.parts["stderr"]),
            dropped=dict(self.streams.dropped),
            violations=list(self.violations),
            more_violations=self.more_violations,
        )


class DriverClient:
    """Talks to one driver: one reader task dispatches every reply to the request with the same id."""

    def __init__(self, proc: SandboxProcess, limits: Limits | None = None) -> None:
        self.proc = proc
        self.limits = limits or Limits()
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
        lines = LineReader(self.proc.read, self.limits.message_bytes)
        try:
            while (line := await lines.next()) is not None:
                if isinstance(line, Oversized):
                    self._oversized(line)
                    continue
                try:
                    msg = json.loads(line)
                except (ValueError, RecursionError):  # not JSON, not UTF-8, nested too deep
                    self._violation("the sandbox wrote a line that is not a JSON message")
                    continue
                if isinstance(msg, dict):
                    await self._dispatch(msg)
                else:
                    self._violation("the sandbox wrote a message that is not a JSON object")
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

    def _violation(self, what: str) -> None:
        """Something no well-behaved driver sends: recorded on every request waiting (one cell at a time)."""
        log.warning("sandbox %s: %s", self.proc.external_id, what)
        for pending in self._pending.values():
            pending.violate(what)

    def _oversized(self, line: Oversized) -> None:
        limit = self.limits.message_bytes
        self._violation(
            f"the sandbox sent a message of {line.size:,} bytes, over the {limit:,}-byte limit "
            "(SANDBOX_MESSAGE_LIMIT_BYTES); it was dropped"
        )
        match = _RESULT_HEAD.match(line.head)
        if match is not None:  # it was the result itself: the request ends here, without its content
            req_id = match.group(1).decode()
            pending = self._pending.pop(req_id, None)
            if pending is not None and not pending.future.done():
                pending.future.set_result(pending.reply({"type": "result", "id": req_id}))

    async def _dispatch(self, msg: dict[str, Any]) -> None:
        kind = msg.get("type")
        if kind == "exit":  # the first account is the most specific (the driver's own set-up failure)
            reason = msg.get("reason")
            self.exit_info = self.exit_info or (str(reason)[:500] if isinstance(reason, str) else "")
            return
        if kind == "ready":
            if not self.ready.done():
                self.ready.set_result(msg)
            return
        pending = self._pending.get(str(msg.get("id")))
        if pending is None:
            return
        if kind == "stream":
            await self._stream(pending, msg)
        elif kind in ("result", "pong", "error"):
            del self._pending[str(msg["id"])]
            if not pending.future.done():
                pending.future.set_result(pending.reply(msg))
        else:
            pending.violate(f"the sandbox sent a message of unknown type {str(kind)[:40]!r}")

    async def _stream(self, pending: _Pending, msg: dict[str, Any]) -> None:
        name, text = msg.get("name"), msg.get("text")
        if name not in ("stdout", "stderr") or not isinstance(text, str):
            pending.violate("the sandbox sent a malformed stream message")
            return
        size = utf8_size(text) if not bad_text(text) else -1
        if size < 0:
            pending.violate(f"the sandbox sent {name} text with a NUL byte or a lone surrogate")
            return
        if pending.streams.full():
            pending.streams.dropped[name] += size
            return
        kept = pending.streams.add(name, text, size)
        if kept and pending.on_output is not None:
            try:
                await pending.on_output(StreamChunk(stream=name, text=kept))
            except Exception:
                log.exception("on_output callback failed; output is still collected")

    async def request(
        self, msg: dict[str, Any], on_output: OnOutput | None = None
    ) -> tuple[str, asyncio.Future[Reply]]:
        """Send a request; returns its id and a future resolved with the matching reply."""
        if self.closed.is_set():
            raise DriverGone(self.reason())
        req_id = self.next_id()
        future: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        self._pending[req_id] = _Pending(future, on_output, StreamCap(self.limits.stream_bytes))
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
