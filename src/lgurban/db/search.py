"""Full-text search over thread titles and user/assistant messages, the same on both databases (issue 19).

A query is split into words the way both indexes split text (at every character that is not a letter
or a digit; FTS syntax such as `"`, `*`, `:`, `-`, `NEAR` or `OR` is just more separators or plain
words), lowercased, and each word is searched as a word prefix: `'word':*` in a PostgreSQL tsquery on
the 'simple' configuration over the `search_words` columns (migration 0010), `"word"*` in an SQLite
FTS5 query (migration 0009).

A page of newest threads is found in two ways with the same answer (`search_page`): thread by thread,
newest first, stopping at the page's end, within the newest SCAN_WINDOW pages of threads (a common
word: the first threads hold it); if those do not fill the page, through the indexes (a rare word:
its few hits, whatever their age). Thread by thread, PostgreSQL tests the stored tsvector and SQLite a
regular expression with the indexes' word split (an FTS5 probe per message would rebuild a prefix
word's whole doclist each time).
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from lgurban.db.models import Message, Thread

WORD = re.compile(r"[^\W_]+")
MAX_SEARCH_WORDS = 8
SCAN_WINDOW = 2  # pages of newest threads tested one by one before the indexes are asked
RARE_HITS = 300  # SQLite: a word with fewer message hits is searched through the FTS5 index
ROLES = ("user", "assistant")


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


def _pg_match(table: str, words: Sequence[str], joiner: str, name: str) -> ColumnElement[bool]:
    """`table`.search_words (migration 0010; NULL for tool messages) holds `words` joined by `joiner`."""
    # written into the statement: a prepared statement's generic plan, blind to the words, chose a
    # GIN bitmap of every hit for each thread (0.5 s for a common word)
    tsq = func.to_tsquery(
        literal_column("'simple'"), bindparam(name, _pg_query(words, joiner), literal_execute=True)
    )
    return literal_column(f"{table}.search_words").op("@@")(tsq)


def _n(count: int) -> ColumnElement[int]:
    """A LIMIT written into the statement: PostgreSQL's generic plan of a prepared statement, blind to
    a bound LIMIT, walked every thread (5x slower)."""
    return literal_column(str(int(count)), Integer)


def _hit_regexp(words: Sequence[str]) -> str:
    """SQLite REGEXP (Python's re): a word of the text, split as the indexes split it, begins with one of
    `words` (case-insensitive)."""
    return "(?i)(?<![^\\W_])(?:" + "|".join(re.escape(w) for w in words) + ")"


def _message_hits(dialect: str, words: Sequence[str], joiner: str, name: str) -> Any:
    """SELECT of (id, thread_id, seq) of the user/assistant messages that match `words` joined by `joiner`."""
    m = Message.__table__.c
    if dialect == "postgresql":
        return select(m.id, m.thread_id, m.seq).where(_pg_match("messages", words, joiner, name))
    fts = (
        text(f"SELECT rowid FROM messages_fts WHERE messages_fts MATCH :{name}")
        .bindparams(bindparam(name, _sqlite_query(words, joiner)))
        .columns(column("rowid"))
    )
    return select(m.id, m.thread_id, m.seq).where(literal_column("messages.rowid").in_(fts))


def _title_hit(dialect: str, word: str, name: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        return _pg_match("threads", [word], "&", name)
    fts = (
        text(f"SELECT rowid FROM threads_fts WHERE threads_fts MATCH :{name}")
        .bindparams(bindparam(name, _sqlite_query([word], "AND")))
        .columns(column("rowid"))
    )
    return literal_column("threads.rowid").in_(fts)


def _in_thread_messages(dialect: str, word: str, name: str) -> ColumnElement[bool]:
    """A user/assistant message of the thread holds `word`: a semi-join on the hits gathered once."""
    hits = _message_hits(dialect, [word], "&" if dialect == "postgresql" else "AND", name).subquery()
    return Thread.__table__.c.id.in_(select(hits.c.thread_id))


def _indexed_clause(dialect: str, word: str, i: int) -> ColumnElement[bool]:
    return or_(_title_hit(dialect, word, f"search_t{i}"), _in_thread_messages(dialect, word, f"search_m{i}"))


def search_filter(dialect: str, q: str) -> ColumnElement[bool] | None:
    """Every word of `q`, or a word it begins, appears in the title or in a user/assistant message:
    through the indexes (every hit of each word, then the threads)."""
    words = query_words(q)
    return and_(*(_indexed_clause(dialect, w, i) for i, w in enumerate(words))) if words else None


def _message_test(dialect: str, words: Sequence[str], name: str) -> ColumnElement[bool]:
    """This message (a row of `messages`) holds one of `words`, tested on the row itself."""
    m = Message.__table__.c
    if dialect == "postgresql":
        return _pg_match("messages", words, "|", name)
    return and_(m.role.in_(ROLES), m.content.regexp_match(bindparam(name, _hit_regexp(words))))


def _scan_clause(dialect: str, word: str, i: int) -> ColumnElement[bool]:
    """The thread holds `word`, tested on the thread (title, then its messages in order up to a hit)."""
    t, m = Thread.__table__.c, Message.__table__.c
    if dialect == "postgresql":
        title = _pg_match("threads", [word], "&", f"scan_t{i}")
    else:
        title = t.title.regexp_match(bindparam(f"scan_t{i}", _hit_regexp([word])))
    # a scalar subquery with LIMIT 1: PostgreSQL cannot turn it into a semi-join over every hit
    first = select(literal(1)).where(m.thread_id == t.id, _message_test(dialect, [word], f"scan_m{i}"))
    return or_(title, first.limit(_n(1)).scalar_subquery().is_not(None))


def scan_filter(dialect: str, q: str) -> ColumnElement[bool] | None:
    """The same as `search_filter`, tested thread by thread: cheap for the first threads of a page
    when the words are common."""
    words = query_words(q)
    return and_(*(_scan_clause(dialect, w, i) for i, w in enumerate(words))) if words else None


def _rare(word: str, i: int) -> ColumnElement[bool]:
    """SQLite: `word` has fewer than RARE_HITS message hits (FTS5 counts them cheaply up to a limit)."""
    count = text(
        f"SELECT count(*) AS n FROM (SELECT rowid FROM messages_fts WHERE messages_fts MATCH :rare{i} "
        f"LIMIT {RARE_HITS})"
    ).bindparams(bindparam(f"rare{i}", _sqlite_query([word], "AND")))
    return count.columns(column("n", Integer)).scalar_subquery() < RARE_HITS


def _first_try(dialect: str, words: Sequence[str], window: ColumnElement[bool]) -> ColumnElement[bool]:
    """The words tested thread by thread within the window of newest threads. SQLite: a rare word
    (RARE_HITS) is searched through the index first, without the window, and the other words are
    then tested on its few threads only."""
    scans = [_scan_clause(dialect, w, i) for i, w in enumerate(words)]
    if dialect == "postgresql":  # a GIN count of a common prefix costs as much as the page
        return and_(window, *scans)
    # counted once in a CTE (each of the three uses below would count again)
    counts = select(*(_rare(w, i).label(f"rare{i}") for i, w in enumerate(words))).cte("search_rare")
    rare = [select(counts.c[f"rare{i}"]).scalar_subquery() for i in range(len(words))]
    indexed = [
        or_(~r, _indexed_clause(dialect, w, i)) for i, (w, r) in enumerate(zip(words, rare, strict=True))
    ]
    return and_(or_(window, *rare), *indexed, *(or_(r, scan) for r, scan in zip(rare, scans, strict=True)))


async def search_page(session: AsyncSession, query: Select[Any], q: str, limit: int) -> list[Row[Any]]:
    """The first `limit` + 1 rows of `query` (threads in the page's order, not limited) that match `q`,
    each with its first hit (`_with_first_hit`, for `find_matches`): first thread by thread within the
    newest SCAN_WINDOW pages of threads (`_first_try`); if those do not fill the page, through the
    indexes."""
    dialect = session.get_bind().dialect.name
    words = query_words(q)
    if not words:
        return list((await session.execute(query.limit(limit + 1))).all())
    t = Thread.__table__.c
    size = SCAN_WINDOW * (limit + 1)
    window = query.with_only_columns(t.id).limit(_n(size))
    paged = _with_first_hit(dialect, query, words)  # the page's snippets come in the same statement
    first = paged.where(_first_try(dialect, words, t.id.in_(window))).limit(_n(limit + 1))
    rows = list((await session.execute(first)).all())
    if len(rows) > limit:
        return rows
    if dialect == "sqlite":
        rare = (await session.execute(select(or_(*(_rare(w, i) for i, w in enumerate(words)))))).scalar()
        if rare:
            return rows  # the window did not apply
    indexed = and_(*(_indexed_clause(dialect, w, i) for i, w in enumerate(words)))
    return list((await session.execute(paged.where(indexed).limit(_n(limit + 1)))).all())


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


@functools.lru_cache(maxsize=64)
def _hit_tokens(words: tuple[str, ...]) -> re.Pattern[str]:
    """A whole word of the text (split as the indexes split it) that begins with one of `words`."""
    return re.compile("(?<![^\\W_])(?:" + "|".join(re.escape(w) for w in words) + ")[^\\W_]*", re.IGNORECASE)


def snippet(source: str, words: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """A short plain-text window of `source` around its first hit, with every hit in it as a range."""
    hits = _hit_tokens(tuple(words))
    first = found.start() if (found := hits.search(source)) else 0
    start = max(0, first - SNIPPET_BEFORE)
    if start > 0 and (space := source.find(" ", start, first)) != -1:
        start = space + 1
    end = min(len(source), start + SNIPPET_CHARS)
    if end < len(source) and (space := source.rfind(" ", first, end)) != -1:
        end = space
    body = " ".join(_MARKUP.sub("", source[start:end]).split())
    out = ("…" if start > 0 else "") + body + ("…" if end < len(source) else "")
    return out, [(m.start(), m.end()) for m in hits.finditer(out)]


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


def _with_first_hit(dialect: str, query: Select[Any], words: Sequence[str]) -> Select[Any]:
    """`query` (of threads) with each thread's first message, in order, that holds a word (hit_id,
    hit_role, hit_content), and whether the thread has an exchange that an edit-and-resend or
    regenerate replaced (hit_edited: its hit is then found by reading every message)."""
    t, m = Thread.__table__.c, Message.__table__.c
    edits = Message.__table__.alias("edits")
    edited = (
        select(literal(1))
        .where(edits.c.thread_id == t.id, edits.c.role == "user")
        .where(edits.c.meta["replaces"].as_string().is_not(None))
        .exists()
        .label("hit_edited")
    )
    first = (
        select(m.id, m.role, m.content)
        .where(m.thread_id == t.id, _message_test(dialect, words, "first_hit"))
        .order_by(m.seq)
        .limit(_n(1))
    )
    if dialect == "postgresql":  # joined on its id instead, PostgreSQL hashed every message
        hit: Any = first.lateral("hit")
        query = query.join_from(Thread.__table__, hit, true(), isouter=True)
    else:  # no LATERAL in SQLite: the message whose id the subquery finds
        hit = Message.__table__.alias("hit")
        first_id = first.with_only_columns(m.id).correlate(Thread.__table__).scalar_subquery()
        query = query.join_from(Thread.__table__, hit, hit.c.id == first_id, isouter=True)
    columns = (hit.c.id.label("hit_id"), hit.c.role.label("hit_role"), hit.c.content.label("hit_content"))
    return query.add_columns(*columns, edited)


async def _first_hits_in_python(
    session: AsyncSession, words: Sequence[str], ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[uuid.UUID, str, str, bool]]:
    """Per thread: every message read, to tell the current versions from the earlier ones."""
    m = Message.__table__.c
    rows = await session.execute(
        select(m.thread_id, m.id, m.role, m.content, case((m.role == "user", m.meta)))
        .where(m.thread_id.in_(ids), m.role.in_(ROLES))
        .order_by(m.thread_id, m.seq)
    )
    return _first_hits(rows.all(), _hit_pattern(words))


async def find_matches(
    session: AsyncSession, dialect: str, q: str, threads: Sequence[Any]
) -> dict[uuid.UUID, Match]:
    """For each thread of a result page (rows of `search_page`, with their first hits): its first hit in
    the current messages, else in an earlier version of them, else in the title. Only a thread with
    replaced exchanges has all its messages read, here."""
    words = query_words(q)
    ids = [t.id for t in threads]
    if not words or not ids:
        return {}
    chosen: dict[uuid.UUID, tuple[uuid.UUID, str, str, bool]] = {}
    replaced = [t.id for t in threads if t.hit_edited]
    for t in threads:
        if not t.hit_edited and t.hit_id is not None:
            chosen[t.id] = (t.hit_id, t.hit_role, t.hit_content, False)
    if replaced:
        chosen |= await _first_hits_in_python(session, words, replaced)
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
