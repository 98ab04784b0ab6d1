"""A thread's workspace files as they were at a past moment, as far as the records allow (issue 20, fork).

Workspace files are not versioned, but two kinds have a record of their versions in the object store:
- `datasets/<id>.parquet`: each load's sha256 (`dataset_loads`); a portal export's bytes are kept in the
  store cache under that hash (`cache/datasets/…/<sha256>.parquet`) while the cache has them;
- files a cell wrote under `artifacts/`: each version is an artifact blob (`artifacts`, by file name).
A file of either kind first recorded after the moment did not exist then and is left out; one recorded
before is taken at its version then when the store still has it. Any other file (uploads, scratch files) is
copied as it is now.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

import anyio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban.datasets.loading import cache_key
from lgurban.db.models import Artifact, DatasetLoad
from lgurban.sandbox.workspace import Workspace
from lgurban.storage.base import ObjectStore


@dataclass
class FilesThen:
    later: set[str] = field(default_factory=set)  # paths first recorded after the moment: left out
    versions: dict[str, str] = field(default_factory=dict)  # path → store key of its version then


async def files_then(
    session: AsyncSession, thread_id: uuid.UUID, at: datetime, paths: list[str]
) -> FilesThen:
    """What the records say about each of `paths` (the workspace's files now) at the moment `at`."""
    out = FilesThen()
    loads = (
        await session.execute(
            select(DatasetLoad).where(DatasetLoad.thread_id == thread_id).order_by(DatasetLoad.loaded_at)
        )
    ).scalars()
    loaded_before: set[str] = set()
    for load in loads:
        if load.loaded_at <= at:
            loaded_before.add(load.path)
            out.later.discard(load.path)
            if load.source == "opendata":
                out.versions[load.path] = cache_key(load.sha256)
            else:  # a heavy dataset of the store: only its current version exists
                out.versions.pop(load.path, None)
        elif load.path not in loaded_before:
            out.later.add(load.path)
    # artifacts are recorded by file name: only names that are one file under artifacts/ are matched
    by_name: dict[str, list[str]] = {}
    for p in paths:
        if p.startswith("artifacts/"):
            by_name.setdefault(PurePosixPath(p).name, []).append(p)
    rows = (
        await session.execute(
            select(Artifact).where(Artifact.thread_id == thread_id).order_by(Artifact.created_at, Artifact.id)
        )
    ).scalars()
    seen_before: set[str] = set()
    for art in rows:
        match = by_name.get(art.filename, [])
        if len(match) != 1:
            continue
        path = match[0]
        if art.created_at <= at:
            seen_before.add(path)
            out.later.discard(path)
            out.versions[path] = art.store_key
        elif path not in seen_before:
            out.later.add(path)
    return out


async def copy_files_then(
    src: Workspace, dst: Workspace, store: ObjectStore, then: FilesThen, tmp_dir: Path
) -> tuple[int, int]:
    """Copy `src`'s files into `dst` as they were: (files copied, of which restored from the store)."""
    copied = restored = 0
    await anyio.Path(tmp_dir).mkdir(parents=True, exist_ok=True)
    for f in await src.list_files():
        if f.path in then.later:
            continue
        key = then.versions.get(f.path)
        if key is not None and await store.head(key) is not None:
            local = tmp_dir / f"{uuid.uuid4().hex}.part"
            try:
                await store.download_to(key, local)
                await dst.put_file(f.path, local)
            finally:
                await anyio.Path(local).unlink(missing_ok=True)
            restored += 1
        else:
            await dst.put_file(f.path, await src.local_path(f.path))
        copied += 1
    return copied, restored
