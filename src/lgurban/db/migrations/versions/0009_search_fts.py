"""full-text search over titles and user/assistant messages (issue 19)

PostgreSQL: GIN expression indexes on to_tsvector('simple', …) (no stemming: Italian and English alike).
SQLite: external-content FTS5 tables over `messages` and `threads`, kept in sync by triggers and filled
from the rows already there. Both split text into words at every character that is not a letter or a
digit, so both databases find the same words. These objects are outside the ORM metadata
(lgurban.db.fts names them for the model/migration comparison), and lgurban.search queries exactly
these expressions. A later batch ("move and copy") migration of `messages` or `threads` on SQLite drops
the triggers with the old table: it must run this revision's SQLite statements again.

Revision ID: 0009_search_fts
Revises: 0008_thread_reviewer
Create Date: 2026-12-03 13:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009_search_fts"
down_revision: str | None = "0008_thread_reviewer"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = "('user', 'assistant')"
WORDS = "regexp_replace({col}, '[^[:alnum:]]+', ' ', 'g')"

POSTGRES_UP = [
    f"CREATE INDEX ix_messages_search ON messages USING gin "
    f"(to_tsvector('simple', {WORDS.format(col='content')})) WHERE role IN {ROLES}",
    f"CREATE INDEX ix_threads_search ON threads USING gin "
    f"(to_tsvector('simple', {WORDS.format(col='title')}))",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS ix_messages_search", "DROP INDEX IF EXISTS ix_threads_search"]

EXTERNAL = "content_rowid='rowid', tokenize = \"unicode61 remove_diacritics 0\""
SQLITE_UP = [
    # the content "table" is a view of the searched messages only, so that FTS5's 'rebuild' (after a
    # VACUUM, which may renumber the rowids of a table without an INTEGER PRIMARY KEY) indexes the same rows
    f"CREATE VIEW messages_searched AS SELECT rowid AS rowid, content FROM messages WHERE role IN {ROLES}",
    f"CREATE VIRTUAL TABLE messages_fts USING fts5(content, content='messages_searched', {EXTERNAL})",
    f"CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.role IN {ROLES} BEGIN "
    "INSERT INTO messages_fts(rowid, content) VALUES (new.rowid, new.content); END",
    f"CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.role IN {ROLES} BEGIN "
    "INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.rowid, old.content); END",
    # one trigger, old entry out before the new one goes in (a word in both must stay)
    "CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, role ON messages BEGIN "
    "INSERT INTO messages_fts(messages_fts, rowid, content) "
    f"SELECT 'delete', old.rowid, old.content WHERE old.role IN {ROLES}; "
    f"INSERT INTO messages_fts(rowid, content) SELECT new.rowid, new.content WHERE new.role IN {ROLES}; END",
    "INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')",
    f"CREATE VIRTUAL TABLE threads_fts USING fts5(title, content='threads', {EXTERNAL})",
    "CREATE TRIGGER threads_fts_insert AFTER INSERT ON threads BEGIN "
    "INSERT INTO threads_fts(rowid, title) VALUES (new.rowid, new.title); END",
    "CREATE TRIGGER threads_fts_delete AFTER DELETE ON threads BEGIN "
    "INSERT INTO threads_fts(threads_fts, rowid, title) VALUES ('delete', old.rowid, old.title); END",
    "CREATE TRIGGER threads_fts_update AFTER UPDATE OF title ON threads BEGIN "
    "INSERT INTO threads_fts(threads_fts, rowid, title) VALUES ('delete', old.rowid, old.title); "
    "INSERT INTO threads_fts(rowid, title) VALUES (new.rowid, new.title); END",
    "INSERT INTO threads_fts(threads_fts) VALUES ('rebuild')",
]
TRIGGERS = ("insert", "delete", "update")
SQLITE_DOWN = [
    *(f"DROP TRIGGER IF EXISTS {t}_fts_{e}" for t in ("messages", "threads") for e in TRIGGERS),
    "DROP TABLE IF EXISTS messages_fts",
    "DROP VIEW IF EXISTS messages_searched",
    "DROP TABLE IF EXISTS threads_fts",
]


def _statements(postgres: list[str], sqlite: list[str]) -> list[str]:
    name = op.get_bind().dialect.name
    if name == "postgresql":
        return postgres
    if name == "sqlite":
        return sqlite
    raise NotImplementedError(f"full-text search is not set up for {name}")


def upgrade() -> None:
    for statement in _statements(POSTGRES_UP, SQLITE_UP):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(POSTGRES_DOWN, SQLITE_DOWN):
        op.execute(statement)
