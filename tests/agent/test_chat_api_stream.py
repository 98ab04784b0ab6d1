"""The SSE stream on the wire: events split across network chunks, clients that leave, artifacts."""

from __future__ import annotations

import asyncio
import base64
import codecs
import json
import random
import uuid
from typing import Any

import httpx
from tests.agent.conftest import ChatApp, names, send

from lgurban.db.models import Run

TEXT = "La città è più bella in bici — 🚲 porticos: 62 km; «Bologna la dotta»."


class SSEParser:
    """An incremental text/event-stream parser (the HTML spec's rules), fed arbitrary byte chunks."""

    def __init__(self) -> None:
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.line = ""
        self.event, self.data, self.last_id = "", [], ""  # type: ignore[var-annotated]
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.comments: list[str] = []

    def feed(self, chunk: bytes) -> None:
        text = self.line + self.decoder.decode(chunk)
        *lines, self.line = text.replace("\r\n", "\n").split("\n")
        for line in lines:
            self._line(line)

    def _line(self, line: str) -> None:
        if line == "":
            if self.data:
                self.events.append((self.event or "message", json.loads("\n".join(self.data))))
            self.event, self.data = "", []
        elif line.startswith(":"):
            self.comments.append(line[1:].strip())
        else:
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "event":
                self.event = value
            elif name == "data":
                self.data.append(value)
            elif name == "id":
                self.last_id = value


def feed_split(raw: bytes, cuts: list[int]) -> SSEParser:
    parser = SSEParser()
    start = 0
    for cut in [*sorted(cuts), len(raw)]:
        parser.feed(raw[start:cut])
        start = cut
    return parser


async def test_events_split_across_network_chunks(chat: ChatApp) -> None:
    chat.fake.script(
        {"content": TEXT, "tool_calls": [{"name": "wait", "args": {"seconds": 0.5}}], "token_delay_s": 0.01},
        {"content": TEXT},
    )
    tid = await chat.thread()
    rng = random.Random(7)
    parser = SSEParser()
    raw = b""
    async with chat.client.stream("POST", f"/api/threads/{tid}/messages", json={"content": "ciao"}) as r:
        async for network_chunk in r.aiter_raw():
            raw += network_chunk
            # a client reading arbitrary amounts: cut what the network gave into random small pieces
            i = 0
            while i < len(network_chunk):
                size = rng.randint(1, 13)
                parser.feed(network_chunk[i : i + size])
                i += size
    assert parser.events[0][0] == "run_started" and parser.events[-1][0] == "done"
    tokens = "".join(d["text"] for e, d in parser.events if e == "token")
    assert tokens == TEXT + TEXT
    assert "keepalive" in parser.comments  # the tool waits longer than the 0.2 s keepalive interval
    assert int(parser.last_id) == len(parser.events)
    # the same bytes cut at every position, and at random multi-cut positions, parse the same
    for cut in range(len(raw)):
        assert feed_split(raw, [cut]).events == parser.events
    for _ in range(50):
        cuts = rng.sample(range(len(raw)), k=20)
        assert feed_split(raw, cuts).events == parser.events


async def test_client_that_disconnects_does_not_lose_the_run(chat: ChatApp) -> None:
    answer = "one two three four five six seven eight nine ten"
    chat.fake.script(
        {"content": "Working.", "tool_calls": [{"name": "execute_code", "args": {"code": "print(6 * 7)"}}]},
        {"content": answer, "token_delay_s": 0.05},
    )
    tid = await chat.thread()
    async with httpx.AsyncClient(base_url=chat.server.url, timeout=10) as leaving:
        async with leaving.stream("POST", f"/api/threads/{tid}/messages", json={"content": "go"}) as r:
            async for line in r.aiter_lines():
                if line == "event: token":
                    break  # the client goes away (closes the connection) mid-run
    for _ in range(200):
        state = (await chat.client.get(f"/api/threads/{tid}/state")).json()
        if not state["running"]:
            break
        await asyncio.sleep(0.05)
    assert state["running"] is False
    items = (await chat.client.get(f"/api/threads/{tid}/messages")).json()["items"]
    assert [m["role"] for m in items] == ["user", "assistant", "tool", "assistant"]
    assert items[2]["meta"]["output"] == "42\n" and items[-1]["content"] == answer
    async with chat.sessionmaker() as session:
        run = await session.get(Run, uuid.UUID(items[0]["run_id"]))
        assert run is not None and run.status == "done" and run.finished_at is not None


PNG_CODE = """import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
ax.plot([1, 2, 3], [3, 1, 2])
fig.savefig("artifacts/line.png")
plt.close(fig)
print("saved")
"""


async def test_artifact_event_and_history_with_download(chat: ChatApp) -> None:
    chat.fake.script(
        {"tool_calls": [{"name": "execute_code", "args": {"code": PNG_CODE}}]},
        {"content": "Here is the chart line.png."},
    )
    tid = await chat.thread()
    events = await send(chat.client, tid, "draw a line")
    kinds = names(events)
    artifact = next(d for e, d in events if e == "artifact")["artifact"]
    assert artifact["filename"].endswith("line.png") and artifact["mime"] == "image/png"
    assert kinds.index("tool_start") < kinds.index("artifact") < kinds.index("tool_end")
    stored = [d["message"] for e, d in events if e == "message" and d["message"]["role"] == "tool"]
    assert [a["id"] for a in stored[0]["artifacts"]] == [artifact["id"]]
    items = (await chat.client.get(f"/api/threads/{tid}/messages")).json()["items"]
    tool = items[2]
    assert tool["role"] == "tool" and [a["id"] for a in tool["artifacts"]] == [artifact["id"]]
    assert tool["artifacts"][0]["tool_call_id"] == tool["tool_call_id"]
    assert tool["meta"]["artifact_ids"] == [artifact["id"]]
    assert all(m["artifacts"] == [] for m in items if m["role"] != "tool")
    # bytes never went to the model: the tool result it saw has no image data
    seen = json.dumps(chat.fake.requests[-1]["messages"])
    assert "iVBOR" not in seen and base64.b64encode(b"\x89PNG").decode()[:6] not in seen
    url = tool["artifacts"][0]["url"]
    download = await chat.client.get(url if url.startswith("http") else chat.server.url + url)
    assert download.status_code == 200 and download.content[:4] == b"\x89PNG"
