"""GET /api/threads?q=: titles and message text, any case, whole words and word prefixes (issue 19)."""

from __future__ import annotations

import time
import uuid

from lgurban.db.models import Message
from tests.factories import post_thread


async def _say(app, thread_id: str, *texts: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    async with app.state.resources.sessionmaker() as session:
        for seq, (role, content) in enumerate(texts):
            session.add(Message(thread_id=uuid.UUID(thread_id), seq=seq, role=role, content=content))
        await session.commit()


async def _ids(client, **params: object) -> list[str]:  # type: ignore[no-untyped-def]
    r = await client.get("/api/threads", params=params)
    assert r.status_code == 200, r.text
    return [t["id"] for t in r.json()["items"]]


async def test_search_finds_a_word_in_an_answer(alice, token_app) -> None:  # type: ignore[no-untyped-def]
    hit = await post_thread(alice.client, title="Incidenti stradali")
    await _say(
        token_app,
        hit["id"],
        ("user", "Which quarter has the most accidents?"),
        ("assistant", "The quartiere **Navile** has 1,204 accidents in 2023."),
    )
    miss = await post_thread(alice.client, title="Parcheggi")
    await _say(
        token_app, miss["id"], ("user", "Where can I park?"), ("tool", "navile appears in tool output only")
    )
    titled = await post_thread(alice.client, title="Navile air quality")

    assert set(await _ids(alice.client, q="Navile")) == {hit["id"], titled["id"]}
    assert set(await _ids(alice.client, q="navile")) == {hit["id"], titled["id"]}  # any case
    assert set(await _ids(alice.client, q="NAVI")) == {hit["id"], titled["id"]}  # a word prefix
    assert await _ids(alice.client, q="navile accidents") == [hit["id"]]  # every word must match
    assert await _ids(alice.client, q="incidenti") == [hit["id"]]  # the title still counts
    assert await _ids(alice.client, q="50%_off") == []  # LIKE wildcards are literal
    assert len(await _ids(alice.client, q="   ")) == 3  # blank: no filter


async def test_search_is_scoped_to_the_owner_and_archive(alice, bob, token_app) -> None:  # type: ignore[no-untyped-def]
    mine = await post_thread(alice.client, title="mine")
    await _say(token_app, mine["id"], ("assistant", "Navile"))
    theirs = await post_thread(bob.client, title="theirs")
    await _say(token_app, theirs["id"], ("assistant", "Navile"))
    assert await _ids(alice.client, q="navile") == [mine["id"]]
    await alice.client.patch(f"/api/threads/{mine['id']}", json={"archived": True})
    assert await _ids(alice.client, q="navile") == []
    assert await _ids(alice.client, q="navile", include_archived=True) == [mine["id"]]
    r = await alice.client.get("/api/threads", params={"q": "x" * 201})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_search_over_a_thousand_threads_is_fast(alice, token_app) -> None:  # type: ignore[no-untyped-def]
    ids = [(await post_thread(alice.client, title=f"t{i}"))["id"] for i in range(1000)]
    async with token_app.state.resources.sessionmaker() as session:
        for i, tid in enumerate(ids):
            for seq in range(4):
                text = "Navile" if i == 500 and seq == 3 else f"an answer about dataset {i} row {seq}"
                session.add(Message(thread_id=uuid.UUID(tid), seq=seq, role="assistant", content=text))
        await session.commit()
    start = time.perf_counter()
    found = await _ids(alice.client, q="navile")
    elapsed = time.perf_counter() - start
    assert found == [ids[500]]
    assert elapsed < 1.0, f"search over 1,000 threads / 4,000 messages took {elapsed:.3f} s"
