"""The threads API of design/API.md: shapes, bad input, pagination, archive, delete."""

from __future__ import annotations

import uuid

import pytest

from tests.factories import api_client, post_thread

BAD_ID = "not-a-uuid"


def _assert_error(r, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert "Traceback" not in r.text


async def test_new_thread_uses_the_server_defaults(alice) -> None:  # type: ignore[no-untyped-def]
    defaults = (await alice.client.get("/api/config/defaults")).json()
    thread = await post_thread(alice.client)
    assert thread["title"] == "New thread"
    assert thread["archived_at"] is None
    assert thread["config"] == defaults["config"]
    assert set(thread) == {"id", "title", "created_at", "updated_at", "archived_at", "config"}
    assert thread["created_at"].endswith(("Z", "+00:00"))


async def test_create_get_and_partial_config_update(alice) -> None:  # type: ignore[no-untyped-def]
    made = await post_thread(
        alice.client, title="Incidenti", config={"temperature": 0.7, "system_prompt": "Be brief."}
    )
    got = (await alice.client.get(f"/api/threads/{made['id']}")).json()
    assert got == made
    assert got["config"]["temperature"] == 0.7
    r = await alice.client.patch(f"/api/threads/{made['id']}", json={"config": {"temperature": 1.5}})
    assert r.status_code == 200, r.text
    assert r.json()["config"]["temperature"] == 1.5
    assert r.json()["config"]["system_prompt"] == "Be brief."  # untouched keys stay
    assert r.json()["title"] == "Incidenti"
    # null resets a key to the server default
    default_t = (await alice.client.get("/api/config/defaults")).json()["config"]["temperature"]
    r = await alice.client.patch(f"/api/threads/{made['id']}", json={"config": {"temperature": None}})
    assert r.json()["config"]["temperature"] == default_t


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_malformed_and_unknown_ids(alice, method: str) -> None:  # type: ignore[no-untyped-def]
    body = {"title": "x"} if method == "PATCH" else None
    r = await alice.client.request(method, f"/api/threads/{BAD_ID}", json=body)
    _assert_error(r, 422, "VALIDATION_ERROR")
    r = await alice.client.request(method, f"/api/threads/{uuid.uuid4()}", json=body)
    _assert_error(r, 404, "THREAD_NOT_FOUND")


async def test_title_length_limit(alice) -> None:  # type: ignore[no-untyped-def]
    _assert_error(await alice.client.post("/api/threads", json={"title": "x" * 201}), 422, "VALIDATION_ERROR")
    _assert_error(await alice.client.post("/api/threads", json={"title": ""}), 422, "VALIDATION_ERROR")
    made = await post_thread(alice.client, title="y" * 200)
    assert made["title"] == "y" * 200
    r = await alice.client.patch(f"/api/threads/{made['id']}", json={"title": "z" * 201})
    _assert_error(r, 422, "VALIDATION_ERROR")
    assert (await alice.client.get(f"/api/threads/{made['id']}")).json()["title"] == "y" * 200


async def test_unknown_keys_are_refused(alice) -> None:  # type: ignore[no-untyped-def]
    r = await alice.client.post("/api/threads", json={"config": {"temprature": 1}})
    _assert_error(r, 422, "VALIDATION_ERROR")
    assert "temprature" in r.json()["error"]["message"]
    _assert_error(
        await alice.client.post("/api/threads", json={"owner_id": str(uuid.uuid4())}), 422, "VALIDATION_ERROR"
    )
    made = await post_thread(alice.client)
    r = await alice.client.patch(f"/api/threads/{made['id']}", json={"config": {"tools": ["rm"]}})
    _assert_error(r, 422, "VALIDATION_ERROR")


@pytest.mark.parametrize("temperature", [-0.01, 2.01, 100, "hot"])
async def test_temperature_outside_range(alice, temperature: object) -> None:  # type: ignore[no-untyped-def]
    r = await alice.client.post("/api/threads", json={"config": {"temperature": temperature}})
    _assert_error(r, 422, "VALIDATION_ERROR")
    made = await post_thread(alice.client)
    r = await alice.client.patch(f"/api/threads/{made['id']}", json={"config": {"temperature": temperature}})
    _assert_error(r, 422, "VALIDATION_ERROR")


async def test_temperature_bounds_are_inclusive(alice) -> None:  # type: ignore[no-untyped-def]
    assert (await post_thread(alice.client, config={"temperature": 0}))["config"]["temperature"] == 0
    assert (await post_thread(alice.client, config={"temperature": 2}))["config"]["temperature"] == 2


async def test_pagination_newest_activity_first(alice) -> None:  # type: ignore[no-untyped-def]
    made = [await post_thread(alice.client, title=f"t{i}") for i in range(7)]
    seen: list[dict] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, object] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        r = await alice.client.get("/api/threads", params=params)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["items"]) <= 3
        seen.extend(page["items"])
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert [t["id"] for t in seen] == [t["id"] for t in reversed(made)]
    stamps = [t["updated_at"] for t in seen]
    assert stamps == sorted(stamps, reverse=True)

    # activity (a PATCH) moves the oldest thread to the top
    oldest = made[0]["id"]
    r = await alice.client.patch(f"/api/threads/{oldest}", json={"title": "bumped"})
    assert r.json()["updated_at"] > made[-1]["updated_at"]
    first = (await alice.client.get("/api/threads", params={"limit": 1})).json()
    assert [t["id"] for t in first["items"]] == [oldest]
    assert first["next_cursor"] is not None


