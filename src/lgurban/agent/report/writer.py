"""The report writer's two graph nodes (issue 15): a draft from the thread, then the user's approval.

- "report_draft": the model (REPORT_PROMPT, never streamed as tokens) writes the question, method and
  findings from the thread; draft.assemble appends receipts, charts, dataset citations and the code
  appendix. A model that fails or times out leaves a plain draft of the questions and answers:
  {"report": {"draft", "status": "waiting"}}.
- "report_approval": LangGraph `interrupt({"draft": ...})`: the run ends, the pending interrupt is in the
  checkpoint. Resumed with Command(resume={"decision": "approve"|"edit"|"reject", "text"?}):
  edit → {"report": {"draft": text, "status": "edited"}} and the node asks again (route_approval);
  approve → `publish` stores the Markdown and HTML artifacts, and an AIMessage (name REPORT_AGENT) says so;
  reject → an AIMessage saying nothing was saved.
The approval node's message carries `response_metadata["artifacts_call"]`, the tool_call_id its artifacts
were recorded under, so the stored message and the history show them.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langgraph.types import interrupt

from lgurban.agent.prompts import REPORT_PROMPT
from lgurban.agent.report.draft import Chart, Citation, assemble, digest, fallback_body
from lgurban.artifacts.models import ArtifactOut

log = logging.getLogger(__name__)

REPORT_AGENT = "report_writer"
DECISIONS = ("approve", "edit", "reject")
REJECTED_NOTE = "The report draft was rejected: no file was saved."

# the thread's image artifacts and the datasets it loaded
Sources = Callable[[], Awaitable[tuple[list[Chart], list[Citation]]]]
# (the approved Markdown, the tool_call_id to record the artifacts under) → the stored artifacts
Publish = Callable[[str, str], Awaitable[list[ArtifactOut]]]


def approved_note(artifacts: Sequence[ArtifactOut]) -> str:
    names = " and ".join(f"`{a.filename}`" for a in artifacts) or "no file (the store refused them)"
    return f"The report was approved and saved as {names}: both are in this thread's artifacts."


@dataclass
class ReportWriter:
    """The report writer (see the module docstring)."""

    llm: BaseChatModel
    sources: Sources
    publish: Publish
    timeout_s: float = 120.0

    async def body(self, messages: Sequence[BaseMessage]) -> str:
        try:
            reply = await asyncio.wait_for(
                self.llm.ainvoke(
                    [SystemMessage(REPORT_PROMPT), HumanMessage(digest(messages))],
                    config={"tags": ["nostream", "lgurban:report"]},
                ),
                self.timeout_s,
            )
            text = reply.text.strip() if isinstance(reply, BaseMessage) else ""
        except Exception as exc:  # the draft is still worth having: the questions and answers as they are
            log.warning("report body not written: %s: %s", type(exc).__name__, str(exc)[:300])
            text = ""
        return text or fallback_body(messages)

    async def draft(self, state: dict[str, Any]) -> dict[str, Any]:
        messages: list[BaseMessage] = list(state["messages"])
        body = await self.body(messages)
        try:
            charts, datasets = await self.sources()
        except Exception as exc:
            log.warning("report sources not read: %s: %s", type(exc).__name__, str(exc)[:300])
            charts, datasets = [], []
        return {"report": {"draft": assemble(body, messages, charts, datasets), "status": "waiting"}}

    async def approval(self, state: dict[str, Any]) -> dict[str, Any]:
        report = dict(state.get("report") or {})
        answer = interrupt({"draft": report.get("draft", "")})
        decision = answer.get("decision") if isinstance(answer, dict) else None
        if decision == "edit":
            return {"report": {**report, "draft": str(answer.get("text") or ""), "status": "edited"}}
        if decision != "approve":
            note = AIMessage(REJECTED_NOTE, name=REPORT_AGENT, id=str(uuid.uuid4()))
            return {"report": {**report, "status": "rejected"}, "messages": [note]}
        message_id = str(uuid.uuid4())
        call = f"report-{message_id}"
        artifacts = await self.publish(str(report.get("draft") or ""), call)
        note = AIMessage(
            approved_note(artifacts),
            name=REPORT_AGENT,
            id=message_id,
            response_metadata={"artifacts_call": call},
        )
        done = {**report, "status": "approved", "artifact_ids": [str(a.id) for a in artifacts]}
        return {"report": done, "messages": [note]}


def route_approval(state: dict[str, Any]) -> str:
    """After the approval node: ask again after an edit, else the end."""
    return "report_approval" if (state.get("report") or {}).get("status") == "edited" else "__end__"
