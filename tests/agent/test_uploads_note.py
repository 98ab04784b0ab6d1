"""The uploads' lines in the analyst's prompt (issue 14): name, size and a cheap schema sniff per format."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from lgurban.agent.uploads import uploads_note
from lgurban.sandbox.workspace import LocalWorkspace


def _put(root: Path, rel: str, data: bytes) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_bytes(data)


async def test_no_uploads_no_note(tmp_path: Path) -> None:
    assert await uploads_note(LocalWorkspace(tmp_path / "never-ran")) is None
    _put(tmp_path / "ws", "artifacts/plot.png", b"x")
    assert await uploads_note(LocalWorkspace(tmp_path / "ws")) is None


async def test_each_format_is_sniffed_and_a_broken_file_still_listed(tmp_path: Path) -> None:
    feature = {"type": "Feature", "properties": {"nome": "A", "area": 2}}
    geo = {"type": "FeatureCollection", "features": [feature]}
    _put(tmp_path, "uploads/zone.geojson", json.dumps(geo).encode())
    _put(tmp_path, "uploads/rows.json", json.dumps([{"id": 1, "v": 2}, {"id": 2, "v": 3}]).encode())
    _put(tmp_path, "uploads/t.tsv", b"a\tb\tc\n1\t2\t3\n")
    _put(tmp_path, "uploads/broken.parquet", b"not parquet")
    _put(tmp_path, "uploads/notes.txt", b"hello")
    with zipfile.ZipFile(tmp_path / "book.xlsx", "w") as z:
        sheets = '<workbook><sheets><sheet name="2024" sheetId="1"/></sheets></workbook>'
        z.writestr("xl/workbook.xml", sheets)
    _put(tmp_path, "uploads/book.xlsx", (tmp_path / "book.xlsx").read_bytes())
    note = await uploads_note(LocalWorkspace(tmp_path))
    assert note is not None
    assert "`uploads/zone.geojson`" in note and "GeoJSON, 1 features; properties: nome, area" in note
    assert "2 records; keys: id, v" in note
    assert "columns: a, b, c" in note
    assert "sheets: 2024" in note
    assert "- `uploads/broken.parquet` (11 bytes)\n" in note + "\n"
    assert "- `uploads/notes.txt` (5 bytes)" in note