async def test_exact_page_has_no_next_cursor(alice) -> None:  # type: ignore[no-untyped-def]
    for i in range(2):
        await post_thread(alice.client, title=f"t{i}")
    page = (await alice.client.get("/api/threads", params={"limit": 2})).json()
    assert len(page["items"]) == 2
    assert page["next_cursor"] is None


async def test_bad_list_parameters(alice) -> None:  # type: ignore[no-untyped-def]
    _assert_error(await alice.client.get("/api/threads", params={"limit": 0}), 422, "VALIDATION_ERROR")
    _assert_error(await alice.client.get("/api/threads", params={"limit": 201}), 422, "VALIDATION_ERROR")
    _assert_error(await alice.client.get("/api/threads", params={"cursor": "garbage!"}), 400, "BAD_REQUEST")


async def test_archive_and_include_archived(alice) -> None:  # type: ignore[no-untyped-def]
    kept = await post_thread(alice.client, title="kept")
    gone = await post_thread(alice.client, title="archived")
    r = await alice.client.patch(f"/api/threads/{gone['id']}", json={"archived": True})
    assert r.status_code == 200
    assert r.json()["archived_at"] is not None
    default_ids = [t["id"] for t in (await alice.client.get("/api/threads")).json()["items"]]
    assert kept["id"] in default_ids
    assert gone["id"] not in default_ids
    all_ids = [
        t["id"] for t in (await alice.client.get("/api/threads?include_archived=true")).json()["items"]
    ]
    assert {kept["id"], gone["id"]} <= set(all_ids)
    # an archived thread is still readable, and can be brought back
    assert (await alice.client.get(f"/api/threads/{gone['id']}")).status_code == 200
    r = await alice.client.patch(f"/api/threads/{gone['id']}", json={"archived": False})
    assert r.json()["archived_at"] is None
    assert gone["id"] in [t["id"] for t in (await alice.client.get("/api/threads")).json()["items"]]


async def test_delete_removes_thread_and_runs_cleanups(alice, token_app) -> None:  # type: ignore[no-untyped-def]
    made = await post_thread(alice.client)
    workspace = token_app.state.resources.settings.workspaces_dir / made["id"]
    workspace.mkdir(parents=True)
    (workspace / "data.csv").write_text("a,b\n1,2\n")
    r = await alice.client.delete(f"/api/threads/{made['id']}")
    assert r.status_code == 204
    assert r.content == b""
    assert not workspace.exists()
    _assert_error(await alice.client.get(f"/api/threads/{made['id']}"), 404, "THREAD_NOT_FOUND")
    _assert_error(await alice.client.delete(f"/api/threads/{made['id']}"), 404, "THREAD_NOT_FOUND")


async def test_unknown_api_path_is_a_json_404(alice) -> None:  # type: ignore[no-untyped-def]
    _assert_error(await alice.client.get("/api/nothing-here"), 404, "NOT_FOUND")


async def test_a_failing_cleanup_does_not_undo_or_fail_the_delete(alice, token_app, caplog) -> None:  # type: ignore[no-untyped-def]
    async def broken(_thread_id: uuid.UUID) -> None:
        raise RuntimeError("sandbox backend unreachable")

    resources = token_app.state.resources
    resources.thread_cleanups.insert(0, broken)
    try:
        made = await post_thread(alice.client)
        workspace = resources.settings.workspaces_dir / made["id"]
        workspace.mkdir(parents=True)
        r = await alice.client.delete(f"/api/threads/{made['id']}")
        assert r.status_code == 204
        assert not workspace.exists()  # the cleanups after the broken one ran
        assert "sandbox backend unreachable" in caplog.text
        assert (await alice.client.get(f"/api/threads/{made['id']}")).status_code == 404
    finally:
        resources.thread_cleanups.remove(broken)


async def test_first_requests_at_once_in_local_mode_all_succeed(settings_factory) -> None:  # type: ignore[no-untyped-def]
    """Regression: parallel first requests raced to create the implicit local user (unique name) → 500."""
    import asyncio

    from lgurban.app import create_app

    app = create_app(settings_factory(local_user_name=f"local-{uuid.uuid4().hex[:8]}"))
    async with app.router.lifespan_context(app):
        async with api_client(app) as c:
            replies = await asyncio.gather(*(c.get("/api/threads") for _ in range(12)))
    assert [r.status_code for r in replies] == [200] * 12, [r.text for r in replies if r.status_code != 200]
