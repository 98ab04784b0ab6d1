"""Thread search: the old case-insensitive LIKE scan against the full-text query (issue 19).

Seeds 1,000 threads × 20 user/assistant messages for one user on SQLite and on PostgreSQL (a fresh
database on 127.0.0.1:5432, dropped afterwards; both migrated to head, so the FTS5 tables and GIN indexes
exist), then runs the thread-list query of GET /api/threads?q= (first page of 50) with either filter
(the full-text side as the endpoint runs it: lgurban.db.search.search_page), the same queries in
turn, and prints p50/p95 per backend, query and filter with the LIKE/FTS ratio.
The full-text side also computes the page's match snippets (as the endpoint does).

    uv run python bench/search.py [--runs 30] [--backends sqlite,postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from common import pct  # bench/ is on sys.path when run as a script
from sqlalchemy import ColumnElement, and_, exists, insert, or_, select

from lgurban.db.migrate import upgrade
from lgurban.db.models import Message, Thread, User
from lgurban.db.search import find_matches, search_page
from lgurban.db.session import make_engine, make_sessionmaker
from lgurban.settings import Settings

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
THREADS, MESSAGES, PAGE = 1000, 20, 50
QUERIES = ["navile", "dat", "quartiere bologna", "incidenti 2023"]
VOCAB = (
    "dataset quartiere bologna incidenti stradali piste ciclabili popolazione residenti scuole "
    "the answer shows rows columns mean median total year 2019 2020 2021 2022 air quality no2 pm10 "
    "parcheggi traffico bus linee fermate verde parchi alberi tree park map chart plot"
).split()


def like_filter(q: str) -> ColumnElement[bool] | None:
    """The filter before issue 19's full-text search (lgurban.threads.search_filter at 0007)."""
    words = q.split()[:8]
    if not words:
        return None
    t, m = Thread.__table__.c, Message.__table__.c
    clauses = []
    for word in words:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        in_messages = exists().where(
            m.thread_id == t.id, m.role.in_(("user", "assistant")), m.content.ilike(pattern, escape="\\")
        )
        clauses.append(or_(t.title.ilike(pattern, escape="\\"), in_messages))
    return and_(*clauses)


async def seed(sessionmaker) -> uuid.UUID:  # type: ignore[no-untyped-def]
    rnd = random.Random(19)
    owner = uuid.uuid4()
    async with sessionmaker() as session:
        await session.execute(insert(User), [{"id": owner, "name": f"bench-{owner.hex[:8]}"}])
        threads = [{"id": uuid.uuid4(), "owner_id": owner, "title": f"thread {i}"} for i in range(THREADS)]
        await session.execute(insert(Thread), threads)
        rows = []
        for i, t in enumerate(threads):
            for seq in range(MESSAGES):
                words = [rnd.choice(VOCAB) for _ in range(rnd.randint(20, 80))]
                if i % 250 == 7 and seq == 11:
                    words.append("Navile")
                role = "user" if seq % 2 == 0 else "assistant"
                rows.append(
                    {
                        "id": uuid.uuid4(),
                        "thread_id": t["id"],
                        "seq": seq,
                        "role": role,
                        "content": " ".join(words),
                    }
                )
        await session.execute(insert(Message), rows)
        await session.commit()
    return owner


async def one(sessionmaker, owner: uuid.UUID, q: str, kind: str) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    t = Thread.__table__.c
    async with sessionmaker() as session:
        dialect = session.get_bind().dialect.name
        start = time.perf_counter()
        query = select(Thread.__table__).where(t.owner_id == owner, t.archived_at.is_(None))
        query = query.order_by(t.updated_at.desc(), t.id.desc())
        if kind == "like":
            rows = list((await session.execute(query.where(like_filter(q)).limit(PAGE + 1))).all())
        else:
            rows = await search_page(session, query, q, PAGE)
            await find_matches(session, dialect, q, rows[:PAGE])
        return (time.perf_counter() - start) * 1000, len(rows)


async def run(url: str, runs: int, tmp: Path) -> None:
    settings = Settings(environment="test", database_url=url, data_dir=tmp, _env_file=None)  # type: ignore[call-arg]
    upgrade(settings)
    engine = make_engine(settings)
    sessionmaker = make_sessionmaker(engine)
    owner = await seed(sessionmaker)
    backend = engine.dialect.name
    for q in QUERIES:
        times: dict[str, list[float]] = {"like": [], "fts": []}
        found: dict[str, int] = {}
        for _ in range(runs):
            for kind in ("like", "fts"):
                ms, found[kind] = await one(sessionmaker, owner, q, kind)
                times[kind].append(ms)
        like, fts = times["like"], times["fts"]
        print(
            f"{backend:10} {q!r:20} rows like={found['like']:3} fts={found['fts']:3}  "
            f"LIKE p50 {pct(like, 50):7.1f} p95 {pct(like, 95):7.1f} ms | "
            f"FTS p50 {pct(fts, 50):6.1f} p95 {pct(fts, 95):6.1f} ms | "
            f"ratio p50 {pct(like, 50) / pct(fts, 50):5.1f}x p95 {pct(like, 95) / pct(fts, 95):5.1f}x"
        )
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    print(f"{THREADS} threads x {MESSAGES} messages, first page of {PAGE}, {args.runs} runs per query")
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.backends.split(","):
            if backend == "sqlite":
                asyncio.run(run(f"sqlite:///{tmp}/bench.sqlite", args.runs, Path(tmp)))
                continue
            name = f"lgurban_bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                asyncio.run(run(PG_ADMIN_URL.rpartition("/")[0] + f"/{name}", args.runs, Path(tmp)))
            finally:
                with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
