"""The run machinery over the in-process client: streaming, storage, tool steps, errors."""

from __future__ import annotations

from tests.agent.conftest import ChatApp, names, send


async def test_text_answer_streams_tokens_and_is_stored(chat: ChatApp) -> None:
    chat.fake.script({"content": "Bologna has many porticoes."})
    tid = await chat.thread()
    events = await send(chat.client, tid, "Tell me about Bologna")
    kinds = names(events)
    assert kinds[0] == "run_started" and kinds[-1] == "done"
    assert "".join(d["text"] for e, d in events if e == "token") == "Bologna has many porticoes."
    assert kinds.count("token") > 1
    r = await chat.client.get(f"/api/threads/{tid}/messages")
    items = r.json()["items"]
    assert [(m["role"], m["content"]) for m in items] == [
        ("user", "Tell me about Bologna"),
        ("assistant", "Bologna has many porticoes."),
    ]
