"""Fork a thread at a message (issue 20): the new thread has the conversation up to there (the model sees
only that on its next turn), the files, and the variables of the cells run by then; the original is untouched
and both go on independently. Real runs (the scripted model over HTTP, the real checkpointer of each
database), real sandboxes.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from tests.agent.conftest import ChatApp, send


def _code_turn(code: str, answer: str) -> list[dict[str, Any]]:
    return [{"tool_calls": [{"name": "execute_code", "args": {"code": code}}]}, {"content": answer}]


async def _two_turns(chat: ChatApp) -> tuple[str, list[dict[str, Any]]]:
    tid = await chat.thread()
    chat.fake.script(
        *_code_turn("x = 41\nopen('artifacts/note.txt', 'w').write('one')", "Answer one."),
        *_code_turn(
            "x = x + 1\nopen('artifacts/note.txt', 'w').write('two')\n"
            "open('artifacts/later.txt', 'w').write('2')",
            "Answer two.",
        ),
    )
    await send(chat.client, tid, "Question one?")
    await send(chat.client, tid, "Question two?")
    items = (await chat.client.get(f"/api/threads/{tid}/messages")).json()["items"]
    assert [m["role"] for m in items] == ["user", "assistant", "tool", "assistant"] * 2
    return tid, items


def _said(request: dict[str, Any]) -> list[str]:
    return [str(m.get("content") or "") for m in request["messages"] if m["role"] in ("user", "assistant")]


def _note(chat: ChatApp, tid: str) -> str:
    return (Path(chat.settings.workspaces_dir) / tid / "artifacts" / "note.txt").read_text()


async def _print_x(chat: ChatApp, tid: str, question: str) -> tuple[list[str], str]:
    """One more turn printing x: what the model was sent first, and the cell's output."""
    chat.fake.script(*_code_turn("print(x)", "Printed."))
    asked = len(chat.fake.requests)
    events = await send(chat.client, tid, question)
    tool = next(d for e, d in events if e == "message" and d["message"]["role"] == "tool")
    return _said(chat.fake.requests[asked]), str(tool["message"]["meta"]["output"]).strip()


async def test_a_fork_at_a_middle_answer_has_that_history_those_files_and_variables(chat: ChatApp) -> None:
    tid, items = await _two_turns(chat)
    r = await chat.client.post(f"/api/threads/{tid}/fork", json={"message_id": items[3]["id"]})
    assert r.status_code == 201, r.text
    fork = r.json()
    new = fork["thread_id"]
    assert fork["messages"] == 4 and fork["cells"] == 1 and fork["replayed"] == 1, fork
    assert fork["model_history"] is True and "1 made later left out" in fork["note"], fork["note"]
    copied = (await chat.client.get(f"/api/threads/{new}/messages")).json()["items"]
    assert [(m["role"], m["content"]) for m in copied] == [(m["role"], m["content"]) for m in items[:4]]
    assert _note(chat, new) == "one"  # the cell that wrote it was re-run; the original has the later one
    assert _note(chat, tid) == "two"
    assert not (Path(chat.settings.workspaces_dir) / new / "artifacts" / "later.txt").exists()  # made after
    seen, out = await _print_x(chat, new, "Question three?")
    assert "Question one?" in seen and "Answer one." in seen and seen[-1] == "Question three?"
    assert "Question two?" not in seen and "Answer two." not in seen
    assert out == "41"
    # the original is untouched and goes on with its own history and variables
    seen, out = await _print_x(chat, tid, "Question three, original?")
    assert "Question two?" in seen and "Answer two." in seen and "Question three?" not in seen
    assert out == "42"
    after = (await chat.client.get(f"/api/threads/{tid}/messages")).json()["items"]
    assert [m["id"] for m in after[:8]] == [m["id"] for m in items] and len(after) == 12
    forked = (await chat.client.get(f"/api/threads/{new}/messages")).json()["items"]
    assert len(forked) == 8 and "Question three, original?" not in json.dumps(forked)


async def test_a_fork_at_a_user_message_keeps_the_question_without_its_answer(chat: ChatApp) -> None:
    tid, items = await _two_turns(chat)
    r = await chat.client.post(f"/api/threads/{tid}/fork", json={"message_id": items[4]["id"]})
    assert r.status_code == 201, r.text
    new = r.json()["thread_id"]
    copied = (await chat.client.get(f"/api/threads/{new}/messages")).json()["items"]
    assert [m["content"] for m in copied][-2:] == ["Answer one.", "Question two?"]
    seen, out = await _print_x(chat, new, "Question three?")
    assert seen[-3:] == ["Answer one.", "Question two?", "Question three?"] and "Answer two." not in seen
    assert out == "41"  # the second cell ran after the question: not replayed


async def test_unknown_messages_are_404_with_a_code(chat: ChatApp) -> None:
    tid, _ = await _two_turns(chat)
    other, other_items = await _two_turns(chat)
    for message_id in (str(uuid.uuid4()), other_items[0]["id"]):  # unknown; of another thread
        r = await chat.client.post(f"/api/threads/{tid}/fork", json={"message_id": message_id})
        assert r.status_code == 404 and r.json()["error"]["code"] == "MESSAGE_NOT_FOUND", r.text
    r = await chat.client.post(f"/api/threads/{tid}/fork", json={"message_id": "nope"})
    assert r.status_code == 422
    assert other != tid


async def test_the_model_of_a_rerun_thread_sees_the_report_and_has_the_variables(chat: ChatApp) -> None:
    tid, _ = await _two_turns(chat)
    r = await chat.client.post(f"/api/threads/{tid}/rerun")
    assert r.status_code == 201, r.text
    report = r.json()
    assert report["unchanged"] is True and report["cells"] == 2
    seen, out = await _print_x(chat, report["thread_id"], "What changed?")
    assert seen == [report["message"], "What changed?"]  # the report, as the assistant said it
    assert out == "42"
