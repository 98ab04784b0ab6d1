"""Run Alembic migrations programmatically (used by `lgurban db upgrade`, `serve --migrate` and the tests).

Several replicas may start at the same moment on a fresh database: an upgrade runs under `schema_lock`
(PostgreSQL: an advisory lock; SQLite: a file lock), so one migrates and the others then find nothing to do.
"""

from __future__ import annotations

import contextlib
import fcntl
import time
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config

from lgurban.settings import Settings, to_libpq_url

# the advisory lock key of schema changes (the app's migrations and the checkpointer's setup): "lgurban"
SCHEMA_LOCK_KEY = 0x6C6775726261
LOCK_POLL_S = 0.1

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(settings: Settings) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["database_url"] = settings.resolved_database_url
    return cfg


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` (made if missing) across processes, released on exit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def schema_lock(settings: Settings) -> Iterator[None]:
    """Serialise schema changes across processes on the deployment's database."""
    if settings.is_sqlite:
        with file_lock(settings.data_dir / ".schema.lock"):
            yield
        return
    import psycopg

    with psycopg.connect(to_libpq_url(settings.resolved_database_url), autocommit=True) as conn:
        # poll with try-lock rather than wait in pg_advisory_lock: a waiting statement holds a snapshot,
        # which a CREATE INDEX CONCURRENTLY of the lock holder would wait for (a deadlock nobody detects)
        while not conn.execute("SELECT pg_try_advisory_lock(%s)", (SCHEMA_LOCK_KEY,)).fetchone()[0]:  # type: ignore[index]
            time.sleep(LOCK_POLL_S)
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK_KEY,))


def upgrade(settings: Settings, revision: str = "head") -> None:
    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    with schema_lock(settings):
        command.upgrade(alembic_config(settings), revision)


def downgrade(settings: Settings, revision: str) -> None:
    command.downgrade(alembic_config(settings), revision)
