"""The thread's recorded tool outputs as receipt sources, read from the graph state (issue 15).

- execute_code: the cell's stdout and text outputs (not its error, not the artifact list: an artifact's
  size is not a figure), with its execution id; its datasets are those the code names
  (`datasets/<id>.parquet`), or when it names none every dataset the thread had loaded by then (a
  variable of an earlier cell may hold one);
- select_dataset: the load's rows/columns (the dataset's id);
- the catalog tools (list_catalog, get_dataset_description, preview_dataset, ...): the portal's metadata,
  record counts included (the dataset_id the call asked about).
Failed calls count for nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

from lgurban.agent.receipts.match import Source
from lgurban.datasets.named import datasets_named

CODE_TOOL = "execute_code"
LOAD_TOOL = "select_dataset"
METADATA_TOOLS = frozenset(
    {
        "list_catalog",
        "get_dataset_description",
        "get_dataset_fields",
        "preview_dataset",
        "get_dataset_time_info",
        "list_datasets",
    }
)


def _cell_text(content: str) -> str:
    try:
        view = json.loads(content)
    except ValueError:
        return content
    if not isinstance(view, dict):
        return content
    parts = [str(view.get("stdout") or "")]
    parts += [o for o in view.get("outputs") or [] if isinstance(o, str) and not o.startswith("[")]
    return "\n".join(parts)


def _failed(message: ToolMessage) -> bool:
    extra = message.artifact if isinstance(message.artifact, dict) else {}
    return message.status == "error" or extra.get("ok") is False


def _source(message: ToolMessage, call: dict[str, Any], loaded: list[str]) -> Source | None:
    name = message.name or call.get("name")
    args = call.get("args") or {}
    content = message.text
    if name == CODE_TOOL:
        extra = message.artifact if isinstance(message.artifact, dict) else {}
        named = datasets_named(str(args.get("code") or ""))
        datasets = tuple(named) if named else tuple(loaded)
        execution = extra.get("execution_id")
        return Source(_cell_text(content), str(execution) if execution else None, datasets)
    dataset = str(args.get("dataset_id") or "")
    if name == LOAD_TOOL:
        return Source(content, None, (dataset,) if dataset else ())
    if name in METADATA_TOOLS:
        return Source(content, None, (dataset,) if dataset else ())
    return None


def sources_from_messages(messages: Iterable[BaseMessage]) -> list[Source]:
    """Every successful tool output of the conversation, oldest first, as receipt sources."""
    calls: dict[str, dict[str, Any]] = {}
    loaded: list[str] = []
    out: list[Source] = []
    for message in messages:
        if isinstance(message, AIMessage):
            calls.update({c["id"] or "": {"name": c["name"], "args": c["args"]} for c in message.tool_calls})
        elif isinstance(message, ToolMessage) and not _failed(message):
            call = calls.get(message.tool_call_id, {})
            source = _source(message, call, loaded)
            if source is not None:
                out.append(source)
            if (message.name or call.get("name")) == LOAD_TOOL:
                dataset = str((call.get("args") or {}).get("dataset_id") or "")
                if dataset and dataset not in loaded:
                    loaded.append(dataset)
    return out
