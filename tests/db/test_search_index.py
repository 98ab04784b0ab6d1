"""PostgreSQL plans the search on the GIN indexes over migration 0010's stored tsvector columns (the
query's expressions are the indexed columns: written differently, the planner would scan every message
of every thread)."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
from sqlalchemy import select
from sqlalchemy.dialects import postgresql

from lgurban.db.migrate import upgrade
from lgurban.db.models import Thread
from lgurban.db.search import _first_try, _message_hits, _title_hit, search_filter
from lgurban.settings import Settings


def _plan(url: str, statement: object) -> str:
    sql = str(statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))  # type: ignore[attr-defined]
    with psycopg.connect(url) as conn:
        conn.execute("SET enable_seqscan = off")  # an empty table would be scanned whatever the indexes
        return "\n".join(row[0] for row in conn.execute(f"EXPLAIN {sql}").fetchall())


def test_the_search_uses_the_gin_indexes(pg_database: str, tmp_path: Path) -> None:
    upgrade(Settings(environment="test", database_url=pg_database, data_dir=tmp_path, _env_file=None))  # type: ignore[call-arg]
    t = Thread.__table__.c
    query = select(t.id).where(t.owner_id == uuid.uuid4(), search_filter("postgresql", "navile"))
    assert "Bitmap Index Scan on ix_messages_search" in _plan(pg_database, query)
    # the snippets' query (any of the words), and a title match without an owner to narrow by first
    assert "Bitmap Index Scan on ix_messages_search" in _plan(
        pg_database, _message_hits("postgresql", ["a", "b"], "|", "q")
    )
    assert "Bitmap Index Scan on ix_threads_search" in _plan(
        pg_database, select(t.id).where(_title_hit("postgresql", "navi", "q"))
    )


def test_the_newest_threads_page_tests_thread_by_thread(pg_database: str, tmp_path: Path) -> None:
    """The first try of a page (lgurban.db.search._first_try) walks the owner's newest threads and tests
    each on its own messages, up to a hit: no GIN scan of every hit of the words, which costs a common
    word as much as the whole page (migration 0010's stored tsvector is tested instead)."""
    upgrade(Settings(environment="test", database_url=pg_database, data_dir=tmp_path, _env_file=None))  # type: ignore[call-arg]
    t = Thread.__table__.c
    query = select(t.id).where(t.owner_id == uuid.uuid4()).order_by(t.updated_at.desc(), t.id.desc())
    window = t.id.in_(query.limit(102))
    plan = _plan(pg_database, query.where(_first_try("postgresql", ["dat", "bologna"], window)).limit(51))
    assert "ix_threads_owner_activity" in plan and "ix_messages_thread_seq" in plan
    assert "ix_messages_search" not in plan and "ix_threads_search" not in plan
    assert "to_tsvector" not in plan  # the stored column, not the expression recomputed per row
