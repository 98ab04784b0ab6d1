"""Issue 19: a conversation shared as a read-only link (signed, revocable), on SQLite and PostgreSQL.

The owner makes the link; anyone with it (no token) reads the messages and downloads that thread's
artifacts through it, and nothing of another thread; revoked → 410 SHARE_REVOKED; a forged or altered
token → 404 SHARE_NOT_FOUND; nothing in the answers names the owner or the thread's settings.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi import FastAPI

from lgurban.db.models import Artifact, Message
from tests.api.conftest import ApiUser
from tests.factories import api_client, post_thread

PNG = b"\x89PNG\r\n\x1a\n" + b"share-me" * 10


async def seed(app: FastAPI, thread_id: str, words: str) -> uuid.UUID:
    """A question, an answer with a tool call, the tool's result and the artifact it made (blob stored)."""
    resources = app.state.resources
    tid = uuid.UUID(thread_id)
    key = f"test/{uuid.uuid4().hex}.png"
    await resources.store.put_bytes(key, PNG, content_type="image/png")
    async with resources.sessionmaker() as session:
        call = [{"id": "call_1", "name": "execute_code", "args": {"code": "plot()"}}]
        session.add_all(
            [
                Message(thread_id=tid, seq=1, role="user", content=f"Question about {words}"),
                Message(thread_id=tid, seq=2, role="assistant", content="", tool_calls=call),
                Message(thread_id=tid, seq=3, role="tool", content="ok", tool_call_id="call_1"),
                Message(thread_id=tid, seq=4, role="assistant", content=f"Answer about {words}"),
            ]
        )
        art = Artifact(
            thread_id=tid,
            tool_call_id="call_1",
            sha256="a" * 64,
            filename="chart.png",
            mime="image/png",
            size=len(PNG),
            store_key=key,
        )
        session.add(art)
        await session.commit()
        return art.id


async def anonymous_get(app: FastAPI, url: str) -> httpx.Response:
    async with api_client(app) as anon:
        return await anon.get(url)


async def test_share_read_download_revoke(token_app: FastAPI, alice: ApiUser, bob: ApiUser) -> None:
    thread = await post_thread(alice.client, title="Navile", config={"system_prompt": "SECRET-PROMPT"})
    art_id = await seed(token_app, thread["id"], "Navile")
    r = await alice.client.post(f"/api/threads/{thread['id']}/share")
    assert r.status_code == 200, r.text
    share = r.json()
    token = share["token"]
    assert share["url"] == f"/s/{token}"
    # the same link again while it is live; GET says it is shared
    assert (await alice.client.post(f"/api/threads/{thread['id']}/share")).json()["token"] == token
    assert (await alice.client.get(f"/api/threads/{thread['id']}/share")).json()["token"] == token

    r = await anonymous_get(token_app, f"/api/shared/{token}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["title"] == "Navile"
    assert [m["content"] for m in body["items"]] == ["Question about Navile", "", "ok", "Answer about Navile"]
    assert "SECRET-PROMPT" not in r.text and alice.name not in r.text and alice.token not in r.text
    (art,) = body["items"][2]["artifacts"]
    assert art["url"] == f"/api/shared/{token}/artifacts/{art_id}"
    async with api_client(token_app) as anon:
        r = await anon.get(art["url"], follow_redirects=True)
    assert r.status_code == 200 and r.content == PNG

    # another thread's artifact is not reachable through this link
    other = await post_thread(bob.client, title="Bob's")
    bob_art = await seed(token_app, other["id"], "Savena")
    r = await anonymous_get(token_app, f"/api/shared/{token}/artifacts/{bob_art}")
    assert r.status_code == 404 and r.json()["error"]["code"] == "ARTIFACT_NOT_FOUND"
    # bob cannot share (or see the share of) alice's thread
    assert (await bob.client.post(f"/api/threads/{thread['id']}/share")).status_code == 404
    assert (await bob.client.delete(f"/api/threads/{thread['id']}/share")).status_code == 404

    assert (await alice.client.delete(f"/api/threads/{thread['id']}/share")).status_code == 204
    for url in (f"/api/shared/{token}", art["url"]):
        r = await anonymous_get(token_app, url)
        assert r.status_code == 410 and r.json()["error"]["code"] == "SHARE_REVOKED"
    r = await alice.client.get(f"/api/threads/{thread['id']}/share")
    assert r.status_code == 404 and r.json()["error"]["code"] == "SHARE_NOT_FOUND"
    r = await alice.client.delete(f"/api/threads/{thread['id']}/share")
    assert r.status_code == 404 and r.json()["error"]["code"] == "SHARE_NOT_FOUND"
    # sharing again makes a new link; the revoked one stays revoked
    again = (await alice.client.post(f"/api/threads/{thread['id']}/share")).json()["token"]
    assert again != token and (await anonymous_get(token_app, f"/api/shared/{again}")).status_code == 200
    assert (await anonymous_get(token_app, f"/api/shared/{token}")).status_code == 410


async def test_forged_tokens_and_deleted_threads_are_404(token_app: FastAPI, alice: ApiUser) -> None:
    thread = await post_thread(alice.client, title="To delete")
    token = (await alice.client.post(f"/api/threads/{thread['id']}/share")).json()["token"]
    share_id, sig = token.split(".")
    forged: list[Any] = [
        f"{uuid.uuid4().hex}.{sig}",  # another id with this signature
        f"{share_id}.{'0' * len(sig)}",  # the right id, a made-up signature
        share_id,
        "not-a-token",
        f"{share_id}.{sig}x",
        "%00",
    ]
    for bad in forged:
        r = await anonymous_get(token_app, f"/api/shared/{bad}")
        assert r.status_code == 404 and r.json()["error"]["code"] == "SHARE_NOT_FOUND", (bad, r.text)
    r = await anonymous_get(token_app, f"/api/shared/{token}/artifacts/not-a-uuid")
    assert r.status_code == 422
    assert (await alice.client.delete(f"/api/threads/{thread['id']}")).status_code in (200, 204)
    r = await anonymous_get(token_app, f"/api/shared/{token}")
    assert r.status_code == 404 and r.json()["error"]["code"] == "SHARE_NOT_FOUND"


async def test_sharing_needs_the_owner_signed_in(token_app: FastAPI, alice: ApiUser) -> None:
    thread = await post_thread(alice.client)
    async with api_client(token_app) as anon:
        r = await anon.post(f"/api/threads/{thread['id']}/share")
    assert r.status_code == 401
