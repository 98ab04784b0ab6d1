"""What the user uploaded (issue 14): lines for the analyst's system prompt, one per file under uploads/.

Name, size and, when cheap, the columns: a CSV's header line, a Parquet file's schema (its footer only), the
keys of a JSON object or GeoJSON's first feature, an XLSX workbook's sheet names. Read on the host without
running the file's content; a file that cannot be sniffed is listed without columns.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import uuid
import zipfile
from collections import OrderedDict
from datetime import datetime
from pathlib import Path

import anyio

from lgurban.sandbox.workspace import Workspace, WorkspaceFile

log = logging.getLogger(__name__)

UPLOADS = "uploads/"
MAX_LISTED = 20
MAX_SNIFFED_BYTES = 256 * 1024 * 1024  # bigger files are listed without their columns
HEAD_BYTES = 64 * 1024
MAX_COLUMNS = 40
MAX_REMEMBERED = 4096  # sniffs kept across turns
_SNIFFED: OrderedDict[tuple[uuid.UUID, str, int, datetime], str | None] = OrderedDict()


def _shown(columns: list[str]) -> str:
    names = [" ".join(str(c).split())[:60] for c in columns[:MAX_COLUMNS]]
    more = f", … ({len(columns)} in all)" if len(columns) > MAX_COLUMNS else ""
    return ", ".join(names) + more


def _csv(path: Path) -> str | None:
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES).decode("utf-8-sig", "replace")
    first = head.splitlines()[0] if head else ""
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    row = next(csv.reader(io.StringIO(first), dialect), [])
    return f"columns: {_shown(row)}" if row else None


def _parquet(path: Path) -> str | None:
    import pyarrow.parquet as pq  # heavy: only when a Parquet file is there

    meta = pq.ParquetFile(path).metadata
    schema = meta.schema.to_arrow_schema()
    return f"{meta.num_rows:,} rows; columns: {_shown([f'{f.name} ({f.type})' for f in schema])}"


def _json(path: Path) -> str | None:
    if path.stat().st_size > 16 * 1024 * 1024:
        return None
    data = json.loads(path.read_bytes())
    if isinstance(data, dict) and isinstance(data.get("features"), list):
        props = (data["features"][0] or {}).get("properties") if data["features"] else None
        keys = list(props) if isinstance(props, dict) else []
        return f"GeoJSON, {len(data['features']):,} features; properties: {_shown(keys)}"
    if isinstance(data, list) and data and isinstance(data[0], dict):
        return f"{len(data):,} records; keys: {_shown(list(data[0]))}"
    if isinstance(data, dict):
        return f"object; keys: {_shown(list(data))}"
    return None


def _xlsx(path: Path) -> str | None:
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml")[:1_000_000].decode("utf-8", "replace")
    sheets = re.findall(r'<sheet\b[^>]*\bname="([^"]*)"', workbook)
    return f"sheets: {_shown(sheets)}" if sheets else None


_SNIFFERS = {
    ".csv": _csv,
    ".tsv": _csv,
    ".parquet": _parquet,
    ".json": _json,
    ".geojson": _json,
    ".xlsx": _xlsx,
}


async def _sniff(workspace: Workspace, f: WorkspaceFile) -> str | None:
    sniffer = _SNIFFERS.get(Path(f.path).suffix.lower())
    if sniffer is None or f.size > MAX_SNIFFED_BYTES:
        return None
    try:
        path = await workspace.local_path(f.path)
        return await anyio.to_thread.run_sync(sniffer, path)
    except Exception as exc:  # a malformed file is still listed, without columns
        log.debug("could not sniff %s: %r", f.path, exc)
        return None


async def _sniff_once(workspace: Workspace, f: WorkspaceFile, owner: uuid.UUID | None) -> str | None:
    """The sniff, remembered per (thread, path, size, modified time): every turn lists the uploads, and
    reading a Parquet footer or parsing a JSON file again each turn is work the answer does not change."""
    if owner is None:
        return await _sniff(workspace, f)
    key = (owner, f.path, f.size, f.modified_at)
    if key in _SNIFFED:
        _SNIFFED.move_to_end(key)
        return _SNIFFED[key]
    sniff = _SNIFFED[key] = await _sniff(workspace, f)
    while len(_SNIFFED) > MAX_REMEMBERED:
        _SNIFFED.popitem(last=False)
    return sniff


async def uploads_note(workspace: Workspace, *, owner: uuid.UUID | None = None) -> str | None:
    """The system prompt's lines about the files under uploads/ (newest first); None when there are none.
    `owner`: the thread, under which each file's sniff is remembered."""
    try:
        files = [f for f in await workspace.list_files() if f.path.startswith(UPLOADS)]
    except Exception as exc:  # the workspace being unreachable must not stop the turn
        log.warning("uploads not listed for the prompt: %r", exc)
        return None
    if not files:
        return None
    files.sort(key=lambda f: f.modified_at, reverse=True)
    lines = []
    for f in files[:MAX_LISTED]:
        sniff = await _sniff_once(workspace, f, owner)
        lines.append(f"- `{f.path}` ({f.size:,} bytes)" + (f": {sniff}" if sniff else ""))
    if len(files) > MAX_LISTED:
        lines.append(f"- … and {len(files) - MAX_LISTED} more under uploads/")
    return (
        "Files the user uploaded to the workspace (read them in `execute_code` by these paths):\n"
        + "\n".join(lines)
    )
