"""`lgurban db copy --to postgresql://…`: an embedded install's database into PostgreSQL (plan §3.2).

The target is migrated to head first, then every application table is copied in foreign-key order, in
batches, with `ON CONFLICT DO NOTHING` (a second run, or one after an interruption, copies only what is
missing), then LangGraph's checkpoints and pending writes through the checkpointer APIs (the SQLite and
PostgreSQL savers store them differently; `aput` / `aput_writes` are idempotent upserts). It ends with a
count check: every source row must be in the target.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from langchain_core.runnables import RunnableConfig
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from lgurban.agent.checkpointer import open_checkpointer
from lgurban.db.migrate import upgrade
from lgurban.db.models import Base
from lgurban.db.session import make_engine
from lgurban.settings import Settings

BATCH = 500
Progress = Callable[[str, int, int], None]  # (what, done, total)


def target_settings(source: Settings, url: str) -> Settings:
    """The same install pointed at `url` (its checkpoints on the same server)."""
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        environment=source.environment,
        data_dir=source.data_dir,
        database_url=SecretStr(url),
        langgraph_checkpoint_db_url=SecretStr(url),
    )


async def copy_database(source: Settings, target: Settings, progress: Progress) -> dict[str, tuple[int, int]]:
    """Copy everything; returns {table: (rows in source, rows in target)} including "checkpoints"."""
    upgrade(target)
    counts = await _copy_tables(source, target, progress)
    counts["checkpoints"] = await _copy_checkpoints(source, target, progress)
    return counts


async def _copy_tables(source: Settings, target: Settings, progress: Progress) -> dict[str, tuple[int, int]]:
    src, dst = make_engine(source), make_engine(target)
    counts: dict[str, tuple[int, int]] = {}
    try:
        for table in Base.metadata.sorted_tables:
            async with src.connect() as s:
                total = (await s.execute(select(func.count()).select_from(table))).scalar_one()
                done = 0
                progress(table.name, 0, total)
                result = await s.stream(select(table).order_by(*table.primary_key.columns))
                async for rows in result.partitions(BATCH):
                    async with dst.begin() as d:
                        batch = [dict(r._mapping) for r in rows]
                        await d.execute(pg_insert(table).values(batch).on_conflict_do_nothing())
                    done += len(rows)
                    progress(table.name, done, total)
            async with dst.connect() as d:
                counts[table.name] = (
                    total,
                    (await d.execute(select(func.count()).select_from(table))).scalar_one(),
                )
    finally:
        await src.dispose()
        await dst.dispose()
    return counts


async def _copy_checkpoints(source: Settings, target: Settings, progress: Progress) -> tuple[int, int]:
    async with open_checkpointer(source) as src, open_checkpointer(target) as dst:
        tuples = [t async for t in src.alist(None)]
        progress("checkpoints", 0, len(tuples))
        for i, tup in enumerate(reversed(tuples), 1):  # oldest first
            conf = tup.config["configurable"]
            parent = tup.parent_config["configurable"].get("checkpoint_id") if tup.parent_config else None
            into: dict[str, Any] = {
                "configurable": {
                    "thread_id": conf["thread_id"],
                    "checkpoint_ns": conf.get("checkpoint_ns", ""),
                }
            }
            if parent:
                into["configurable"]["checkpoint_id"] = parent
            versions = dict(tup.checkpoint.get("channel_versions", {}))
            saved = await dst.aput(cast(RunnableConfig, into), tup.checkpoint, tup.metadata, versions)
            by_task: dict[str, list[tuple[str, Any]]] = {}
            for task_id, channel, value in tup.pending_writes or []:
                by_task.setdefault(task_id, []).append((channel, value))
            for task_id, writes in by_task.items():
                await dst.aput_writes(saved, writes, task_id)
            progress("checkpoints", i, len(tuples))
        copied = sum([1 async for _ in dst.alist(None)])
    return len(tuples), copied
