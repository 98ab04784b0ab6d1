"""The host side of a workspace the sandbox also writes: no symlink trick moves host reads/writes outside."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from lgurban.errors import FileNotFoundInWorkspace, InvalidPath
from lgurban.sandbox.workspace import LocalWorkspace


@pytest.fixture
def ws(tmp_path: Path) -> LocalWorkspace:
    w = LocalWorkspace(tmp_path / "ws")
    w.ensure()
    return w


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "server-secret.txt"
    path.write_text("SERVER-SECRET")
    return path


async def test_symlinks_out_are_refused(ws: LocalWorkspace, secret: Path) -> None:
    (ws.root / "artifacts" / "ok.txt").write_text("fine")
    assert (await ws.local_path("artifacts/ok.txt")).read_text() == "fine"
    os.symlink(secret, ws.root / "artifacts" / "leak.txt")
    os.symlink(secret.parent, ws.root / "datasets" / "outside")
    for rel in ("artifacts/leak.txt", "datasets/outside/server-secret.txt"):
        with pytest.raises(InvalidPath):
            await ws.local_path(rel)
    with pytest.raises(FileNotFoundInWorkspace):
        await ws.local_path("artifacts/none.txt")
    assert [f.path for f in await ws.list_files()] == ["artifacts/ok.txt"]


async def test_put_file_replaces_a_planted_symlink_instead_of_writing_through_it(
    ws: LocalWorkspace, tmp_path: Path, secret: Path
) -> None:
    os.symlink(secret, ws.root / "datasets" / "d.parquet")
    src = tmp_path / "src.bin"
    src.write_bytes(b"dataset bytes")
    info = await ws.put_file("datasets/d.parquet", src)
    assert info.size == 13 and secret.read_bytes() == b"SERVER-SECRET"  # noqa: ASYNC240
    assert not (ws.root / "datasets" / "d.parquet").is_symlink()
    os.symlink(secret.parent, ws.root / "datasets" / "dir")
    with pytest.raises(InvalidPath):
        await ws.put_file("datasets/dir/x.bin", src)
    assert not (secret.parent / "x.bin").exists()


async def test_a_file_swapped_for_a_symlink_mid_read_never_leaks(ws: LocalWorkspace, secret: Path) -> None:
    """Regression: the check-then-open race a sandbox thread could win against a root host."""
    target = ws.root / "artifacts" / "race.txt"
    target.write_text("harmless")
    stop = threading.Event()

    def swap() -> None:  # what a thread left running in the sandbox could do
        link, plain = ws.root / "artifacts" / ".l", ws.root / "artifacts" / ".p"
        while not stop.is_set():
            os.symlink(secret, link)
            os.replace(link, target)
            plain.write_text("harmless")
            os.replace(plain, target)

    swapper = threading.Thread(target=swap)
    swapper.start()
    try:
        seen = set()
        for _ in range(300):
            try:
                seen.add((await ws.local_path("artifacts/race.txt")).read_text())
            except (InvalidPath, FileNotFoundInWorkspace):
                seen.add("refused")
    finally:
        stop.set()
        swapper.join()
    assert "SERVER-SECRET" not in seen and "harmless" in seen
