"""Database URLs in the forms the drivers want: SQLAlchemy's async drivers, libpq (psycopg), a SQLite file."""

from __future__ import annotations

_PG_PREFIXES = ("postgres://", "postgresql://", "postgresql+psycopg://", "postgresql+psycopg2://")


def _rename_query_key(url: str, old: str, new: str) -> str:
    base, sep, query = url.partition("?")
    if not sep:
        return url
    pairs = [p.split("=", 1) if "=" in p else [p, ""] for p in query.split("&") if p]
    return base + "?" + "&".join(f"{new if k == old else k}={v}" for k, v in pairs)


def to_async_url(url: str) -> str:
    """Normalise a database URL to the async driver SQLAlchemy uses here.

    libpq's `sslmode=require` (what RDS documents) becomes asyncpg's `ssl=require`; asyncpg refuses `sslmode`.
    """
    for prefix in _PG_PREFIXES:
        if url.startswith(prefix):
            url = "postgresql+asyncpg://" + url[len(prefix) :]
            break
    if url.startswith("postgresql+asyncpg://"):
        return _rename_query_key(url, "sslmode", "ssl")
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url[len("sqlite:///") :]
    return url


def sqlite_file(url: str) -> str:
    """The file of a SQLite URL (`sqlite:///…`, `sqlite+aiosqlite:///…`), or the argument if a path."""
    return url.removeprefix("sqlite:///").removeprefix("sqlite+aiosqlite:///")


def to_libpq_url(url: str) -> str:
    """The same PostgreSQL database as a plain libpq URL (psycopg, the LangGraph checkpointer)."""
    for prefix in ("postgresql+asyncpg://", *_PG_PREFIXES):
        if url.startswith(prefix):
            return _rename_query_key("postgresql://" + url[len(prefix) :], "ssl", "sslmode")
    return url
