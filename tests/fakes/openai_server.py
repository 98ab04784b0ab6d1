"""A fake OpenAI-compatible chat server that speaks the real wire protocol, with scripted replies.

The real `ChatOpenAI` client runs against it (OPENAI_BASE_URL=<server.url>, any OPENAI_API_KEY):
`POST /v1/chat/completions` answers streamed (SSE `chat.completion.chunk`s: a role delta, content token
deltas, tool-call deltas with the id/name first and the JSON arguments split over several chunks, the
finish_reason, a usage chunk when `stream_options.include_usage`, then `[DONE]`) or not streamed;
`GET /v1/models` lists models.

What it answers comes from a script:
- a queue of turns, served in order (a turn with `when` waits for a request it matches);
- rules, tried when no queued turn matches: `{"when": {...}, "reply": turn}`;
- otherwise a default text reply.

A turn: `{"content": str, "tool_calls": [{"name", "args": {...} | "arguments": "<raw, maybe malformed>",
"id"?}], "token_delay_s"?: float, "error"?: {"status": 429|500|..., "message"?}, "times"?: int (an error turn
answers this many requests), "drop_after_tokens"?: int (close the stream mid-reply), "when"?: {...}}`.
`when` keys (all optional, all must hold): `has_tools` (bool), `model`, `user_contains` (in the last user
message), `last_role` ("user"|"tool"), `tool_contains` (in the last tool message), `system_contains`.

Control over HTTP (for a server in another process): `POST /_script {"turns": [...], "rules": [...],
"reset": bool, "token_delay_s": float}`, `GET /_requests` (what the server was asked), `POST /_reset`.
In-process: `FakeOpenAI().start()` → `.url`, `.script(...)`, `.add_rule(...)`, `.requests`, `.stop()`;
`.bearers` (each completion's `Authorization: Bearer` key) and `.reject_key(key)` (401 for that key).
Run by hand: `uv run python -m tests.fakes.openai_server --port 8100 [--e2e]`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import json
import re
import signal
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

DEFAULT_REPLY = "This is the fake model's default answer."
_TOKEN = re.compile(r"\s*\S+|\s+")


def split_tokens(text: str) -> list[str]:
    """Word-sized pieces that join back to `text`."""
    return _TOKEN.findall(text) or ([text] if text else [])


def split_arguments(raw: str, pieces: int = 3) -> list[str]:
    """Cut a JSON argument string into a few chunks, the way real providers stream them."""
    if len(raw) < pieces:
        return [raw]
    step = max(1, len(raw) // pieces)
    return [raw[i : i + step] for i in range(0, len(raw), step)]


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def _last(messages: list[dict[str, Any]], role: str) -> str | None:
    for m in reversed(messages):
        if m.get("role") == role:
            return _text(m.get("content"))
    return None


def matches(when: dict[str, Any] | None, body: dict[str, Any]) -> bool:
    """Whether a request fits a turn's or a rule's `when` conditions."""
    if not when:
        return True
    messages = body.get("messages", [])
    checks = {
        "has_tools": lambda v: bool(body.get("tools")) == v,
        "model": lambda v: body.get("model") == v,
        "user_contains": lambda v: v.lower() in (_last(messages, "user") or "").lower(),
        "last_role": lambda v: bool(messages) and messages[-1].get("role") == v,
        "tool_contains": lambda v: v.lower() in (_last(messages, "tool") or "").lower(),
        "system_contains": lambda v: v.lower() in (_last(messages, "system") or "").lower(),
    }
    return all(checks[key](value) for key, value in when.items())


class Script:
    """The queue, rules and request log, shared by the HTTP handlers and the in-process helper."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.turns: list[dict[str, Any]] = []
        self.rules: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        # (received, finished) monotonic times of each completion: the model's share of a run's time
        self.timings: list[tuple[float, float]] = []
        self.token_delay_s = 0.0
        self.bearers: list[str | None] = []  # each completion's `Authorization: Bearer` key, in order
        self.rejected_keys: set[str] = set()  # answered 401 invalid_api_key, like OpenAI does

    def reset(self) -> None:
        with self.lock:
            self.turns.clear()
            self.rules.clear()
            self.requests.clear()
            self.timings.clear()
            self.token_delay_s = 0.0
            self.bearers.clear()
            self.rejected_keys.clear()

    def next_turn(self, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self.requests.append(copy.deepcopy(body))
            for i, turn in enumerate(self.turns):
                if matches(turn.get("when"), body):
                    times = int(turn.get("times", 1))
                    if times > 1:
                        turn["times"] = times - 1
                    else:
                        self.turns.pop(i)
                    return turn
            for rule in self.rules:
                if matches(rule.get("when"), body):
                    return rule["reply"]
            return {"content": DEFAULT_REPLY}


def _usage(body: dict[str, Any], completion_tokens: int) -> dict[str, int]:
    prompt = sum(len(json.dumps(m)) for m in body.get("messages", [])) // 4 + 1
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt + completion_tokens,
    }


