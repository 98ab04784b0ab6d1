"""The report's text, from the thread's graph state (issue 15): what the report writer's model reads, and
the parts written without it (receipts, charts, dataset citations, code appendix). All pure: no I/O.

A chart is referenced by the app's own stable link `/api/artifacts/<id>/download` (CHART_LINK): the web app
shows it, the Markdown artifact keeps it, and the HTML artifact embeds the image itself in its place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from lgurban.agent import receipts

CODE_TOOL = "execute_code"
CHART_LINK = "/api/artifacts/{id}/download"
CHART_LINK_RE = re.compile(r"/api/artifacts/([0-9a-fA-F-]{36})/download")
MAX_DIGEST_CHARS = 24_000
MAX_OUTPUT_CHARS = 1_500
MAX_CELLS = 30


@dataclass(frozen=True)
class Chart:
    """An image artifact of the thread."""

    id: str
    filename: str


@dataclass(frozen=True)
class Citation:
    """A dataset the thread loaded: its portal id, title, licence and modified date when known."""

    id: str
    title: str | None = None
    license: str | None = None
    modified: str | None = None


def _is_question(m: BaseMessage) -> bool:
    return isinstance(m, HumanMessage) and not m.name


def _is_answer(m: BaseMessage) -> bool:
    return isinstance(m, AIMessage) and not m.tool_calls and bool(m.text.strip()) and not m.name


def questions(messages: Sequence[BaseMessage]) -> list[str]:
    """The user's questions, the report request (the last message) left out."""
    asked = [m.text for m in messages[:-1] if _is_question(m)]
    return [q for q in asked if q.strip()]


def cells(messages: Sequence[BaseMessage]) -> list[tuple[str, str]]:
    """(code, output) of each successful execute_code call, oldest first."""
    codes: dict[str, str] = {}
    out: list[tuple[str, str]] = []
    for m in messages:
        if isinstance(m, AIMessage):
            for c in m.tool_calls:
                if c["name"] == CODE_TOOL:
                    codes[c["id"] or ""] = str((c["args"] or {}).get("code") or "")
        elif isinstance(m, ToolMessage) and m.tool_call_id in codes and m.status != "error":
            out.append((codes[m.tool_call_id], m.text))
    return out


def digest(messages: Sequence[BaseMessage]) -> str:
    """What the report writer's model reads: the questions, the answers and the cells, in order."""
    parts: list[str] = []
    codes: dict[str, str] = {}
    for m in messages[:-1]:
        if _is_question(m):
            parts.append(f"Question of the user:\n{m.text}")
        elif isinstance(m, AIMessage):
            codes.update({c["id"] or "": str((c["args"] or {}).get("code") or "") for c in m.tool_calls})
            if _is_answer(m):
                parts.append(f"Answer of the analyst:\n{m.text}")
        elif isinstance(m, ToolMessage) and m.tool_call_id in codes and m.status != "error":
            parts.append(f"Cell:\n{codes[m.tool_call_id]}\nOutput:\n{m.text[:MAX_OUTPUT_CHARS]}")
    text = "\n\n".join(parts) or "(The conversation has no analysis yet.)"
    return text[-MAX_DIGEST_CHARS:]


def fallback_body(messages: Sequence[BaseMessage]) -> str:
    """The body when the model could not write one: the questions and the answers as they are."""
    asked = questions(messages)
    answers = [m.text for m in messages if _is_answer(m)]
    title = f"# Report: {asked[0][:80]}" if asked else "# Report"
    question = "\n\n".join(asked) or "No question was asked yet."
    findings = "\n\n".join(answers) or "No findings yet."
    method = "See the code appendix."
    return f"{title}\n\n## Question\n\n{question}\n\n## Method\n\n{method}\n\n## Findings\n\n{findings}"


def receipt_lines(messages: Sequence[BaseMessage]) -> list[str]:
    """Each figure of the analyst's answers that has a receipt: the cell that printed it, its datasets."""
    lines: list[str] = []
    seen: set[tuple[str, str | None]] = set()
    for i, m in enumerate(messages):
        if not _is_answer(m):
            continue
        for r in receipts.verify(messages[:i], m.text).receipts:
            key = (r.text.strip(), r.execution_id)
            if key in seen:
                continue
            seen.add(key)
            where = f"cell `{r.execution_id}`" if r.execution_id else "dataset metadata"
            datasets = ", ".join(f"`{d}`" for d in r.dataset_ids)
            lines.append(f"- **{r.text.strip()}**: {where}" + (f"; datasets {datasets}" if datasets else ""))
    return lines


def _fence(code: str, lang: str = "") -> str:
    ticks = "```"
    while ticks in code:
        ticks += "`"
    return f"{ticks}{lang}\n{code.rstrip()}\n{ticks}"


def assemble(
    body: str, messages: Sequence[BaseMessage], charts: Sequence[Chart], datasets: Sequence[Citation]
) -> str:
    """The whole draft: the model's body, then receipts, charts, dataset citations and the code appendix."""
    parts = [body.strip()]
    lines = receipt_lines(messages)
    parts.append(
        "### Receipts\n\n" + ("\n".join(lines) if lines else "No figure of the answers has a receipt.")
    )
    if charts:
        shown = [f"![{c.filename}]({CHART_LINK.format(id=c.id)})" for c in charts]
        parts.append("## Charts\n\n" + "\n\n".join(shown))
    if datasets:
        parts.append("## Datasets\n\n" + "\n".join(_citation(d) for d in datasets))
    code = cells(messages)[-MAX_CELLS:]
    if code:
        parts.append("## Code appendix\n\n" + "\n\n".join(_fence(c, "python") for c, _ in code))
    return "\n\n".join(parts) + "\n"


def _citation(d: Citation) -> str:
    title = f"{d.title} (`{d.id}`)" if d.title else f"`{d.id}`"
    licence = d.license or "not stated"
    modified = d.modified or "unknown"
    return f"- {title}, Open Data Bologna; licence: {licence}; modified: {modified}"
