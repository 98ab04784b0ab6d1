"""The LangGraph-stream translator: a run's stream chunks and node updates → ChatEvents and journal writes.

It keeps what the stored tool message needs and the live events do not repeat: the code's output and the
artifacts of each call (from the tools' emit), the text of the model step in flight, the calls not answered.
A final answer (no tool call) is held until the graph's "verify" node has checked it (issue 15): then it is
stored with its receipts, or, when it was sent back to the analyst, dropped (an `answer_check` event tells
the UI the streamed text was a draft). When a "review" node follows (the check says so), the answer waits
for it too: a `review` event carries the scores, and the answer is stored with them or, sent back, dropped.
Any other update, or the end of the run, stores a held answer with what it has.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ToolMessage

from lgurban.agent.events import (
    AnswerCheckEvent,
    ApprovalRequiredEvent,
    ArtifactEvent,
    ChatEvent,
    ContextEvent,
    MessageEvent,
    ReviewEvent,
    ReviewOut,
    TokenEvent,
    ToolEndEvent,
    ToolOutputEvent,
    ToolStartEvent,
    UnverifiedOut,
)
from lgurban.agent.history import bounded
from lgurban.agent.run.journal import MessageWriter
from lgurban.artifacts.models import ArtifactOut
from lgurban.observability import metrics

# the note stored as the answer of a call the run did not finish, by the run's final status
CLOSING_NOTES = {
    "cancelled": "Not finished: the run was stopped before this tool returned.",
    "error": "Not finished: the run ended with an error before this tool returned.",
}
INVALID_ARGS_NOTE = "Not run: the arguments of this call were not valid JSON."
REPORT_NODES = ("report_draft", "report_approval")  # issue 15: the report writer's nodes
REPORT_AGENT = "report_writer"


def text_of(content: Any) -> str:
    """The text parts of a message's content."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            p.get("text", "") if isinstance(p, dict) else str(p)
            for p in content
            if not isinstance(p, dict) or p.get("type", "text") == "text"
        )
    return ""


