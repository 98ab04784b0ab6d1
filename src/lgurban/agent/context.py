"""The thread's context window: token estimates per model, and summarising older turns when it fills up.

Token counts are estimates (no tokenizer downloads): langchain_core's approximate counter with a per-provider
characters-per-token ratio, tool-call arguments included. When the next model call would use more than
SUMMARY_AT (90 %) of the window, the older turns are replaced — in what the model sees, not in the stored
history — by a summary made by the helper model; the recent turns stay verbatim, and the datasets and
artifacts mentioned in the summarised part are listed after the summary so they are never lost.
"""

from __future__ import annotations

import json
import re
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.messages.utils import count_tokens_approximately

from lgurban.agent.prompts import SUMMARY_PROMPT

SUMMARY_AT = 0.9  # summarise when the next call would use more than this share of the window
KEEP_RECENT_TURNS = 2  # user turns (with everything after them) always kept verbatim
MAX_SUMMARY_INPUT_CHARS = 200_000
KEEP_FULL_TOOL_RESULTS = 4  # the latest tool results are never compacted
COMPACT_TOOL_CHARS = 600  # what the helper model is shown of the older turns at most
CHARS_PER_TOKEN = {"openai": 4.0, "anthropic": 3.5}

_DATASET_PATH = re.compile(r"datasets/[\w.\-]+\.(?:parquet|csv|geojson|json)")


def count_tokens(messages: list[BaseMessage], model_id: str | None = None) -> int:
    """An estimate of the tokens `messages` take for `model_id` ("provider:name")."""
    provider = (model_id or "openai:").partition(":")[0] if model_id and ":" in model_id else "openai"
    ratio = CHARS_PER_TOKEN.get(provider, 4.0)
    return int(count_tokens_approximately(messages, chars_per_token=ratio, extra_tokens_per_message=4))


def recent_start(messages: list[BaseMessage], keep_turns: int = KEEP_RECENT_TURNS) -> int:
    """Index where the last `keep_turns` user turns start (0 when there are not more than that).

    Cutting only before a user message never separates a tool call from its answer."""
    human = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
    if len(human) <= keep_turns:
        return 0
    return human[-keep_turns]


def references(messages: list[BaseMessage]) -> list[str]:
    """Datasets and artifacts named in `messages` (workspace paths, artifact file names and ids)."""
    found: dict[str, None] = {}
    for m in messages:
        text = m.content if isinstance(m.content, str) else json.dumps(m.content, default=str)
        for path in _DATASET_PATH.findall(text):
            found[f"dataset file {path}"] = None
        if isinstance(m, ToolMessage):
            try:
                body = json.loads(text)
            except ValueError:
                continue
            if not isinstance(body, dict):
                continue
            for a in body.get("artifacts") or []:
                if isinstance(a, dict) and a.get("filename"):
                    found[f"artifact {a['filename']} (id {a.get('id')})"] = None
            if isinstance(body.get("path"), str):
                found[f"dataset file {body['path']}"] = None
        if isinstance(m, AIMessage):
            for call in m.tool_calls:
                ds = call.get("args", {}).get("dataset_id")
                if call.get("name") == "select_dataset" and ds:
                    found[f"dataset {ds} (loaded with select_dataset)"] = None
    return list(found)


def compact_tool_results(
    messages: list[BaseMessage], keep_last: int = KEEP_FULL_TOOL_RESULTS, limit: int = COMPACT_TOOL_CHARS
) -> list[BaseMessage]:
    """`messages` with all but the last `keep_last` tool results cut to `limit` characters.

    Only what the model is sent changes (the history keeps everything): the way out when even the recent
    turns alone fill the window, e.g. one long question with many tool calls."""
    tool_idx = [i for i, m in enumerate(messages) if isinstance(m, ToolMessage)]
    older = set(tool_idx[:-keep_last] if keep_last else tool_idx)
    out: list[BaseMessage] = []
    for i, m in enumerate(messages):
        if i in older and isinstance(m.content, str) and len(m.content) > limit:
            cut = len(m.content) - limit
            text = f"{m.content[:limit]}\n[... {cut} characters of this older tool result omitted ...]"
            m = m.model_copy(update={"content": text})
        out.append(m)
    return out


def _transcript(messages: list[BaseMessage]) -> str:
    lines = []
    for m in messages:
        text = m.content if isinstance(m.content, str) else json.dumps(m.content, default=str)
        if isinstance(m, HumanMessage):
            lines.append(f"USER: {text}")
        elif isinstance(m, AIMessage):
            calls = "; ".join(
                f"{c['name']}({json.dumps(c['args'], default=str)[:1500]})" for c in m.tool_calls
            )
            lines.append(f"ANALYST: {text}" + (f" [calls: {calls}]" if calls else ""))
        elif isinstance(m, ToolMessage):
            lines.append(f"TOOL {m.name or ''}: {text[:3000]}")
    out = "\n".join(lines)
    return out[-MAX_SUMMARY_INPUT_CHARS:]


async def summarize(llm: BaseChatModel, older: list[BaseMessage], previous_summary: str | None = None) -> str:
    """A summary of `older` (and of the summary before it) by `llm`, with the references appended."""
    parts = []
    if previous_summary:
        parts.append(f"Summary of the conversation before this part:\n{previous_summary}")
    parts.append(f"Conversation:\n{_transcript(older)}")
    reply = await llm.ainvoke(
        [SystemMessage(SUMMARY_PROMPT), HumanMessage("\n\n".join(parts))],
        config={"tags": ["nostream", "lgurban:summary"]},  # never streamed to the user as tokens
    )
    text = reply.content if isinstance(reply.content, str) else _joined(reply.content)
    refs = references(older)
    if previous_summary:
        refs = [r for r in _old_refs(previous_summary) if r not in refs] + refs
    if refs:
        text = (
            text.strip()
            + "\n\nDatasets and artifacts referred to so far:\n"
            + "\n".join(f"- {r}" for r in refs)
        )
    return text.strip()


def _old_refs(summary: str) -> list[str]:
    marker = "Datasets and artifacts referred to so far:\n"
    if marker not in summary:
        return []
    return [line[2:] for line in summary.split(marker, 1)[1].splitlines() if line.startswith("- ")]


def _joined(content: Any) -> str:
    return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content or [])


def summary_message(summary: str) -> SystemMessage:
    return SystemMessage(
        f"Summary of the earlier part of this conversation (older turns omitted):\n{summary}"
    )
