"""Thread search finds a page in more than one way (lgurban.db.search.search_page): thread by thread over
the newest threads, through the indexes when those do not fill the page, and on SQLite a rare word
through FTS5 with the other words tested on its threads. Every way gives the same answers, pages and
snippets, on both databases (`db_url`): each test runs once per way, forced by the thresholds."""

from __future__ import annotations

import uuid

import pytest

from lgurban.db import search
from lgurban.db.models import Message
from tests.api.test_thread_search_fts import CASES, _add, _search, corpus  # noqa: F401 (a fixture)
from tests.factories import post_thread

WAYS = {
    "default": (search.SCAN_WINDOW, search.RARE_HITS),
    "threads-only": (10_000, 0),  # the window holds every thread; no word is rare
    "indexes-only": (0, 0),  # an empty window: the indexes answer
    "rare-first": (0, 2),  # SQLite: a word with fewer than 2 message hits is rare
}


@pytest.fixture(params=list(WAYS))
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    window, rare = WAYS[request.param]
    monkeypatch.setattr(search, "SCAN_WINDOW", window)
    monkeypatch.setattr(search, "RARE_HITS", rare)
    return str(request.param)


async def test_every_way_gives_the_same_answers(alice, corpus, way) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    by_id = {v: k for k, v in corpus.items()}
    answers = {q: {by_id[t["id"]] for t in await _search(alice.client, q)} for q, _ in CASES}
    assert answers == dict(CASES)
    [item] = await _search(alice.client, "felice")
    assert item["match"]["field"] == "message" and item["match"]["role"] == "user"  # the first hit
    assert [item["match"]["text"][a:b] for a, b in item["match"]["ranges"]] == ["Felice"]


def _all(pages: list[list[str]]) -> list[str]:
    return [t for page in pages for t in page]


async def _pages(client, q: str, limit: int) -> list[list[str]]:  # type: ignore[no-untyped-def]
    pages, cursor = [], None
    while True:
        params: dict[str, object] = {"q": q, "limit": limit, **({"cursor": cursor} if cursor else {})}
        r = await client.get("/api/threads", params=params)
        assert r.status_code == 200, r.text
        pages.append([t["id"] for t in r.json()["items"]])
        if not (cursor := r.json()["next_cursor"]):
            return pages


async def test_every_way_gives_the_same_pages(alice, token_app, way) -> None:  # type: ignore[no-untyped-def]
    """30 threads, pages of 5 (a window of 2 pages holds 12): `dataset` in every thread, `navile` in
    every third (the window cannot fill a page with it), `savena` in one only, `zzz` in none."""
    ids = [(await post_thread(alice.client, title=f"thread {i}"))["id"] for i in range(30)]
    for i, tid in enumerate(ids):
        texts = [("user", f"question {i} about the dataset"), ("assistant", "the dataset has rows")]
        if i % 3 == 0:
            texts.append(("assistant", f"{'Navile' if i != 9 else 'Savena and Navile'} in the answer"))
        await _add(token_app, tid, texts)
    newest = list(reversed(ids))  # the last message written last: newest activity first
    every_third = [t for t in newest if ids.index(t) % 3 == 0]
    assert _all(await _pages(alice.client, "dataset", 5)) == newest
    assert await _pages(alice.client, "dat", 5) == [newest[i : i + 5] for i in range(0, 30, 5)]
    assert _all(await _pages(alice.client, "navile", 5)) == every_third
    assert _all(await _pages(alice.client, "navile dataset", 5)) == every_third
    assert _all(await _pages(alice.client, "dataset savena", 5)) == [ids[9]]
    assert _all(await _pages(alice.client, "dataset zzz", 5)) == []
    [item] = await _search(alice.client, "savena navi")
    assert item["match"]["text"] == "Savena and Navile in the answer"


async def test_a_thread_with_an_edit_still_says_so_in_every_way(alice, token_app, way) -> None:  # type: ignore[no-untyped-def]
    """The first hit of a thread with a replaced exchange is read apart (every message): beside threads
    without, each keeps its own."""
    from lgurban.agent.run.resend import Resend

    plain = await post_thread(alice.client, title="plain")
    await _add(token_app, plain["id"], [("user", "tell me"), ("assistant", "Navile trees")])
    edited = await post_thread(alice.client, title="edited")
    [old_q, _] = await _add(token_app, edited["id"], [("user", "Navile?"), ("assistant", "Navile.")])
    async with token_app.state.resources.sessionmaker() as session:
        meta = Resend("edit", old_q, old_q).meta()
        session.add(Message(thread_id=uuid.UUID(edited["id"]), seq=2, role="user", content="x", meta=meta))
        await session.commit()
    found = {t["id"]: t["match"] for t in await _search(alice.client, "navile")}
    assert found[edited["id"]]["earlier_version"] is True
    assert found[plain["id"]]["earlier_version"] is False and found[plain["id"]]["text"] == "Navile trees"
