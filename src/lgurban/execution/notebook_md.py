"""A thread as one Markdown file (issue 19: export a conversation): the chat, each cell with its output,
and the files it made (by name: the links to them are short-lived)."""

from __future__ import annotations

import re

from lgurban.execution.models import ExecutionOut
from lgurban.execution.notebook import ThreadExport, Turn

MAX_OUTPUT_CHARS = 20_000


def fence(text: str, lang: str = "") -> str:
    """A fenced block that no run of backticks inside `text` can close early."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{lang}\n{text.rstrip()}\n{ticks}"


def _cell(cell: ExecutionOut) -> str:
    parts = [fence(cell.code or "", "python")]
    output = (cell.stdout + cell.stderr).strip()
    if len(output) > MAX_OUTPUT_CHARS:
        output = output[:MAX_OUTPUT_CHARS] + f"\n[… {len(output) - MAX_OUTPUT_CHARS:,} more characters]"
    if output:
        parts.append("Output:\n\n" + fence(output))
    if cell.error is not None:
        parts.append(f"Error: `{cell.error.name}`: {cell.error.value}")
    if cell.artifacts:
        files = "\n".join(f"- `{a.filename}` ({a.mime}, {a.size:,} bytes)" for a in cell.artifacts)
        parts.append("Files made:\n\n" + files)
    return "\n\n".join(parts)


def to_markdown(export: ThreadExport) -> str:
    """The conversation as it was read, with the code the analyst ran between the answers."""
    parts = [f"# {export.title}", f"Exported from LG-Urban, thread `{export.thread_id}`."]
    if export.datasets:
        names = "\n".join(f"- `{d['id']}` ({d.get('rows') or '?'} rows)" for d in export.datasets)
        parts.append("Datasets used:\n\n" + names)
    for item in export.items:
        if isinstance(item, Turn):
            who = "You" if item.role == "user" else "Analyst"
            parts.append(f"## {who}\n\n{item.text.strip()}")
        else:
            parts.append(_cell(item))
    return "\n\n".join(parts) + "\n"
