"""MIME sniffing: the content decides, the extension refines."""

from __future__ import annotations

import pytest

from lgurban.artifacts.mime import is_active, sniff


@pytest.mark.parametrize(
    ("head", "name", "mime"),
    [
        (b"\xff\xd8\xff\xe0rest", "photo.png", "image/jpeg"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "x.bin", "image/webp"),
        (b"GIF89a", "anim", "image/gif"),
        (b"%PDF-1.7", "report.txt", "application/pdf"),
        (b"PK\x03\x04", "table.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (b"PK\x03\x04", "bundle.bin", "application/zip"),
        (b"  \n<!doctype HTML><p>", "out.txt", "text/html"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "pic.png", "image/svg+xml"),
        (b"caf\xc3\xa9,1\n" + b"x" * 10 + b"\xc3", "prezzi.csv", "text/csv"),  # UTF-8 cut at the end
        (b'[{"a": 1}]', "data", "application/json"),
        (b"just words", "notes.md", "text/markdown"),
        (b"just words", "image.png", "text/plain"),  # text is never served as an image
        (b"\x00\x01binary", "table.csv", "application/octet-stream"),
        (b"", "empty.txt", "text/plain"),
        (b"", "empty.png", "application/octet-stream"),
    ],
)
def test_sniff(head: bytes, name: str, mime: str) -> None:
    assert sniff(head, name) == mime


def test_active_types_are_the_scriptable_ones() -> None:
    assert is_active("text/html; charset=utf-8") and is_active("image/svg+xml")
    assert not is_active("image/png") and not is_active("text/csv")