class StreamTranslator:
    """Turns one run's LangGraph stream (`messages` and `updates` modes) into stored messages and events."""

    def __init__(
        self, *, journal: MessageWriter, publish: Callable[[ChatEvent], Any], context_window: int
    ) -> None:
        self.journal = journal
        self.publish = publish
        self.context_window = context_window
        self.pending_text = ""  # tokens of the model step in flight, not yet stored
        self.open_calls: dict[str, str] = {}  # tool_call_id → name: started, not answered
        self.outputs: dict[str, list[str]] = {}
        self.artifacts: dict[str, list[ArtifactOut]] = {}
        self.tokens_used: int | None = None
        self.held: AIMessage | None = None  # a final answer waiting for its check (and review)
        self.held_check: dict[str, Any] | None = None  # its receipts, while it waits for its review
        self.waiting = False  # the run paused on a report draft (an interrupt): it ends `waiting`

    def emit(self, event: ChatEvent) -> None:
        """The tools' live-event callback: publish, keeping what the tool message's meta needs."""
        if isinstance(event, ToolOutputEvent):
            self.outputs.setdefault(event.tool_call_id, []).append(event.text)
        elif isinstance(event, ArtifactEvent):
            call = event.tool_call_id or event.artifact.tool_call_id or ""
            self.artifacts.setdefault(call, []).append(event.artifact)
        elif isinstance(event, ContextEvent):
            self.tokens_used = event.tokens_used
        self.publish(event)

    async def feed(self, mode: str, chunk: Any) -> None:
        """One item of `graph.astream(..., stream_mode=["messages", "updates"])`."""
        if mode == "messages":
            self.on_token(chunk)
        elif mode == "updates":
            await self.on_update(chunk)

    def on_token(self, chunk: tuple[BaseMessage, dict[str, Any]]) -> None:
        message, _meta = chunk
        if isinstance(message, AIMessageChunk):
            text = text_of(message.content)
            if text:
                self.pending_text += text
                self.publish(TokenEvent(text=text))

    async def on_update(self, update: Any) -> None:
        if not isinstance(update, dict):
            return
        for node, node_update in update.items():
            if node == "verify" and isinstance(node_update, dict) and self.held is not None:
                await self.on_check(node_update.get("check") or {})
                continue
            if node == "review" and isinstance(node_update, dict):
                await self.on_review(node_update.get("review") or {})
                continue
            await self.flush_held()
            if node == "__interrupt__":
                self.on_interrupt(node_update)
                continue
            messages = node_update.get("messages", []) if isinstance(node_update, dict) else []
            if isinstance(messages, BaseMessage):
                messages = [messages]
            if node in REPORT_NODES:
                for message in messages:
                    await self.store_report(message)
                continue
            for message in messages:
                if isinstance(message, AIMessage):
                    await self.store_ai(message)
                elif isinstance(message, ToolMessage):
                    await self.store_tool(message)

    def on_interrupt(self, interrupts: Any) -> None:
        """The report writer paused for the user's approval: publish its draft; the run ends waiting."""
        for item in interrupts if isinstance(interrupts, list | tuple) else [interrupts]:
            value = getattr(item, "value", None)
            if isinstance(value, dict) and isinstance(value.get("draft"), str):
                self.waiting = True
                self.publish(ApprovalRequiredEvent(draft=value["draft"]))

    async def store_report(self, message: BaseMessage) -> None:
        """The report writer's message (approved: with the report's artifacts; rejected)."""
        call = str(message.response_metadata.get("artifacts_call") or "")
        meta: dict[str, Any] = {"agent": REPORT_AGENT}
        artifacts = self.artifacts.pop(call, []) if call else []
        if call:
            meta |= {"artifacts_call": call, "artifact_ids": [str(a.id) for a in artifacts]}
        stored = await self.journal.write(role="assistant", content=text_of(message.content), meta=meta)
        stored.artifacts = artifacts
        self.pending_text = ""
        self.publish(MessageEvent(agent=REPORT_AGENT, message=stored))

    async def on_check(self, check: dict[str, Any]) -> None:
        """The verify node's verdict on the held answer: store it with its receipts, or drop the draft."""
        held, self.held = self.held, None
        assert held is not None
        if check.get("retry"):
            self.pending_text = ""
            unverified = [UnverifiedOut.model_validate(u) for u in check.get("unverified") or []]
            self.publish(AnswerCheckEvent(unverified=unverified))
            return
        checked = {"receipts": check.get("receipts") or [], "unverified": check.get("unverified") or []}
        if check.get("review"):
            self.held, self.held_check = held, checked  # stored once the review node has scored it
            return
        await self.store_ai(held, hold=False, checked=checked)

    async def on_review(self, raw: dict[str, Any]) -> None:
        """The reviewer's verdict on the held answer: publish the scores; store the answer with them, or,
        sent back, drop the draft."""
        review = ReviewOut.model_validate(raw)
        self.publish(ReviewEvent(review=review))
        held, self.held = self.held, None
        checked, self.held_check = self.held_check or {}, None
        if review.verdict == "revise":
            self.pending_text = ""
            return
        if held is not None:
            stored = {**checked, "review": review.model_dump(exclude_none=True)}
            await self.store_ai(held, hold=False, checked=stored)

    async def flush_held(self) -> None:
        """Store a held answer with what it has (the graph had no verify or review step for it)."""
        if self.held is not None:
            held, self.held = self.held, None
            checked, self.held_check = self.held_check, None
            await self.store_ai(held, hold=False, checked=checked)

    async def store_ai(
        self, message: AIMessage, *, checked: dict[str, Any] | None = None, hold: bool = True
    ) -> None:
        if hold and not message.tool_calls and not message.invalid_tool_calls:
            self.held = message  # a final answer: stored once the verify node has checked it
            return
        calls: list[dict[str, Any]] = [
            {"id": c["id"], "name": c["name"], "args": c["args"]} for c in message.tool_calls
        ]
        calls += [
            {"id": c.get("id"), "name": c.get("name"), "args": {}, "invalid_args": c.get("args")}
            for c in message.invalid_tool_calls
        ]
        usage: dict[str, Any] | None = dict(message.usage_metadata) if message.usage_metadata else None
        meta = {**({"usage": usage} if usage else {}), **(checked or {})}
        stored = await self.journal.write(
            role="assistant", content=text_of(message.content), tool_calls=calls or None, meta=meta or None
        )
        self.pending_text = ""
        self.publish(MessageEvent(message=stored))
        for call in calls:
            self.open_calls[str(call["id"])] = str(call["name"])
            self.publish(
                ToolStartEvent(tool_call_id=call["id"] or "", name=call["name"] or "", args=call["args"])
            )
        if usage:
            used = int(usage.get("input_tokens", 0)) + int(usage.get("output_tokens", 0))
            self.tokens_used = used
            self.publish(ContextEvent(tokens_used=used, context_window=self.context_window))

    async def store_tool(self, message: ToolMessage) -> None:
        call = message.tool_call_id
        name = message.name or self.open_calls.get(call, "tool")
        extra = message.artifact if isinstance(message.artifact, dict) else {}
        ok = bool(extra.get("ok", message.status != "error"))
        content = text_of(message.content)
        summary = str(
            extra.get("summary") or content.strip().splitlines()[0][:200] if content.strip() else ""
        )
        artifacts = self.artifacts.pop(call, [])
        meta = {
            "ok": ok,
            "output": bounded("".join(self.outputs.pop(call, []))),
            "artifact_ids": [str(a.id) for a in artifacts],
            **{k: v for k, v in extra.items() if k not in {"ok", "output", "artifact_ids"}},
        }
        stored = await self.journal.write(
            role="tool", content=content, tool_call_id=call, tool_name=name, meta=meta
        )
        stored.artifacts = artifacts
        self.open_calls.pop(call, None)
        self.publish(ToolEndEvent(tool_call_id=call, name=name, ok=ok, summary=summary))
        metrics.TOOL_CALLS.labels(metrics.tool_label(name), "ok" if ok else "error").inc()
        self.publish(MessageEvent(message=stored))

    async def close(self, status: str) -> None:
        """Store what the interrupted step produced: an answer to each open call, the partial text."""
        await self.flush_held()
        note = CLOSING_NOTES.get(status, INVALID_ARGS_NOTE)
        for call, name in list(self.open_calls.items()):
            await self.store_tool(ToolMessage(content=note, tool_call_id=call, name=name, status="error"))
        if self.pending_text.strip():
            stored = await self.journal.write(
                role="assistant", content=self.pending_text, meta={"partial": True, "status": status}
            )
            self.publish(MessageEvent(message=stored))
            self.pending_text = ""
