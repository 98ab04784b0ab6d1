"""Where a secret could end up at rest: every row of every table, and every file under DATA_DIR, as bytes."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg

from lgurban.settings import sqlite_file, to_libpq_url


def table_bytes(db_url: str, *tables: str) -> bytes:
    """PostgreSQL: each row of `tables` (all of the public schema's when none are named), values as bytes
    (bytea raw, JSON dumped, the rest as text). SQLite: the whole database file and its WAL."""
    if not db_url.startswith("postgres"):
        db = Path(sqlite_file(db_url))
        return b"\n".join(p.read_bytes() for p in (db, Path(f"{db}-wal")) if p.exists())
    out = bytearray()
    with psycopg.connect(to_libpq_url(db_url)) as conn:
        names = list(tables) or [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        ]
        for name in names:
            for row in conn.execute(f'SELECT * FROM "{name}"'):
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        out += bytes(value)
                    elif isinstance(value, dict | list):
                        out += json.dumps(value).encode()
                    else:
                        out += str(value).encode()
                    out += b"\n"
    return bytes(out)


def files_bytes(root: Path) -> bytes:
    """Every file under `root` (the SQLite databases and their WAL, workspaces, stored artifacts)."""
    return b"\n".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())