def _tool_calls(turn: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for i, call in enumerate(turn.get("tool_calls") or []):
        raw = call["arguments"] if "arguments" in call else json.dumps(call.get("args", {}))
        out.append(
            {
                "id": call.get("id") or f"call_{uuid.uuid4().hex[:12]}",
                "name": call["name"],
                "raw": raw,
                "i": i,
            }
        )
    return out


def _error_response(turn: dict[str, Any]) -> JSONResponse:
    error = turn["error"]
    status = int(error.get("status", 500))
    kind = {429: "rate_limit_error", 401: "authentication_error", 400: "invalid_request_error"}.get(
        status, "server_error"
    )
    body = {"error": {"message": error.get("message", f"fake error {status}"), "type": kind, "code": None}}
    return JSONResponse(body, status_code=status)


class FakeOpenAI:
    """The server: start() it in a background thread on a free port, stop() it when done."""

    def __init__(self, port: int | None = None) -> None:
        self.state = Script()
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.app = Starlette(
            routes=[
                Route("/v1/chat/completions", self._completions, methods=["POST"]),
                Route("/v1/models", self._models, methods=["GET"]),
                Route("/_script", self._script, methods=["POST"]),
                Route("/_requests", self._requests, methods=["GET"]),
                Route("/_reset", self._reset, methods=["POST"]),
            ]
        )
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # --- in-process control ---
    def script(self, *turns: dict[str, Any]) -> FakeOpenAI:
        """Queue turns, served in order to the requests they match."""
        with self.state.lock:
            self.state.turns.extend(copy.deepcopy(list(turns)))
        return self

    def add_rule(self, when: dict[str, Any], reply: dict[str, Any]) -> FakeOpenAI:
        with self.state.lock:
            self.state.rules.append({"when": when, "reply": reply})
        return self

    def reject_key(self, key: str) -> FakeOpenAI:
        """Answer every completion sent with this bearer key 401 (invalid_api_key), without a turn."""
        with self.state.lock:
            self.state.rejected_keys.add(key)
        return self

    @property
    def bearers(self) -> list[str | None]:
        """The bearer key of each completion request, in order (None: no Authorization header)."""
        with self.state.lock:
            return list(self.state.bearers)

    def set_token_delay(self, seconds: float) -> None:
        self.state.token_delay_s = seconds

    def reset(self) -> None:
        self.state.reset()

    @property
    def requests(self) -> list[dict[str, Any]]:
        with self.state.lock:
            return list(self.state.requests)

    @property
    def analyst_requests(self) -> list[dict[str, Any]]:
        """The analyst's calls: not the title's (no tools) nor the reviewer's (its own system prompt)."""
        return [
            r
            for r in self.requests
            if r.get("tools") and "You are LG-Urban" in str(r["messages"][0].get("content"))
        ]

    @property
    def pending(self) -> int:
        with self.state.lock:
            return len(self.state.turns)

    # --- life-cycle ---
    def start(self) -> FakeOpenAI:
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True, name="fake-openai")
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("fake OpenAI server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- HTTP handlers ---
    async def _models(self, _: Request) -> JSONResponse:
        names = ["fake-analyst", "fake-helper", "gpt-4.1-mini"]
        return JSONResponse(
            {
                "object": "list",
                "data": [{"id": n, "object": "model", "created": 0, "owned_by": "fake"} for n in names],
            }
        )

    async def _script(self, request: Request) -> JSONResponse:
        body = await request.json()
        if body.get("reset"):
            self.state.reset()
        self.script(*body.get("turns", []))
        for rule in body.get("rules", []):
            self.add_rule(rule.get("when") or {}, rule["reply"])
        if "token_delay_s" in body:
            self.set_token_delay(float(body["token_delay_s"]))
        return JSONResponse({"queued": self.pending})

    async def _requests(self, _: Request) -> JSONResponse:
        return JSONResponse({"items": self.requests})

    async def _reset(self, _: Request) -> JSONResponse:
        self.state.reset()
        return JSONResponse({"ok": True})

    async def _completions(self, request: Request) -> Response:
        received = time.monotonic()
        body = await request.json()
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        bearer = key.strip() if scheme.lower() == "bearer" else None
        with self.state.lock:
            self.state.bearers.append(bearer)
            rejected = bearer in self.state.rejected_keys
        if rejected:
            message = "Incorrect API key provided. You can find your API key at your provider."
            return JSONResponse(
                {"error": {"message": message, "type": "invalid_request_error", "code": "invalid_api_key"}},
                status_code=401,
            )
        turn = self.state.next_turn(body)
        if turn.get("error"):
            return _error_response(turn)
        model = body.get("model", "fake-analyst")
        if body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            chunks = self._chunks(turn, body, model, include_usage)
            return StreamingResponse(self._timed(chunks, received), media_type="text/event-stream")
        reply = JSONResponse(self._completion(turn, body, model))
        self._record_timing(received)
        return reply

    async def _timed(self, chunks: AsyncIterator[bytes], received: float) -> AsyncIterator[bytes]:
        async for chunk in chunks:
            yield chunk
        self._record_timing(received)

    def _record_timing(self, received: float) -> None:
        with self.state.lock:
            self.state.timings.append((received, time.monotonic()))

    @property
    def timings(self) -> list[tuple[float, float]]:
        with self.state.lock:
            return list(self.state.timings)

    def _completion(self, turn: dict[str, Any], body: dict[str, Any], model: str) -> dict[str, Any]:
        calls = _tool_calls(turn)
        content = turn.get("content", "" if calls else DEFAULT_REPLY)
        message: dict[str, Any] = {"role": "assistant", "content": content or None}
        if calls:
            message["tool_calls"] = [
                {"id": c["id"], "type": "function", "function": {"name": c["name"], "arguments": c["raw"]}}
                for c in calls
            ]
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": "tool_calls" if calls else "stop",
                    "logprobs": None,
                }
            ],
            "usage": _usage(body, len(split_tokens(content or ""))),
        }

    async def _chunks(
        self, turn: dict[str, Any], body: dict[str, Any], model: str, include_usage: bool
    ) -> AsyncIterator[bytes]:
        ident, created = f"chatcmpl-{uuid.uuid4().hex[:12]}", int(time.time())
        delay = float(turn.get("token_delay_s", self.state.token_delay_s))
        drop_after = turn.get("drop_after_tokens")

        def chunk(delta: dict[str, Any], finish: str | None = None, usage: Any = None) -> bytes:
            data: dict[str, Any] = {
                "id": ident,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": []
                if usage
                else [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
            }
            if usage:
                data["usage"] = usage
            return f"data: {json.dumps(data)}\n\n".encode()

        calls = _tool_calls(turn)
        content = turn.get("content", "" if calls else DEFAULT_REPLY)
        yield chunk({"role": "assistant", "content": ""})
        sent = 0
        for token in split_tokens(content):
            if drop_after is not None and sent >= drop_after:
                raise ConnectionResetError("fake model dropped the stream")  # closes the connection mid-reply
            if delay:
                await asyncio.sleep(delay)
            yield chunk({"content": token})
            sent += 1
        for call in calls:
            yield chunk(
                {
                    "tool_calls": [
                        {
                            "index": call["i"],
                            "id": call["id"],
                            "type": "function",
                            "function": {"name": call["name"], "arguments": ""},
                        }
                    ]
                }
            )
            for piece in split_arguments(call["raw"]):
                if delay:
                    await asyncio.sleep(delay)
                yield chunk({"tool_calls": [{"index": call["i"], "function": {"arguments": piece}}]})
                sent += 1
        yield chunk({}, finish="tool_calls" if calls else "stop")
        if include_usage:
            yield chunk({}, usage=_usage(body, sent))
        yield b"data: [DONE]\n\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- the script the browser tests and manual runs use -------------------------------------------------

PLOT_CODE = """import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
counts = [120, 340, 560, 410, 230]
print("rows:", len(counts))
print("busiest: Wed", max(counts))
fig, ax = plt.subplots()
ax.bar(["Mon", "Tue", "Wed", "Thu", "Fri"], counts)
ax.set_title("Bike counts")
fig.savefig("artifacts/bike_counts.png")
print("saved artifacts/bike_counts.png")
"""

SLOW_CODE = """import time
for i in range(120):
    print("step", i, flush=True)
    time.sleep(0.5)
"""


def e2e_rules(fake: FakeOpenAI) -> FakeOpenAI:
    """Rules for the browser tests: "plot" → code that saves a PNG, then an answer; "slow" → long code; the
    reviewer (issue 15) scores every answer 5/5; the report writer (issue 15) writes a fixed body."""
    scores = {"completeness": 5, "relevancy": 5, "critique": ""}
    fake.add_rule(
        {"has_tools": True, "system_contains": "You review the final answer"},
        {"tool_calls": [{"name": "ReviewScores", "args": scores}]},
    )
    fake.add_rule(
        {"has_tools": True, "last_role": "user", "user_contains": "plot"},
        {"tool_calls": [{"name": "execute_code", "args": {"code": PLOT_CODE}}], "token_delay_s": 0.01},
    )
    fake.add_rule(
        {"has_tools": True, "last_role": "tool", "user_contains": "plot"},
        {
            "content": "The chart **bike_counts.png** shows the counts per weekday: Wednesday is the busiest "
            "day with **560** cyclists.",
            "token_delay_s": 0.02,
        },
    )
    fake.add_rule(
        {"has_tools": True, "last_role": "user", "user_contains": "slow"},
        {"tool_calls": [{"name": "execute_code", "args": {"code": SLOW_CODE}}]},
    )
    fake.add_rule(
        {"has_tools": True, "last_role": "tool", "user_contains": "slow"},
        {"content": "The slow analysis finished."},
    )
    fake.add_rule(  # the report writer (issue 15): the body of the draft
        {"has_tools": False, "system_contains": "You write reports"},
        {
            "content": "# Bike counts report\n\n## Question\n\nWhich day is the busiest?\n\n## Method\n\n"
            "The daily counts, summed per weekday.\n\n## Findings\n\n- Wednesday is the busiest day."
        },
    )
    fake.add_rule({"has_tools": False}, {"content": "Bike counts in Bologna"})
    fake.add_rule(
        {"has_tools": True},
        {"content": "I am a scripted model. Ask me to *plot* something.", "token_delay_s": 0.02},
    )
    return fake


@contextlib.contextmanager
def serve_e2e() -> Iterator[FakeOpenAI]:
    """The fake model with the browser tests' rules, for the duration of the block."""
    fake = e2e_rules(FakeOpenAI()).start()
    try:
        yield fake
    finally:
        fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="Fake OpenAI-compatible chat server with scripted replies.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--e2e", action="store_true", help="load the browser tests' rules")
    parser.add_argument("--token-delay", type=float, default=0.0)
    args = parser.parse_args()
    fake = FakeOpenAI(port=args.port or None)
    if args.e2e:
        e2e_rules(fake)
    fake.set_token_delay(args.token_delay)
    fake.start()
    print(json.dumps({"url": fake.url}), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    fake.stop()


if __name__ == "__main__":
    main()
