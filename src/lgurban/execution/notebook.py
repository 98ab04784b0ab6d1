"""A thread out of the app (issue 20): its conversation and every cell it ran, as a Jupyter notebook (nbformat
4, validated), a Python script (percent cells) or a self-contained HTML report.

The first code cell fetches the datasets the thread loaded from the portal and checks each against the
sha256 recorded at load, so a reader knows whether the data is still the version the numbers came from.
"""

from __future__ import annotations

import ast
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import nbformat
from nbformat import v4
from nbformat.v4 import nbjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban.db.models import DatasetLoad, Message, Thread
from lgurban.execution.models import ExecutionOut
from lgurban.execution.service import list_executions

# what a notebook's output bundle carries as JSON, not text (nbformat's schema: ^application/(.*\+)?json$)
_JSON_MIME = re.compile(r"^application/(.*\+)?json$")


@dataclass
class Turn:
    """One chat message shown as Markdown."""

    role: str
    text: str
    at: datetime


@dataclass
class ThreadExport:
    title: str
    thread_id: uuid.UUID
    portal: str
    datasets: list[dict[str, Any]]
    items: list[Turn | ExecutionOut]  # in the order they happened


async def gather(session: AsyncSession, thread: Thread, portal: str) -> ThreadExport:
    """What an export shows: the messages people read, the cells, the datasets at the versions loaded."""
    rows = (
        await session.execute(select(Message).where(Message.thread_id == thread.id).order_by(Message.seq))
    ).scalars()
    turns = [
        Turn(r.role, r.content, r.created_at)
        for r in current_versions(list(rows))
        if r.role in ("user", "assistant") and r.content.strip()
    ]
    cells = await list_executions(session=session, thread_id=thread.id)
    loads = (
        await session.execute(
            select(DatasetLoad).where(DatasetLoad.thread_id == thread.id).order_by(DatasetLoad.loaded_at)
        )
    ).scalars()
    latest: dict[str, dict[str, Any]] = {}
    for load in loads:  # a dataset loaded twice: the last version is the one later cells read
        latest[load.path] = {
            "id": load.dataset_id,
            "path": load.path,
            "modified": load.source_modified,
            "sha256": load.sha256,
            "rows": load.rows,
        }
    items: list[Turn | ExecutionOut] = [*turns, *cells]
    items.sort(key=lambda i: i.at if isinstance(i, Turn) else (i.created_at or datetime.min))
    return ThreadExport(thread.title, thread.id, portal, list(latest.values()), items)


def current_versions(rows: list[Message]) -> list[Message]:
    """The messages without the exchanges an edit or a regenerate replaced (issue 19): a question whose
    meta names `replaces` stands for the exchange that began with that question (the cells stay: they ran)."""
    replaced = {str((r.meta or {}).get("replaces")) for r in rows if r.role == "user"}
    kept: list[Message] = []
    dropping = False
    for r in rows:
        if r.role == "user":
            dropping = str(r.id) in replaced
        if not dropping:
            kept.append(r)
    return kept


def loader_source(export: ThreadExport) -> str:
    """The first code cell: fetch each dataset from the portal, say whether it is the version loaded."""
    datasets = json.dumps(export.datasets, indent=1)
    return (
        "# The datasets this thread loaded, fetched again from the portal, checked against the version used\n"
        "import hashlib, os, urllib.request\n"
        f"PORTAL = {export.portal!r}\n"
        f"DATASETS = {datasets}\n"
        "os.makedirs('datasets', exist_ok=True)\n"
        "for d in DATASETS:\n"
        "    if not os.path.exists(d['path']):\n"
        "        url = f\"{PORTAL}/catalog/datasets/{d['id']}/exports/parquet\"\n"
        "        urllib.request.urlretrieve(url, d['path'])\n"
        "    with open(d['path'], 'rb') as f:\n"
        "        digest = hashlib.sha256(f.read()).hexdigest()\n"
        "    same = digest == d['sha256']\n"
        "    print(d['id'], 'is the version used' if same else f\"CHANGED since {d['modified']}\")\n"
    )


