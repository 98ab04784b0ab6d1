"""Alembic owns the schema: it goes up, down and up again on both backends, and matches the models."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from lgurban.db.fts import is_fts_object
from lgurban.db.migrate import downgrade, upgrade
from lgurban.db.models import Base
from lgurban.settings import Settings
from tests.conftest import PG_ADMIN_URL, _pg_url

APP_TABLES = {t.name for t in Base.metadata.sorted_tables}


@pytest.fixture(params=["sqlite", "postgres"])
def fresh_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """An empty database just for this test: (async-capable URL for Settings, sync URL for inspection)."""
    if request.param == "sqlite":
        path = tmp_path / "fresh.sqlite"
        yield f"sqlite:///{path}", f"sqlite:///{path}"
        return
    name = f"lgurban_mig_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = _pg_url(name)
    try:
        yield url, url.replace("postgresql://", "postgresql+psycopg://", 1)
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _tables(sync_url: str) -> set[str]:
    engine = create_engine(sync_url)
    try:
        names = set(inspect(engine).get_table_names()) - {"alembic_version"}
        return {n for n in names if not is_fts_object(n)}
    finally:
        engine.dispose()


def _include_name(name: str | None, type_: str, _parent: object) -> bool:
    return not (type_ in ("table", "index", "column") and is_fts_object(name))


def _fts_objects(sync_url: str) -> set[str]:
    engine = create_engine(sync_url)
    try:
        insp = inspect(engine)
        names = set(insp.get_table_names())
        names |= {i["name"] for t in ("messages", "threads") if t in names for i in insp.get_indexes(t)}
        return {n for n in names if n and is_fts_object(n)}
    finally:
        engine.dispose()


def _search_columns(sync_url: str) -> set[str]:
    """What migration 0010 adds: the tables with a generated `search_words` column (PostgreSQL) or
    the FTS5 tables with prefix indexes (SQLite)."""
    engine = create_engine(sync_url)
    try:
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                rows = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE name LIKE '%_fts'")
                return {name.removesuffix("_fts") for name, sql in rows if "prefix='2 3 4'" in sql}
        columns = {t: {c["name"] for c in inspect(engine).get_columns(t)} for t in ("messages", "threads")}
        return {t for t, names in columns.items() if "search_words" in names}
    finally:
        engine.dispose()


def _diff(sync_url: str) -> list[object]:
    engine = create_engine(sync_url)
    try:
        with engine.connect() as conn:
            # migrations 0009 and 0010 make the search objects by hand, outside the models (lgurban.db.fts)
            opts = {"compare_type": True, "include_name": _include_name}
            ctx = MigrationContext.configure(conn, opts=opts)
            return list(compare_metadata(ctx, Base.metadata))
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(fresh_db: tuple[str, str], tmp_path: Path) -> None:
    url, sync_url = fresh_db
    settings = Settings(environment="test", database_url=url, data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    assert _tables(sync_url) == set()
    upgrade(settings)
    assert _tables(sync_url) == APP_TABLES
    assert _fts_objects(sync_url)  # the search tables (SQLite) or indexes (PostgreSQL) exist
    assert _search_columns(sync_url) == {"messages", "threads"}
    downgrade(settings, "0009_search_fts")
    assert _search_columns(sync_url) == set()  # 0010's downgrade takes its columns or prefixes away…
    assert _fts_objects(sync_url)  # …and leaves 0009's search objects
    downgrade(settings, "0008_thread_reviewer")
    assert _fts_objects(sync_url) == set()  # 0009's downgrade takes every one of them away
    downgrade(settings, "base")
    assert _tables(sync_url) == set()
    upgrade(settings)
    assert _tables(sync_url) == APP_TABLES


def test_models_match_the_migrations(fresh_db: tuple[str, str], tmp_path: Path) -> None:
    url, sync_url = fresh_db
    upgrade(Settings(environment="test", database_url=url, data_dir=tmp_path / "data", _env_file=None))  # type: ignore[call-arg]
    assert _diff(sync_url) == []


async def test_libpq_sslmode_in_database_url_works_with_asyncpg(pg_database: str, tmp_path: Path) -> None:
    """RDS documents `?sslmode=require`; asyncpg takes `ssl=`: the URL is translated, not passed through."""
    from sqlalchemy import text

    from lgurban.db.session import make_engine

    settings = Settings(environment="test", database_url=pg_database + "?sslmode=prefer", data_dir=tmp_path)  # type: ignore[call-arg]
    engine = make_engine(settings)
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT 1"))).scalar() == 1
    finally:
        await engine.dispose()
    with psycopg.connect(settings.resolved_checkpoint_url) as conn:  # the checkpointer's libpq form
        assert conn.execute("SELECT 1").fetchone() == (1,)


async def test_0008_indexes_the_messages_already_there(fresh_db: tuple[str, str], tmp_path: Path) -> None:
    """Upgrading a database with history makes that history searchable (the backfill), on both backends."""
    from sqlalchemy import insert, select

    from lgurban.db.models import Message, Thread, User
    from lgurban.db.search import search_filter
    from lgurban.db.session import make_engine

    url, _ = fresh_db
    settings = Settings(environment="test", database_url=url, data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    upgrade(settings, "0007_runs_user_started")
    engine = make_engine(settings)
    owner, thread = uuid.uuid4(), uuid.uuid4()
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(User), [{"id": owner, "name": "old"}])
            await conn.execute(insert(Thread), [{"id": thread, "owner_id": owner, "title": "Vecchio"}])
            rows = [("user", "quanti alberi a Navile"), ("tool", "toolonly")]
            await conn.execute(
                insert(Message),
                [{"thread_id": thread, "seq": i, "role": r, "content": c} for i, (r, c) in enumerate(rows)],
            )
        upgrade(settings)
        async with engine.connect() as conn:
            for q, found in [("navi", [thread]), ("vecch", [thread]), ("toolonly", [])]:
                where = search_filter(engine.dialect.name, q)
                assert list((await conn.execute(select(Thread.id).where(where))).scalars()) == found, q
    finally:
        await engine.dispose()
