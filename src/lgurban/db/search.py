"""Full-text search over thread titles and user/assistant messages, the same on both databases (issue 19).

A query is split into words the way both indexes split text (at every character that is not a letter
or a digit; FTS syntax such as `"`, `*`, `:`, `-`, `NEAR` or `OR` is just more separators or plain
words), lowercased, and each word is searched as a word prefix: `'word':*` in a PostgreSQL tsquery on
the 'simple' configuration, `"word"*` in an SQLite FTS5 query. The expressions below are those of
migration 0009's indexes (PostgreSQL plans the GIN index only when they are written out identically).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, case, column, func, literal_column, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban.db.models import Message, Thread

WORD = re.compile(r"[^\W_]+")
MAX_SEARCH_WORDS = 8
_PG_WORDS = "to_tsvector('simple', regexp_replace({col}, '[^[:alnum:]]+', ' ', 'g'))"
_PG_ROLES = "messages.role IN ('user', 'assistant')"


def query_words(q: str) -> list[str]:
    """The distinct lowercase words of `q` (at most MAX_SEARCH_WORDS), each safe in either FTS syntax."""
    words: list[str] = []
    for word in WORD.findall(q.lower()):
        if word not in words:
            words.append(word)
    return words[:MAX_SEARCH_WORDS]


def _pg_query(words: Sequence[str], joiner: str) -> str:
    return f" {joiner} ".join(f"'{w}':*" for w in words)


def _sqlite_query(words: Sequence[str], joiner: str) -> str:
    return f" {joiner} ".join('"{}"*'.format(w.replace('"', '""')) for w in words)


def _message_hits(dialect: str, words: Sequence[str], joiner: str, name: str) -> Any:
    """SELECT of (id, thread_id, seq) of the user/assistant messages that match `words` joined by `joiner`."""
    m = Message.__table__.c
    if dialect == "postgresql":
        tsv: ColumnElement[Any] = literal_column(_PG_WORDS.format(col="messages.content"))
        tsq = func.to_tsquery(literal_column("'simple'"), bindparam(name, _pg_query(words, joiner)))
        return select(m.id, m.thread_id, m.seq).where(text(_PG_ROLES), tsv.op("@@")(tsq))
    fts = (
        text(f"SELECT rowid FROM messages_fts WHERE messages_fts MATCH :{name}")
        .bindparams(bindparam(name, _sqlite_query(words, joiner)))
        .columns(column("rowid"))
    )
    return select(m.id, m.thread_id, m.seq).where(literal_column("messages.rowid").in_(fts))


def _title_hit(dialect: str, word: str, name: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        tsv: ColumnElement[Any] = literal_column(_PG_WORDS.format(col="threads.title"))
        return tsv.op("@@")(
            func.to_tsquery(literal_column("'simple'"), bindparam(name, _pg_query([word], "&")))
        )
    fts = (
        text(f"SELECT rowid FROM threads_fts WHERE threads_fts MATCH :{name}")
        .bindparams(bindparam(name, _sqlite_query([word], "AND")))
        .columns(column("rowid"))
    )
    return literal_column("threads.rowid").in_(fts)


def _in_thread_messages(dialect: str, word: str, name: str) -> ColumnElement[bool]:
    """A user/assistant message of the thread holds `word`.

    SQLite: a correlated EXISTS over the thread's few messages, against the FTS5 hits gathered once per
    statement (an FTS5 probe per message would rebuild a prefix word's whole doclist each time), so a
    page of newest threads stops early on a common word. PostgreSQL keeps the semi-join on the GIN
    index: correlated, its planner recomputes to_tsvector row by row (2 s for a rare word in bench/search.py).
    """
    hits = _message_hits(dialect, [word], "&" if dialect == "postgresql" else "AND", name)
    if dialect == "postgresql":
        in_messages = hits.subquery()
        return Thread.__table__.c.id.in_(select(in_messages.c.thread_id))
    return hits.where(Message.__table__.c.thread_id == Thread.__table__.c.id).exists()


def search_filter(dialect: str, q: str) -> ColumnElement[bool] | None:
    """Every word of `q`, or a word it begins, appears in the title or in a user/assistant message."""
    words = query_words(q)
    if not words:
        return None
    clauses = [
        or_(_title_hit(dialect, word, f"search_t{i}"), _in_thread_messages(dialect, word, f"search_m{i}"))
        for i, word in enumerate(words)
    ]
    return and_(*clauses)


@dataclass(frozen=True)
class Match:
    """Where a thread matched: plain text around the first hit, hits as [start, end) code-point ranges."""

    text: str
    ranges: list[tuple[int, int]]
    field: str  # title|message
    message_id: uuid.UUID | None = None
    role: str | None = None
    earlier_version: bool = False  # the hit is in an exchange an edit-and-resend or regenerate replaced


SNIPPET_BEFORE = 40
SNIPPET_CHARS = 160
_MARKUP = re.compile(r"[*`#]+")


def _is_hit(token: str, words: Iterable[str]) -> bool:
    low = token.lower()
    return any(low.startswith(w) for w in words)


def snippet(source: str, words: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """A short plain-text window of `source` around its first hit, with every hit in it as a range."""
    first = next((m.start() for m in WORD.finditer(source) if _is_hit(m.group(), words)), 0)
    start = max(0, first - SNIPPET_BEFORE)
    if start > 0 and (space := source.find(" ", start, first)) != -1:
        start = space + 1
    end = min(len(source), start + SNIPPET_CHARS)
    if end < len(source) and (space := source.rfind(" ", first, end)) != -1:
        end = space
    body = " ".join(_MARKUP.sub("", source[start:end]).split())
    out = ("…" if start > 0 else "") + body + ("…" if end < len(source) else "")
    ranges = [(m.start(), m.end()) for m in WORD.finditer(out) if _is_hit(m.group(), words)]
    return out, ranges


def _hit_pattern(words: Sequence[str]) -> re.Pattern[str]:
    """A word of the text (split as the indexes split it) that begins with one of `words`."""
    return re.compile("(?<![^\\W_])(?:" + "|".join(re.escape(w) for w in words) + ")", re.IGNORECASE)


def _first_hits(
    rows: Iterable[Any], pattern: re.Pattern[str]
) -> dict[uuid.UUID, tuple[uuid.UUID, str, str, bool]]:
    """Per thread (rows in thread, seq order): its first hit in a current message, else in an earlier
    version (an exchange, from a question on, that an edit-and-resend or regenerate replaced)."""
    replaced: set[str] = set()
    exchange: dict[uuid.UUID, uuid.UUID] = {}  # thread -> its latest question so far
    hits: list[tuple[uuid.UUID, uuid.UUID | None, uuid.UUID, str, str]] = []
    for thread_id, ident, role, content, meta in rows:
        if role == "user":
            exchange[thread_id] = ident
            if isinstance(meta, dict) and meta.get("replaces"):
                replaced.add(str(meta["replaces"]))
        if pattern.search(content):
            hits.append((thread_id, exchange.get(thread_id), ident, role, content))
    chosen: dict[uuid.UUID, tuple[uuid.UUID, str, str, bool]] = {}
    for thread_id, asked, ident, role, content in hits:
        earlier = asked is not None and str(asked) in replaced
        if thread_id not in chosen or (chosen[thread_id][3] and not earlier):
            chosen[thread_id] = (ident, role, content, earlier)
    return chosen


async def find_matches(
    session: AsyncSession, dialect: str, q: str, threads: Sequence[Any]
) -> dict[uuid.UUID, Match]:
    """For each thread of a result page: its first hit in the current messages, else in an earlier
    version of them, else in the title. One query over the page's messages only; the hits are found
    here with the indexes' word split (a page is at most a few hundred short messages)."""
    words = query_words(q)
    ids = [t.id for t in threads]
    if not words or not ids:
        return {}
    m = Message.__table__.c
    rows = await session.execute(
        select(m.thread_id, m.id, m.role, m.content, case((m.role == "user", m.meta)))
        .where(m.thread_id.in_(ids), m.role.in_(("user", "assistant")))
        .order_by(m.thread_id, m.seq)
    )
    chosen = _first_hits(rows.all(), _hit_pattern(words))
    out: dict[uuid.UUID, Match] = {}
    for thread in threads:
        if thread.id in chosen:
            ident, role, content, earlier = chosen[thread.id]
            body, ranges = snippet(content, words)
            out[thread.id] = Match(body, ranges, "message", ident, role, earlier)
        else:
            body, ranges = snippet(thread.title, words)
            out[thread.id] = Match(body, ranges, "title")
    return out
