"""Full-text thread search (issue 19): the same cases give the same answers on SQLite (FTS5) and
PostgreSQL (tsvector) — `db_url` runs every test here on both — FTS syntax in a query is plain words,
a hit in an earlier version of an exchange is found and says so, and each hit carries a snippet."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from lgurban.agent.run.resend import Resend
from lgurban.db.models import Message, Thread
from tests.factories import post_thread

THREADS = {
    "bike": (
        "Piste ciclabili",
        [
            ("user", "Quanti km di piste ciclabili ci sono a Bologna?"),
            ("assistant", "La città ha 250 km di percorsi ciclabili (dataset piste-ciclabili)."),
        ],
    ),
    "air": (
        "Air quality",
        [
            ("user", "Show NO2 levels near Porta San Felice"),
            ("assistant", "The NO2 annual mean at Porta San Felice was 38 µg/m³."),
        ],
    ),
    "tool": ("Parking", [("user", "Where can I park?"), ("tool", "ciclabili appears only in tool output")]),
    "code": ("Snake_case", [("assistant", "Use df.groupby('quartiere_id') then .sum() -- or NEAR(a b)")]),
}
CASES = [
    ("ciclabili", {"bike"}),  # a whole word, title and messages; a tool message does not count
    ("CICLAB", {"bike"}),  # any case, a word prefix
    ("città", {"bike"}),  # accents are letters (no unaccenting on either side)
    ("CITTÀ", {"bike"}),
    ("citta", set()),
    ("porta felice", {"air"}),  # every word, anywhere in the thread
    ("porta bologna", set()),
    ("no2", {"air"}),
    ("µg", {"air"}),
    ("quartiere", {"code"}),  # `_` and `.` split words on both databases
    ("groupby", {"code"}),
    ("piste-ciclabili", {"bike"}),
    ("ata", set()),  # a prefix, not any substring
    ("near", {"air", "code"}),  # NEAR is a word like any other
    ("snake", {"code"}),
]
HOSTILE = [
    '"',
    '"unclosed',
    "*",
    "a*b",
    ":",
    "no2:*",
    "&",
    "|",
    "!",
    "(",
    ")",
    "(porta",
    "-",
    "-porta",
    "NEAR",
    "NEAR(porta felice)",
    "AND",
    "OR",
    "porta OR bologna",
    "NOT porta",
    "porta AND felice",
    "'",
    "''",
    "\\",
    "^porta",
    "porta^",
    "{",
    "}",
    "[",
    "]",
    "+",
    "porta:A",
    "<->",
    "<2>",
    "%",
    "_",
]


async def _add(app, thread_id: str, texts, meta=None) -> list[uuid.UUID]:  # type: ignore[no-untyped-def]
    async with app.state.resources.sessionmaker() as session:
        rows = [
            Message(thread_id=uuid.UUID(thread_id), seq=seq, role=role, content=content)
            for seq, (role, content) in enumerate(texts)
        ]
        session.add_all(rows)
        await session.commit()
        return [r.id for r in rows]


async def _search(client, q: str, **params: object) -> list[dict]:  # type: ignore[no-untyped-def]
    r = await client.get("/api/threads", params={"q": q, **params})
    assert r.status_code == 200, f"{q!r}: {r.text}"
    items: list[dict] = r.json()["items"]
    return items


@pytest.fixture
async def corpus(alice, token_app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    made = {}
    for key, (title, texts) in THREADS.items():
        made[key] = (await post_thread(alice.client, title=title))["id"]
        await _add(token_app, made[key], texts)
    return made


async def test_the_same_cases_give_the_same_answers(alice, corpus) -> None:  # type: ignore[no-untyped-def]
    by_id = {v: k for k, v in corpus.items()}
    answers = {q: {by_id[t["id"]] for t in await _search(alice.client, q)} for q, _ in CASES}
    assert answers == dict(CASES)


async def test_fts_syntax_in_a_query_is_plain_words(alice, corpus) -> None:  # type: ignore[no-untyped-def]
    for q in HOSTILE:
        await _search(alice.client, q)  # never an error
    assert [t["id"] for t in await _search(alice.client, "NEAR(porta felice)")] == [corpus["air"]]
    assert [t["id"] for t in await _search(alice.client, '"porta" -felice*')] == [corpus["air"]]
    assert [t["id"] for t in await _search(alice.client, "porta OR bologna")] == []  # OR is a word too


async def test_a_match_carries_a_plain_text_snippet(alice, corpus) -> None:  # type: ignore[no-untyped-def]
    [item] = await _search(alice.client, "felice")
    match = item["match"]
    assert match["field"] == "message" and match["role"] == "user" and match["earlier_version"] is False
    assert match["text"] == "Show NO2 levels near Porta San Felice"
    assert [match["text"][a:b] for a, b in match["ranges"]] == ["Felice"]
    [item] = await _search(alice.client, "air")
    assert item["match"] == {
        "text": "Air quality",
        "ranges": [[0, 3]],
        "field": "title",
        "message_id": None,
        "role": None,
        "earlier_version": False,
    }
    r = await alice.client.get("/api/threads")
    assert all(t["match"] is None for t in r.json()["items"])  # only a searched list has matches


async def test_a_long_message_gives_a_short_window_around_the_first_hit(alice, token_app) -> None:  # type: ignore[no-untyped-def]
    thread = await post_thread(alice.client, title="long")
    text = "lorem ipsum " * 50 + "the **Navile** district " + "dolor sit " * 50 + "navile again"
    await _add(token_app, thread["id"], [("assistant", text)])
    [item] = await _search(alice.client, "navi")
    snippet = item["match"]["text"]
    assert snippet.startswith("…") and snippet.endswith("…") and len(snippet) <= 170
    assert [snippet[a:b] for a, b in item["match"]["ranges"]] == ["Navile"]  # markdown stars gone


async def test_an_earlier_version_is_found_and_says_so(alice, token_app) -> None:  # type: ignore[no-untyped-def]
    thread = await post_thread(alice.client, title="edited")
    old_q, _old_a = await _add(
        token_app,
        thread["id"],
        [("user", "How many trees in Navile?"), ("assistant", "Navile has 12,000 street trees.")],
    )
    meta = Resend("edit", old_q, old_q).meta()
    async with token_app.state.resources.sessionmaker() as session:
        session.add_all(
            [
                Message(
                    thread_id=uuid.UUID(thread["id"]),
                    seq=2,
                    role="user",
                    content="How many trees in Savena?",
                    meta=meta,
                ),
                Message(
                    thread_id=uuid.UUID(thread["id"]),
                    seq=3,
                    role="assistant",
                    content="Savena has 9,500 trees.",
                ),
            ]
        )
        await session.commit()
    [item] = await _search(alice.client, "navile")
    assert item["match"]["earlier_version"] is True and item["match"]["message_id"] == str(old_q)
    [item] = await _search(alice.client, "trees")  # current versions come first
    assert item["match"]["earlier_version"] is False
    assert item["match"]["text"] == "How many trees in Savena?"


async def test_the_index_follows_edits_deletes_and_renames(alice, token_app) -> None:  # type: ignore[no-untyped-def]
    thread = await post_thread(alice.client, title="Old title")
    [mid] = await _add(token_app, thread["id"], [("assistant", "first wording, kept word")])
    async with token_app.state.resources.sessionmaker() as session:
        row = await session.get(Message, mid)
        assert row is not None
        row.content = "second wording, kept word"
        await session.commit()
    assert await _search(alice.client, "first") == []
    assert len(await _search(alice.client, "second kept")) == 1
    await alice.client.patch(f"/api/threads/{thread['id']}", json={"title": "Renamed"})
    assert await _search(alice.client, "old") == []
    assert len(await _search(alice.client, "renamed")) == 1
    async with token_app.state.resources.sessionmaker() as session:
        row = await session.get(Message, mid)
        await session.delete(row)
        await session.commit()
    assert await _search(alice.client, "second") == []
    assert (await alice.client.delete(f"/api/threads/{thread['id']}")).status_code == 204
    async with token_app.state.resources.sessionmaker() as session:
        assert await session.get(Thread, uuid.UUID(thread["id"])) is None
    assert await _search(alice.client, "renamed") == []
    async with token_app.state.resources.sessionmaker() as session:
        if session.get_bind().dialect.name == "sqlite":  # FTS5 checks its index against the content rows
            for table in ("messages_fts", "threads_fts"):
                await session.execute(
                    text(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
                )


async def test_a_rebuilt_index_still_leaves_tool_output_out(alice, token_app) -> None:  # type: ignore[no-untyped-def]
    """After a VACUUM an operator rebuilds the SQLite index (FTS5 'rebuild'): the same rows come back."""
    thread = await post_thread(alice.client, title="rebuilt")
    await _add(token_app, thread["id"], [("user", "zanardi bridge"), ("tool", "toolonly output")])
    async with token_app.state.resources.sessionmaker() as session:
        if session.get_bind().dialect.name == "sqlite":
            await session.execute(text("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')"))
            await session.execute(text("INSERT INTO threads_fts(threads_fts) VALUES ('rebuild')"))
            await session.commit()
    assert [t["id"] for t in await _search(alice.client, "zanardi")] == [thread["id"]]
    assert await _search(alice.client, "toolonly") == []
    assert [t["id"] for t in await _search(alice.client, "rebuilt")] == [thread["id"]]