def _speaker(turn: Turn) -> str:
    return "**You:**" if turn.role == "user" else "**Analyst:**"


def _outputs(cell: ExecutionOut) -> list[Any]:
    out: list[Any] = []
    if cell.stdout:
        out.append(v4.new_output("stream", name="stdout", text=cell.stdout))
    if cell.stderr:
        out.append(v4.new_output("stream", name="stderr", text=cell.stderr))
    bundles: dict[int, dict[str, Any]] = {}
    results: set[int] = set()
    for o in cell.outputs:
        data: Any = o.data
        if _JSON_MIME.match(o.mime):
            try:
                data = json.loads(o.data)
            except ValueError:
                continue
        bundles.setdefault(o.bundle, {})[o.mime] = data
        if o.is_result:
            results.add(o.bundle)
    for key, data in sorted(bundles.items()):
        if key in results:
            out.append(v4.new_output("execute_result", data=data, execution_count=cell.execution_count))
        else:
            out.append(v4.new_output("display_data", data=data))
    if cell.error is not None:
        tb = cell.error.traceback.splitlines() or [f"{cell.error.name}: {cell.error.value}"]
        out.append(v4.new_output("error", ename=cell.error.name, evalue=cell.error.value, traceback=tb))
    return out


def to_ipynb(export: ThreadExport) -> str:
    """nbformat 4 JSON; validated before it leaves (nbformat.validate raises on a bad notebook)."""
    cells = [
        v4.new_markdown_cell(f"# {export.title}\n\nExported from LG-Urban, thread `{export.thread_id}`."),
    ]
    if export.datasets:
        cells.append(v4.new_code_cell(loader_source(export)))
    for item in export.items:
        if isinstance(item, Turn):
            cells.append(v4.new_markdown_cell(f"{_speaker(item)} {item.text}"))
        else:
            code = v4.new_code_cell(item.code or "", execution_count=item.execution_count)
            code.outputs = _outputs(item)
            code.metadata["lgurban"] = {"execution_id": str(item.id), "source": item.source}
            cells.append(code)
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    nbformat.validate(notebook)
    # nbformat.writes would validate the whole notebook a second time (a third of the export's time for 200
    # cells); its v4 JSON writer alone gives the same bytes
    return str(nbjson.writes(notebook))


def to_py(export: ThreadExport) -> str:
    """The same as a script in percent format (Jupytext, VS Code and Spyder read the cells back)."""
    parts = [f"# %% [markdown]\n# # {export.title}\n# Exported from LG-Urban, thread {export.thread_id}.\n"]
    if export.datasets:
        parts.append("# %%\n" + loader_source(export))
    for item in export.items:
        if isinstance(item, Turn):
            said = "\n".join(
                f"# {line}" if line else "#" for line in f"{_speaker(item)} {item.text}".splitlines()
            )
            parts.append(f"# %% [markdown]\n{said}\n")
        elif not item.ok:  # kept for the record, not run: a script stops at its first error
            failed = item.error.name if item.error else "an error"
            lines = "\n".join(f"# {line}" for line in (item.code or "").splitlines())
            parts.append(f"# %%\n# This cell failed in the thread ({failed}); it is not run here:\n{lines}\n")
        else:
            parts.append(f"# %%\n{script_cell(item.code or '')}\n")
    return "\n".join(parts)


def script_cell(code: str) -> str:
    """A cell as a script runs it: its value (a last bare expression) printed, as a notebook would show it."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    last = tree.body[-1] if tree.body else None
    if not isinstance(last, ast.Expr) or last.col_offset != 0 or last.end_lineno is None:
        return code
    value = ast.get_source_segment(code, last.value)
    if value is None:
        return code
    lines = code.splitlines()
    shown = [f"_value = ({value})", "if _value is not None:", "    print(repr(_value))"]
    return "\n".join([*lines[: last.lineno - 1], *shown, *lines[last.end_lineno :]])
