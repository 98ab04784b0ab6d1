"""stored search words on PostgreSQL: generated tsvector columns under the GIN indexes (issue 19)

0009 indexed the expression to_tsvector('simple', regexp_replace(…)): every heap recheck and every
per-thread test recomputed it (the newest-threads page of a common word scanned all its hits). Here
`messages.search_words` (NULL for tool messages) and `threads.search_words` hold that value, kept by
PostgreSQL itself; the GIN indexes of the same names now index the columns. The columns are outside
the ORM metadata (lgurban.db.fts).

SQLite: 0009's FTS5 tables are made again with prefix indexes of 2, 3 and 4 characters (a query of a
short prefix reads one doclist instead of merging those of every word it begins; lgurban.db.search
counts a word's hits that way before choosing how to search); the triggers name the tables and stay.

Revision ID: 0010_search_words
Revises: 0009_search_fts
Create Date: 2026-12-07 14:15:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010_search_words"
down_revision: str | None = "0009_search_fts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = "('user', 'assistant')"
WORDS = "to_tsvector('simple', regexp_replace({col}, '[^[:alnum:]]+', ' ', 'g'))"

UP = [
    "DROP INDEX IF EXISTS ix_messages_search",
    "DROP INDEX IF EXISTS ix_threads_search",
    "ALTER TABLE messages ADD COLUMN search_words tsvector GENERATED ALWAYS AS "
    f"(CASE WHEN role IN {ROLES} THEN {WORDS.format(col='content')} END) STORED",
    "ALTER TABLE threads ADD COLUMN search_words tsvector GENERATED ALWAYS AS "
    f"({WORDS.format(col='title')}) STORED",
    "CREATE INDEX ix_messages_search ON messages USING gin (search_words) WHERE search_words IS NOT NULL",
    "CREATE INDEX ix_threads_search ON threads USING gin (search_words)",
]
DOWN = [
    "DROP INDEX IF EXISTS ix_messages_search",
    "DROP INDEX IF EXISTS ix_threads_search",
    "ALTER TABLE messages DROP COLUMN search_words",
    "ALTER TABLE threads DROP COLUMN search_words",
    # 0009's expression indexes
    f"CREATE INDEX ix_messages_search ON messages USING gin ({WORDS.format(col='content')}) "
    f"WHERE role IN {ROLES}",
    f"CREATE INDEX ix_threads_search ON threads USING gin ({WORDS.format(col='title')})",
]


EXTERNAL = "content_rowid='rowid', tokenize = \"unicode61 remove_diacritics 0\""


def _sqlite_fts(prefix: str) -> list[str]:
    return [
        "DROP TABLE messages_fts",
        "CREATE VIRTUAL TABLE messages_fts USING "
        f"fts5(content, content='messages_searched', {EXTERNAL}{prefix})",
        "INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')",
        "DROP TABLE threads_fts",
        f"CREATE VIRTUAL TABLE threads_fts USING fts5(title, content='threads', {EXTERNAL}{prefix})",
        "INSERT INTO threads_fts(threads_fts) VALUES ('rebuild')",
    ]


def _statements(postgres: list[str], sqlite: list[str]) -> list[str]:
    name = op.get_bind().dialect.name
    if name == "postgresql":
        return postgres
    if name == "sqlite":
        return sqlite
    raise NotImplementedError(f"full-text search is not set up for {name}")


def upgrade() -> None:
    for statement in _statements(UP, _sqlite_fts(", prefix='2 3 4'")):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(DOWN, _sqlite_fts("")):
        op.execute(statement)
