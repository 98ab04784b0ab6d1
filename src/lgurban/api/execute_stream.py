"""The streaming form of `/execute` (issue 14, the Notebook panel): the cell's output as it is produced.

Asked for with `Accept: text/event-stream`. Frames (SSE):
- `event: output`, `data: {"stream": "stdout" | "stderr", "text": "..."}`, as the sandbox sends them (chunks
  waiting together are sent as one frame per stream); what is streamed is what the sandbox keeps of the
  cell's stdout/stderr (the same output limit: past it, nothing more is streamed, and the result says so);
- `: keepalive` comments while the cell is quiet;
- one `event: result`, `data:` the ExecutionOut (as the JSON form answers), last; or, when the sandbox
  cannot run the cell, one `event: error`, `data: {"error": {"code", "message"}}` (as a JSON error body).
A client that closes the connection interrupts the cell (variables kept), as with the JSON form.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from lgurban.errors import AppError
from lgurban.execution import ExecutionOut
from lgurban.sandbox.types import StreamChunk

log = logging.getLogger(__name__)

KEEPALIVE_S = 1.0  # a quiet cell still sends a comment now and then: a gone client is noticed by any server
EXECUTE_STREAM_DOC = (
    "With `Accept: text/event-stream` the answer is an SSE stream instead: `output` events "
    '(`{"stream": "stdout"|"stderr", "text": "..."}`) while the cell runs, capped like the stored output, '
    "then one `result` event with the ExecutionOut (or one `error` event with the usual error body). "
    "Closing the connection interrupts the cell; its variables are kept."
)
STREAM_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The execution; or, with `Accept: text/event-stream`, its SSE stream",
        "content": {"text/event-stream": {"schema": {"type": "string", "description": EXECUTE_STREAM_DOC}}},
    }
}

RunCell = Callable[[Callable[[StreamChunk], Awaitable[None]]], Awaitable[ExecutionOut]]
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


class CellStream(StreamingResponse):
    """The SSE answer of a streamed cell. However the response ends (done, the client gone while a frame was
    being sent), its frames are closed at once, so the cell is interrupted then, not when collected."""

    def __init__(self, run: RunCell) -> None:
        self.frames = stream_cell(run)
        super().__init__(self.frames, media_type="text/event-stream", headers=SSE_HEADERS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self.frames.aclose()


def wants_stream(accept: str | None) -> bool:
    """True when the client asks for the SSE form (Accept names text/event-stream)."""
    return accept is not None and "text/event-stream" in accept.lower()


def frame(event: str, data: str) -> str:
    return f"event: {event}\ndata: {data}\n\n"


def _coalesced(first: StreamChunk, queue: asyncio.Queue[StreamChunk | None]) -> list[StreamChunk]:
    """The chunk and every chunk already waiting behind it, joined per run of the same stream."""
    out = [first]
    while not queue.empty():
        nxt = queue.get_nowait()
        if nxt is None:
            queue.put_nowait(None)  # the end stays for the loop to see (after what came before it)
            break
        if nxt.stream == out[-1].stream:
            out[-1] = StreamChunk(stream=nxt.stream, text=out[-1].text + nxt.text)
        else:
            out.append(nxt)
    return out


async def stream_cell(run: RunCell) -> AsyncGenerator[str, None]:
    """Run the cell (`run(on_output)`), yield its SSE frames; cancelled (the client went): the cell is too."""
    queue: asyncio.Queue[StreamChunk | None] = asyncio.Queue()

    async def on_output(chunk: StreamChunk) -> None:
        queue.put_nowait(chunk)  # bounded: the sandbox passes on only what fits in the output limit

    cell = asyncio.ensure_future(run(on_output))
    cell.add_done_callback(lambda _: queue.put_nowait(None))
    getter: asyncio.Future[StreamChunk | None] | None = None
    try:
        while True:
            getter = getter or asyncio.ensure_future(queue.get())
            done, _ = await asyncio.wait({getter}, timeout=KEEPALIVE_S)
            if not done:
                yield ": keepalive\n\n"
                continue
            item, getter = getter.result(), None
            if item is None:
                break
            for chunk in _coalesced(item, queue):
                yield frame("output", json.dumps({"stream": chunk.stream, "text": chunk.text}))
        yield _final(cell)
    finally:
        if getter is not None:
            getter.cancel()
        if not cell.done():  # the client went (the response was cancelled): the cell stops too
            cell.cancel()  # the sandbox manager interrupts a cell whose caller is cancelled
            with contextlib.suppress(asyncio.CancelledError):
                await cell


def _final(cell: asyncio.Future[ExecutionOut]) -> str:
    exc = cell.exception()
    if exc is None:
        return frame("result", cell.result().model_dump_json())
    if isinstance(exc, AppError):
        body = {"code": exc.code, "message": exc.message, "status": exc.status}
    else:
        log.error("streamed cell failed", exc_info=exc)
        body = {"code": "INTERNAL_ERROR", "message": "Internal server error", "status": 500}
    return frame("error", json.dumps({"error": body}))
