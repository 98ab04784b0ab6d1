"""`lgurban db check`: the plan's connectivity test (§3.4) of the deployment's database.

Server version, TLS in use and how far it is verified, round-trip latency, migrations at head, and the
LangGraph checkpointer's tables. Read-only: it changes nothing on the server.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from lgurban.db.migrate import alembic_config
from lgurban.db.session import make_engine
from lgurban.settings import Settings, sqlite_file

PG_CHECKPOINT_TABLES = ("checkpoint_migrations", "checkpoints", "checkpoint_blobs", "checkpoint_writes")
SQLITE_CHECKPOINT_TABLES = ("checkpoints", "writes")
PINGS = 5


@dataclass
class CheckReport:
    backend: str
    server_version: str = ""
    tls: str = "not used"
    latency_ms: float = 0.0
    revision: str | None = None
    head: str | None = None
    missing_checkpoint_tables: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        out = []
        if self.revision != self.head:
            out.append(
                f"migrations at {self.revision or 'none'}, head is {self.head}: run `lgurban db upgrade`"
            )
        if self.missing_checkpoint_tables:
            out.append(
                "checkpointer tables missing: " + ", ".join(self.missing_checkpoint_tables)
                + " (made when the server starts)"
            )  # fmt: skip
        return out

    def lines(self) -> list[str]:
        return [
            f"database        {self.backend} {self.server_version}",
            f"tls             {self.tls}",
            f"latency         {self.latency_ms:.1f} ms (median of {PINGS} round trips)",
            f"migrations      {self.revision or 'none'} (head {self.head})",
            "checkpointer    "
            + (
                "tables present"
                if not self.missing_checkpoint_tables
                else "missing " + ", ".join(self.missing_checkpoint_tables)
            ),
        ]


def tls_verification(url: str) -> str:
    """How far libpq's sslmode in `url` verifies the server: what the connection string promises."""
    given = dict(parse_qsl(url.partition("?")[2]))
    mode = given.get("sslmode") or given.get("ssl") or "prefer"
    if mode == "require" and given.get("sslrootcert"):
        mode = "verify-ca"
    return {
        "verify-full": "certificate and host name verified",
        "verify-ca": "certificate verified, host name NOT checked (use sslmode=verify-full)",
    }.get(mode, f"certificate NOT verified (sslmode={mode}; use verify-full with sslrootcert)")


async def run_check(settings: Settings) -> CheckReport:
    """Connect and measure; a database that does not answer raises (the caller reports it)."""
    engine = make_engine(settings)
    try:
        async with engine.connect() as conn:
            report = await _server(conn, settings)
            report.latency_ms = await _latency_ms(conn)
            report.revision = await _revision(conn)
    finally:
        await engine.dispose()
    report.head = ScriptDirectory.from_config(alembic_config(settings)).get_current_head()
    report.missing_checkpoint_tables = await _missing_checkpoint_tables(settings)
    return report


async def _server(conn: AsyncConnection, settings: Settings) -> CheckReport:
    if settings.is_sqlite:
        version = (await conn.execute(text("SELECT sqlite_version()"))).scalar_one()
        return CheckReport(backend="SQLite", server_version=str(version), tls="not used (a local file)")
    version = (await conn.execute(text("SHOW server_version"))).scalar_one()
    row = (
        await conn.execute(text("SELECT ssl, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
    ).one_or_none()
    tls = "OFF: the connection is not encrypted (add sslmode=verify-full to DATABASE_URL)"
    if row is not None and row[0]:
        tls = f"on ({row[1]}, {row[2]}); {tls_verification(settings.resolved_database_url)}"
    return CheckReport(backend="PostgreSQL", server_version=str(version), tls=tls)


async def _latency_ms(conn: AsyncConnection) -> float:
    times = []
    for _ in range(PINGS):
        start = time.perf_counter()
        await conn.execute(text("SELECT 1"))
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


async def _revision(conn: AsyncConnection) -> str | None:
    def read(sync_conn: object) -> str | None:
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(sync_conn).get_current_revision()  # type: ignore[arg-type]

    return await conn.run_sync(read)


async def _missing_checkpoint_tables(settings: Settings) -> list[str]:
    url = settings.resolved_checkpoint_url
    if url.startswith("postgres"):
        import psycopg

        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as pg:
            cur = await pg.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            )
            present = {r[0] for r in await cur.fetchall()}
        return [t for t in PG_CHECKPOINT_TABLES if t not in present]
    return _missing_sqlite_tables(Path(sqlite_file(url)))


def _missing_sqlite_tables(path: Path) -> list[str]:
    if not path.is_file():
        return list(SQLITE_CHECKPOINT_TABLES)
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as lite:
        present = {r[0] for r in lite.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return [t for t in SQLITE_CHECKPOINT_TABLES if t not in present]
