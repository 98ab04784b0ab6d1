"""The full-text search objects migrations 0009 and 0010 create outside the ORM metadata (issue 19).

Alembic's model/migration comparison must not take them for tables, indexes or columns the models forgot:
`is_fts_object` tells it (and the migration test) to look past them. lgurban.search queries them.
"""

from __future__ import annotations

FTS_TABLES = ("messages_fts", "threads_fts")  # SQLite FTS5 virtual tables
FTS_SHADOW_SUFFIXES = ("_data", "_idx", "_docsize", "_config", "_content")  # the tables FTS5 makes for each
FTS_VIEWS = ("messages_searched",)  # SQLite: the content of messages_fts (user/assistant messages)
FTS_INDEXES = (
    "ix_messages_search",
    "ix_threads_search",
)  # PostgreSQL GIN indexes (on FTS_COLUMNS since 0010)
FTS_COLUMNS = ("search_words",)  # PostgreSQL: generated tsvector columns of messages and threads (0010)


def is_fts_object(name: str | None) -> bool:
    if name is None:
        return False
    if name in FTS_INDEXES or name in FTS_TABLES or name in FTS_VIEWS or name in FTS_COLUMNS:
        return True
    return any(name == t + s for t in FTS_TABLES for s in FTS_SHADOW_SUFFIXES)
