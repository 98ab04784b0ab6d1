"""Full-text search over thread titles and user/assistant messages, the same on both databases (issue 19).

A query is split into words the way both indexes split text (at every character that is not a letter
or a digit; FTS syntax such as `"`, `*`, `:`, `-`, `NEAR` or `OR` is just more separators or plain
words), lowercased, and each word is searched as a word prefix: `'word':*` in a PostgreSQL tsquery on
the 'simple' configuration, `"word"*` in an SQLite FTS5 query. The expressions below are those of
migration 0008's indexes (PostgreSQL plans the GIN index only when they are written out identically).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, column, func, literal_column, or_, select, text
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


def search_filter(dialect: str, q: str) -> ColumnElement[bool] | None:
    """Every word of `q`, or a word it begins, appears in the title or in a user/assistant message."""
    words = query_words(q)
    if not words:
        return None
    t = Thread.__table__.c
    clauses = []
    for i, word in enumerate(words):
        in_messages = _message_hits(dialect, [word], "&", f"search_m{i}").subquery()
        clauses.append(
            or_(_title_hit(dialect, word, f"search_t{i}"), t.id.in_(select(in_messages.c.thread_id)))
        )
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


def _earlier(users: list[tuple[int, uuid.UUID]], replaced: set[str], seq: int) -> bool:
    """Whether the exchange holding message `seq` (from the last question at or before it) was replaced."""
    asked = [ident for s, ident in users if s <= seq]
    return bool(asked) and str(asked[-1]) in replaced


async def find_matches(
    session: AsyncSession, dialect: str, q: str, threads: Sequence[Any]
) -> dict[uuid.UUID, Match]:
    """For each thread of a result page: its first hit in the current messages, else in an earlier
    version of them, else in the title."""
    words = query_words(q)
    ids = [t.id for t in threads]
    if not words or not ids:
        return {}
    m = Message.__table__.c
    hits_q = _message_hits(dialect, words, "|" if dialect == "postgresql" else "OR", "search_any")
    hits = (await session.execute(hits_q.where(m.thread_id.in_(ids)).order_by(m.thread_id, m.seq))).all()
    asked = await session.execute(
        select(m.thread_id, m.seq, m.id, m.meta).where(m.thread_id.in_(ids), m.role == "user").order_by(m.seq)
    )
    users: dict[uuid.UUID, list[tuple[int, uuid.UUID]]] = {}
    replaced: set[str] = set()
    for thread_id, seq, ident, meta in asked.all():
        users.setdefault(thread_id, []).append((seq, ident))
        if isinstance(meta, dict) and meta.get("replaces"):
            replaced.add(str(meta["replaces"]))
    chosen: dict[uuid.UUID, tuple[uuid.UUID, bool]] = {}
    for ident, thread_id, seq in hits:
        earlier = _earlier(users.get(thread_id, []), replaced, seq)
        if thread_id not in chosen or (chosen[thread_id][1] and not earlier):
            chosen[thread_id] = (ident, earlier)
    rows = await session.execute(
        select(m.id, m.role, m.content).where(m.id.in_([c[0] for c in chosen.values()]))
    )
    found = {ident: (role, content) for ident, role, content in rows.all()}
    out: dict[uuid.UUID, Match] = {}
    for thread in threads:
        if thread.id in chosen:
            ident, earlier = chosen[thread.id]
            role, content = found[ident]
            body, ranges = snippet(content, words)
            out[thread.id] = Match(body, ranges, "message", ident, role, earlier)
        else:
            body, ranges = snippet(thread.title, words)
            out[thread.id] = Match(body, ranges, "title")
    return out
