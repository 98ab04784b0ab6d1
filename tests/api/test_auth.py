"""AUTH_MODE=token: every thread endpoint is scoped to the caller; bad tokens all get the same 401."""

from __future__ import annotations

import uuid

import httpx
import pytest

from lgurban.auth import revoke_user
from tests.factories import api_client, make_thread, make_user, post_thread


async def _alice_thread(alice) -> dict:  # type: ignore[no-untyped-def]
    return await post_thread(
        alice.client, title="alice-secret-title", config={"system_prompt": "alice-secret-prompt"}
    )


def _assert_not_found_without_data(r: httpx.Response) -> None:
    assert r.status_code == 404, r.text
    assert r.json()["error"]["code"] == "THREAD_NOT_FOUND"
    assert "alice-secret" not in r.text


async def test_get_of_another_users_thread_is_404(alice, bob) -> None:  # type: ignore[no-untyped-def]
    thread = await _alice_thread(alice)
    _assert_not_found_without_data(await bob.client.get(f"/api/threads/{thread['id']}"))
    # the answer is the same as for a thread that never existed
    unknown = await bob.client.get(f"/api/threads/{uuid.uuid4()}")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "THREAD_NOT_FOUND"


async def test_patch_of_another_users_thread_is_404_and_changes_nothing(alice, bob) -> None:  # type: ignore[no-untyped-def]
    thread = await _alice_thread(alice)
    for body in ({"title": "pwned"}, {"archived": True}, {"config": {"temperature": 2}}):
        _assert_not_found_without_data(await bob.client.patch(f"/api/threads/{thread['id']}", json=body))
    after = (await alice.client.get(f"/api/threads/{thread['id']}")).json()
    assert after == thread


async def test_delete_of_another_users_thread_is_404_and_keeps_it(alice, bob) -> None:  # type: ignore[no-untyped-def]
    thread = await _alice_thread(alice)
    _assert_not_found_without_data(await bob.client.delete(f"/api/threads/{thread['id']}"))
    assert (await alice.client.get(f"/api/threads/{thread['id']}")).status_code == 200


async def test_list_shows_only_own_threads(alice, bob) -> None:  # type: ignore[no-untyped-def]
    a = await _alice_thread(alice)
    archived = await _alice_thread(alice)
    await alice.client.patch(f"/api/threads/{archived['id']}", json={"archived": True})
    b = await post_thread(bob.client, title="bob's")
    for params in ({}, {"include_archived": "true"}, {"limit": 1}):
        r = await bob.client.get("/api/threads", params=params)
        assert r.status_code == 200
        assert [t["id"] for t in r.json()["items"]] == [b["id"]]
        assert "alice-secret" not in r.text
    ids = {t["id"] for t in (await alice.client.get("/api/threads?include_archived=true")).json()["items"]}
    assert ids == {a["id"], archived["id"]}


async def test_a_cursor_from_another_user_reveals_nothing(alice, bob, token_app) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        await make_thread(token_app.state.resources.sessionmaker, owner=alice.made.user, title="alice-secret")
    cursor = (await alice.client.get("/api/threads", params={"limit": 1})).json()["next_cursor"]
    r = await bob.client.get("/api/threads", params={"cursor": cursor})
    assert r.status_code == 200
    assert r.json()["items"] == []


ENDPOINTS = [
    ("GET", "/api/threads", None),
    ("POST", "/api/threads", {"title": "x"}),
    ("GET", "/api/threads/{id}", None),
    ("PATCH", "/api/threads/{id}", {"title": "x"}),
    ("DELETE", "/api/threads/{id}", None),
]


