"""Finding 10 of issue 17: bad input is a 4xx with a code, never a 500 (both databases); text the database
cannot hold that comes from elsewhere is stored cleaned."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from lgurban.db.models import Execution, Thread
from lgurban.db.session import session_scope
from tests.factories import make_user, post_thread

NUL, SURROGATE = '"a\\u0000b"', '"a\\ud800b"'


async def _raw(client: httpx.AsyncClient, method: str, url: str, body: str) -> httpx.Response:
    return await client.request(method, url, content=body, headers={"Content-Type": "application/json"})


def _refused(r: httpx.Response, code: str) -> None:
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == code, r.text


@pytest.mark.parametrize("bad", [NUL, SURROGATE])
async def test_text_the_database_cannot_hold_is_refused(client: httpx.AsyncClient, bad: str) -> None:
    thread = (await post_thread(client, title="ok"))["id"]
    base = f"/api/threads/{thread}"
    _refused(await _raw(client, "POST", "/api/threads", f'{{"title": {bad}}}'), "INVALID_TEXT")
    _refused(await _raw(client, "PATCH", base, f'{{"title": {bad}}}'), "INVALID_TEXT")
    body = f'{{"config": {{"system_prompt": {bad}}}}}'
    _refused(await _raw(client, "PATCH", base, body), "INVALID_TEXT")
    _refused(await _raw(client, "POST", f"{base}/execute", f'{{"code": {bad}}}'), "INVALID_TEXT")
    _refused(await _raw(client, "POST", f"{base}/messages", f'{{"content": {bad}}}'), "INVALID_TEXT")
    _refused(await _raw(client, "POST", f"{base}/exports", f'{{"path": {bad}}}'), "INVALID_TEXT")
    _refused(await _raw(client, "POST", f"{base}/datasets", f'{{"dataset_id": {bad}}}'), "INVALID_TEXT")
    assert (await client.get(f"{base}")).json()["title"] == "ok"


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/threads", '{"config": {"temperature": NaN}}'),
        ("/api/threads", '{"config": {"temperature": Infinity}}'),
        ("/api/threads", '{"config": {"temperature": -Infinity}}'),
        ("/api/threads", '{"config": {"temperature": false}}'),
        ("/api/threads", '{"config": {"temperature": "1"}}'),
        ("/api/threads", '{"title": 5}'),
        ("/api/threads", '{"archived": "yes"}'),
        ("{base}/execute", '{"code": "1", "timeout_s": true}'),
        ("{base}/execute", '{"code": "1", "timeout_s": NaN}'),
    ],
)
async def test_numbers_and_booleans_are_not_coerced(client: httpx.AsyncClient, url: str, body: str) -> None:
    thread = (await post_thread(client, title="ok"))["id"]
    r = await _raw(client, "POST", url.format(base=f"/api/threads/{thread}"), body)
    _refused(r, "VALIDATION_ERROR")
    assert "NaN" not in r.text and "Infinity" not in r.text  # the input is not echoed (nor unrenderable)


async def test_integers_are_still_numbers(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/threads", json={"config": {"temperature": 1}})
    assert r.status_code == 201, r.text
    assert r.json()["config"]["temperature"] == 1.0


async def test_an_integer_written_with_a_zero_fraction_is_an_integer(client: httpx.AsyncClient) -> None:
    """JSON Schema's `integer` includes 2048.0 (schemathesis sends it as valid): accepted as 2048; a real
    fraction or a boolean is still refused."""
    r = await _raw(client, "POST", "/api/threads", '{"config": {"context_window": 2048.0}}')
    assert r.status_code == 201, r.text
    assert r.json()["config"]["context_window"] == 2048
    url = f"/api/threads/{r.json()['id']}"
    r = await _raw(client, "PATCH", url, '{"config": {"context_window": 4096.0}}')
    assert r.status_code == 200, r.text
    assert r.json()["config"]["context_window"] == 4096
    for bad in ("2048.5", "true", '"2048"', "1e400"):
        r = await _raw(client, "POST", "/api/threads", f'{{"config": {{"context_window": {bad}}}}}')
        _refused(r, "VALIDATION_ERROR")


async def test_a_path_component_over_255_characters_is_a_400(client: httpx.AsyncClient, app: FastAPI) -> None:
    thread = (await post_thread(client, title="ok"))["id"]
    long = "a" * 300
    app.state.resources.workspace(uuid.UUID(thread)).ensure()
    r = await client.get(f"/api/threads/{thread}/files/{long}")
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "INVALID_PATH"
    r = await client.get(f"/api/threads/{thread}/files", params={"path": long})
    assert r.status_code in (200, 400), r.text
    r = await client.get(f"/api/threads/{thread}/files", params={"path": "a\x00b"})
    assert r.status_code == 422, r.text
    r = await client.get("/api/datasets/a%00b")
    assert r.status_code == 422, r.text


async def test_text_from_elsewhere_is_stored_cleaned(app: FastAPI) -> None:
    """What a model or a sandbox hands over reaches the database cleaned: no write fails on it."""
    sessionmaker = app.state.resources.sessionmaker
    owner = (await make_user(sessionmaker)).user
    async with session_scope(sessionmaker) as session:
        thread = Thread(owner_id=owner.id, title="t\x00\ud800", system_prompt="p\x00")
        session.add(thread)
        await session.flush()
        session.add(
            Execution(
                thread_id=thread.id,
                code="c\x00",
                ok=True,
                summary="s\ud800",
                result={"stdout": "o\x00\udfff"},
            )
        )
    async with sessionmaker() as session:
        row = (await session.execute(select(Thread).where(Thread.id == thread.id))).scalar_one()
        assert (row.title, row.system_prompt) == ("t\ufffd\ufffd", "p\ufffd")
        ex = (await session.execute(select(Execution).where(Execution.thread_id == thread.id))).scalar_one()
        assert (ex.code, ex.summary, ex.result) == ("c\ufffd", "s\ufffd", {"stdout": "o\ufffd\ufffd"})


async def test_a_cells_nul_and_surrogate_output_is_recorded(client: httpx.AsyncClient) -> None:
    thread = (await post_thread(client, title="ok"))["id"]
    code = "import sys\nsys.stdout.write('a\\x00b')\nsys.stdout.flush()\nsys.stdout.write(chr(0xd800))\n"
    r = await client.post(f"/api/threads/{thread}/execute", json={"code": code}, timeout=60)
    assert r.status_code == 200, r.text
    assert "\x00" not in r.json()["stdout"]
    items = (await client.get(f"/api/threads/{thread}/executions")).json()["items"]
    assert items[0]["id"] == r.json()["id"] and uuid.UUID(items[0]["id"])


async def test_files_of_a_thread_that_never_ran_code_are_a_404(client: httpx.AsyncClient) -> None:
    """No workspace yet (no cell ever ran): a download or an export names a missing file, not a 500."""
    thread = (await post_thread(client, title="ok"))["id"]
    for r in (
        await client.get(f"/api/threads/{thread}/files/artifacts/x.csv"),
        await client.post(f"/api/threads/{thread}/exports", json={"path": "artifacts/x.csv"}),
    ):
        assert r.status_code == 404, r.text
        assert r.json()["error"]["code"] == "FILE_NOT_FOUND", r.text
    assert (await client.get(f"/api/threads/{thread}/files")).json() == {"items": []}


async def test_a_nul_in_the_download_path_is_a_4xx(client: httpx.AsyncClient, app: FastAPI) -> None:
    thread = (await post_thread(client, title="ok"))["id"]
    for ready in (False, True):
        if ready:
            app.state.resources.workspace(uuid.UUID(thread)).ensure()
        r = await client.get(f"/api/threads/{thread}/files/a%00b")
        assert r.status_code in (400, 422), r.text
        assert r.json()["error"]["code"] in ("INVALID_PATH", "VALIDATION_ERROR"), r.text
