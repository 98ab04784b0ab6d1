"""`lgurban backup` / `lgurban restore` (plan §6.3): the database and the local files in one .tar.gz.

What goes in: the database (SQLite: an online copy made with SQLite's backup API, safe while the server runs;
PostgreSQL: `pg_dump --format=custom`), the LangGraph checkpoints (the same, when they live elsewhere), the
thread workspaces under DATA_DIR/workspaces, and — with STORAGE_BACKEND=local — the object store folder
(artifacts, exports, heavy datasets). An S3 bucket is not copied: its versioning and lifecycle rules are its
backup. Modal Volumes are not copied either (the files a cell wrote there; artifacts are in the store).

The archive goes to `--to FILE` or, by default, into the object store under `backup/<timestamp>/`.
`lgurban restore` takes such a file or key, with the server stopped; it refuses to overwrite existing data
without `--force`.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from lgurban.cli.common import fail, settings_or_exit
from lgurban.settings import Settings, sqlite_file, to_libpq_url

BACKUP_PREFIX = "backup/"
ARCHIVE = "lgurban-backup.tar.gz"
FORMAT = 1


def _sqlite_copy(source: Path, dest: Path) -> None:
    """An online, consistent copy (SQLite's backup API: the server may keep writing meanwhile)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        out = sqlite3.connect(dest)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()


def _pg(tool: str, *args: str) -> None:
    if shutil.which(tool) is None:
        raise fail(
            f"{tool} is not installed: install the PostgreSQL client tools (apt install postgresql-client)"
        )
    done = subprocess.run([tool, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise fail(
            f"{tool} failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else 'error'}"
        )


def _databases(settings: Settings) -> list[tuple[str, str]]:
    """(name in the archive, URL or file) of the app's database and, when elsewhere, the checkpoints."""
    out = [("app", settings.resolved_database_url)]
    checkpoints = settings.resolved_checkpoint_url
    if settings.is_sqlite or to_libpq_url(settings.resolved_database_url) != checkpoints:
        out.append(("checkpoints", checkpoints))
    return out


def _dump_databases(settings: Settings, into: Path) -> list[str]:
    written = []
    for name, url in _databases(settings):
        if settings.is_sqlite or not url.startswith("postgres"):
            path = Path(sqlite_file(url))
            if path.exists():
                _sqlite_copy(path, into / f"{name}.sqlite")
                written.append(f"db/{name}.sqlite")
        else:
            _pg(
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--file={into / f'{name}.dump'}",
                to_libpq_url(url),
            )
            written.append(f"db/{name}.dump")
    return written


def _file_trees(settings: Settings) -> list[tuple[str, Path]]:
    trees = [("workspaces", settings.workspaces_dir)]
    if settings.storage_backend == "local":
        trees.append(("store", settings.resolved_storage_dir))
    return trees


def make_archive(settings: Settings, dest: Path) -> dict[str, object]:
    """Write the backup archive to `dest`; its manifest."""
    with tempfile.TemporaryDirectory(prefix="lgurban-backup-") as tmp:
        dbdir = Path(tmp) / "db"
        dbdir.mkdir()
        parts = _dump_databases(settings, dbdir)
        manifest: dict[str, object] = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": "sqlite" if settings.is_sqlite else "postgresql",
            "parts": parts + [name for name, path in _file_trees(settings) if path.is_dir()],
        }
        (Path(tmp) / "manifest.json").write_text(json.dumps(manifest, indent=2))
        with tarfile.open(dest, "w:gz") as tar:
            tar.add(Path(tmp) / "manifest.json", "manifest.json")
            tar.add(dbdir, "db")
            for name, path in _file_trees(settings):
                if path.is_dir():  # the store's own backups are not backed up again
                    tar.add(path, name, filter=lambda t: None if t.name.startswith("store/backup") else t)
    return manifest


def _restore_db(settings: Settings, root: Path, force: bool) -> None:
    for name, url in _databases(settings):
        if settings.is_sqlite or not url.startswith("postgres"):
            source, target = root / "db" / f"{name}.sqlite", Path(sqlite_file(url))
            if not source.exists():
                continue
            if target.exists() and not force:
                raise fail(f"{target} exists: stop the server and pass --force to replace it")
            target.parent.mkdir(parents=True, exist_ok=True)
            for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
                stale.unlink(missing_ok=True)
            _sqlite_copy(source, target)
        elif (dump := root / "db" / f"{name}.dump").exists():
            _pg(
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                f"--dbname={to_libpq_url(url)}",
                str(dump),
            )


def restore_archive(settings: Settings, archive: Path, *, force: bool) -> dict[str, object]:
    """Put an archive's database and files back; its manifest."""
    with tempfile.TemporaryDirectory(prefix="lgurban-restore-") as tmp:
        root = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(root, filter="data")
        manifest: dict[str, object] = json.loads((root / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise fail(f"{archive} is not an lgurban backup of format {FORMAT}")
        want = "sqlite" if settings.is_sqlite else "postgresql"
        if manifest["database"] != want:
            raise fail(f"the backup holds a {manifest['database']} database; this configuration uses {want}")
        _restore_db(settings, root, force)
        for name, target in _file_trees(settings):
            if not (root / name).is_dir():
                continue
            if target.exists() and any(target.iterdir()) and not force:
                raise fail(f"{target} is not empty: pass --force to replace it")
            shutil.copytree(root / name, target, dirs_exist_ok=True)
    return manifest


def _parts(manifest: dict[str, object]) -> str:
    parts = manifest.get("parts")
    return ", ".join(str(p) for p in parts) if isinstance(parts, list) else ""


async def _upload(settings: Settings, archive: Path, key: str) -> None:
    from lgurban.storage import build_store

    store = build_store(settings)
    try:
        await store.put_file(key, archive, content_type="application/gzip")
    finally:
        await store.close()


async def _download(settings: Settings, key: str, dest: Path) -> None:
    from lgurban.storage import build_store

    store = build_store(settings)
    try:
        await store.download_to(key, dest)
    finally:
        await store.close()


def backup(
    to: Annotated[
        Path | None, typer.Option("--to", help="Write the archive to this file instead of the object store.")
    ] = None,
) -> None:
    """Back the database, workspaces and local object store up into one .tar.gz."""
    settings = settings_or_exit()
    with tempfile.TemporaryDirectory(prefix="lgurban-backup-out-") as tmp:
        archive = to if to is not None else Path(tmp) / ARCHIVE
        manifest = make_archive(settings, archive)
        where = str(archive)
        if to is None:
            stamp = str(manifest["created_at"]).replace(":", "").replace("+0000", "Z")
            where = f"{BACKUP_PREFIX}{stamp}/{ARCHIVE}"
            asyncio.run(_upload(settings, archive, where))
        size = archive.stat().st_size
        typer.echo(f"backup written: {where} ({size:,} bytes; {_parts(manifest)})")


def restore(
    source: Annotated[str, typer.Argument(help="A backup file, or its key in the object store (backup/…).")],
    force: Annotated[bool, typer.Option("--force", help="Replace existing data.")] = False,
) -> None:
    """Bring a backup back (stop the server first)."""
    settings = settings_or_exit()
    with tempfile.TemporaryDirectory(prefix="lgurban-restore-in-") as tmp:
        archive = Path(source)
        if not archive.is_file():
            if not source.startswith(BACKUP_PREFIX):
                raise fail(f"{source}: no such file, and not a key under {BACKUP_PREFIX} in the object store")
            archive = Path(tmp) / ARCHIVE
            try:
                asyncio.run(_download(settings, source, archive))
            except KeyError as exc:
                raise fail(f"{source} is not in the object store") from exc
        manifest = restore_archive(settings, archive, force=force)
    typer.echo(f"restored the backup of {manifest['created_at']}: {_parts(manifest)}")