def _bad_headers(revoked_token: str) -> dict[str, dict[str, str | bytes]]:
    return {
        "missing": {},
        "empty bearer": {"Authorization": "Bearer "},
        "wrong scheme": {"Authorization": f"Basic {revoked_token}"},
        "unknown token": {"Authorization": "Bearer lgu_" + "A" * 43},
        "garbage": {"Authorization": "Bearer \u00e8\u00e8".encode("latin-1")},
        "revoked token": {"Authorization": f"Bearer {revoked_token}"},
    }


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
async def test_bad_tokens_get_one_identical_401(  # type: ignore[no-untyped-def]
    method, path, body, alice, token_app
) -> None:
    thread = await _alice_thread(alice)
    victim = await make_user(token_app.state.resources.sessionmaker)
    async with token_app.state.resources.sessionmaker() as session:
        assert await revoke_user(session=session, name=victim.name) == 1
        await session.commit()
    bodies = set()
    async with api_client(token_app) as anon:
        for label, headers in _bad_headers(victim.token).items():
            r = await anon.request(method, path.format(id=thread["id"]), json=body, headers=headers)
            assert r.status_code == 401, (label, r.text)
            assert r.headers["www-authenticate"] == "Bearer"
            bodies.add(r.text)
    assert len(bodies) == 1, bodies
    assert bodies.pop() == '{"error":{"code":"UNAUTHORIZED","message":"invalid or missing API token"}}'
    # and nothing happened to alice's thread
    assert (await alice.client.get(f"/api/threads/{thread['id']}")).json()["title"] == "alice-secret-title"


async def test_revoking_a_user_stops_its_token(alice, token_app) -> None:  # type: ignore[no-untyped-def]
    assert (await alice.client.get("/api/threads")).status_code == 200
    async with token_app.state.resources.sessionmaker() as session:
        await revoke_user(session=session, name=alice.name)
        await session.commit()
    r = await alice.client.get("/api/threads")
    assert r.status_code == 401


@pytest.mark.parametrize("name", ["", "   ", " padded", "x" * 101])
async def test_bad_user_names_are_refused_before_the_database(token_app, name: str) -> None:  # type: ignore[no-untyped-def]
    from lgurban.auth import create_user_with_token
    from lgurban.errors import BadRequest

    async with token_app.state.resources.sessionmaker() as session:
        with pytest.raises(BadRequest, match="1 to 100 characters"):
            await create_user_with_token(session=session, name=name)


async def test_a_user_can_hold_several_tokens(token_app) -> None:  # type: ignore[no-untyped-def]
    from lgurban.auth import create_user_with_token

    name = f"multi-{uuid.uuid4().hex[:6]}"
    async with token_app.state.resources.sessionmaker() as session:
        first = await create_user_with_token(session=session, name=name, token_name="laptop")
        second = await create_user_with_token(session=session, name=name, token_name="ci")
        await session.commit()
    assert first.user.id == second.user.id
    assert first.token != second.token
    async with api_client(token_app) as c:
        for token in (first.token, second.token):
            r = await c.get("/api/threads", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 200


# a valid body for each thread endpoint that takes one, so only ownership can make it fail
THREAD_ENDPOINT_BODIES: dict[tuple[str, str], dict[str, object]] = {
    ("PATCH", "/api/threads/{thread_id}"): {"title": "x"},
    ("POST", "/api/threads/{thread_id}/messages"): {"content": "hi"},
    ("POST", "/api/threads/{thread_id}/execute"): {"code": "1"},
    ("POST", "/api/threads/{thread_id}/datasets"): {"dataset_id": "x"},
    ("POST", "/api/threads/{thread_id}/exports"): {"path": "a.txt"},
}


def _thread_endpoints(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Every operation under /api/threads/{thread_id}, read from the app so a new one is covered too."""
    return sorted(
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        if "{thread_id}" in path
        for method in operations
    )


async def test_every_thread_endpoint_hides_another_users_thread(alice, bob, token_app) -> None:  # type: ignore[no-untyped-def]
    thread = await _alice_thread(alice)
    endpoints = _thread_endpoints(token_app)
    assert len(endpoints) >= 17, endpoints
    async with api_client(token_app) as anon:
        for method, template in endpoints:
            body = THREAD_ENDPOINT_BODIES.get((method, template))
            path = template.replace("{path}", "a.txt")
            for tid in (thread["id"], str(uuid.uuid4())):  # another user's thread answers as a missing one
                r = await bob.client.request(method, path.replace("{thread_id}", tid), json=body)
                _assert_not_found_without_data(r)
            r = await anon.request(method, path.replace("{thread_id}", thread["id"]), json=body)
            assert r.status_code == 401, (method, template, r.text)
    assert (await alice.client.get(f"/api/threads/{thread['id']}")).json() == thread
    assert (await alice.client.get(f"/api/threads/{thread['id']}/messages")).json() == {"items": []}
