"""Issue 14, "your own files in": POST /api/threads/{id}/files streams a file into the workspace."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from lgurban.api.uploads import sweep_stale
from lgurban.app import create_app
from tests.factories import api_client, make_user

CSV = b"quartiere,residenti\nNavile,69000\nSavena,60000\n"


@pytest.fixture
async def small_app(settings_factory: Any) -> AsyncIterator[FastAPI]:
    """Uploads capped at 1 MiB, token auth (so another user's thread can be tried)."""
    application = create_app(settings_factory(upload_max_mb=1, auth_mode="token"))
    async with application.router.lifespan_context(application):
        yield application


async def _client(app: FastAPI) -> httpx.AsyncClient:
    made = await make_user(app.state.resources.sessionmaker)
    return api_client(app, made.token)


def _leftovers(app: FastAPI) -> list[Path]:
    settings = app.state.resources.settings
    found = (
        list((settings.data_dir / "uploads-tmp").glob("*"))
        if (settings.data_dir / "uploads-tmp").exists()
        else []
    )
    if settings.workspaces_dir.exists():
        found += [p for p in settings.workspaces_dir.rglob("*") if p.is_file()]
    return found


async def test_upload_into_a_thread_that_never_ran_code(small_app: FastAPI) -> None:
    async with await _client(small_app) as c:
        thread = (await c.post("/api/threads", json={"title": "up"})).json()["id"]
        r = await c.post(f"/api/threads/{thread}/files", files={"file": ("quartieri.csv", CSV, "text/csv")})
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["path"] == "uploads/quartieri.csv" and body["bytes"] == len(CSV) == body["size"]
        assert body["modified_at"]
        listed = (await c.get(f"/api/threads/{thread}/files")).json()["items"]
        assert [f["path"] for f in listed] == ["uploads/quartieri.csv"]
        assert (await c.get(f"/api/threads/{thread}/files/uploads/quartieri.csv")).content == CSV

        r = await c.post(
            f"/api/threads/{thread}/files",
            files={"file": ("whatever.bin", b"x" * 10, "application/octet-stream")},
            data={"path": "data/my.parquet"},
        )
        assert r.status_code == 201 and r.json()["path"] == "data/my.parquet", r.text
        r = await c.post(
            f"/api/threads/{thread}/execute", json={"code": "open('uploads/quartieri.csv').read()"}
        )
        assert r.json()["ok"] and "Navile" in r.json()["outputs"][0]["data"], r.text
        # uploaded while the sandbox is live: the running interpreter reads it at once
        r = await c.post(f"/api/threads/{thread}/files", files={"file": ("later.txt", b"fresh")})
        assert r.status_code == 201, r.text
        r = await c.post(f"/api/threads/{thread}/execute", json={"code": "open('uploads/later.txt').read()"})
        assert r.json()["outputs"][0]["data"] == "'fresh'", r.text


@pytest.mark.parametrize(
    ("filename", "form", "expected"),
    [
        ("../../etc/passwd", {}, "uploads/passwd"),
        ("C:\\Users\\me\\a b.csv", {}, "uploads/a b.csv"),
        (".env", {}, "uploads/env"),
        ("x.csv", {"path": "../x"}, 400),
        ("x.csv", {"path": "/etc/x"}, 400),
        ("x.csv", {"path": "a/../../x"}, 400),
        ("x.csv", {"path": "a\x00b"}, 400),
        ("x.csv", {"path": ".hidden/x"}, 400),
        ("..", {}, 400),
    ],
)
async def test_names_are_sanitised_and_kept_inside(
    small_app: FastAPI, filename: str, form: dict[str, str], expected: str | int
) -> None:
    async with await _client(small_app) as c:
        thread = (await c.post("/api/threads", json={})).json()["id"]
        r = await c.post(f"/api/threads/{thread}/files", files={"file": (filename, b"1\n")}, data=form)
        if isinstance(expected, int):
            assert r.status_code == expected, r.text
            assert r.json()["error"]["code"] == "INVALID_PATH", r.text
            assert _leftovers(small_app) == []
        else:
            assert r.status_code == 201 and r.json()["path"] == expected, r.text
            workspace = small_app.state.resources.settings.workspaces_dir / thread
            assert (workspace / expected).read_bytes() == b"1\n"


async def _chunks(total: int) -> AsyncIterator[bytes]:
    yield b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
    sent = 0
    while sent < total:
        yield b"y" * 65536
        sent += 65536
    yield b"\r\n--b0undary--\r\n"


async def test_oversized_is_413_and_leaves_nothing(small_app: FastAPI) -> None:
    async with await _client(small_app) as c:
        thread = (await c.post("/api/threads", json={})).json()["id"]
        big = b"z" * (1024 * 1024 + 1)
        # a declared length over the cap: refused before the body is read
        r = await c.post(f"/api/threads/{thread}/files", files={"file": ("big.csv", big)})
        assert r.status_code == 413 and r.json()["error"]["code"] == "PAYLOAD_TOO_LARGE", r.text
        # chunked (no length), within the body cap's form slack but over the file cap: cut while streaming
        headers = {"content-type": "multipart/form-data; boundary=b0undary"}
        r = await c.post(f"/api/threads/{thread}/files", content=_chunks(1024 * 1024 + 1), headers=headers)
        assert r.status_code == 413 and r.json()["error"]["code"] == "PAYLOAD_TOO_LARGE", r.text
        # chunked and far over: the body cap itself cuts it
        r = await c.post(f"/api/threads/{thread}/files", content=_chunks(3 * 1024 * 1024), headers=headers)
        assert r.status_code == 413 and r.json()["error"]["code"] == "PAYLOAD_TOO_LARGE", r.text
        assert _leftovers(small_app) == []
        assert (await c.get(f"/api/threads/{thread}/files")).json() == {"items": []}
        # exactly at the cap is fine
        r = await c.post(f"/api/threads/{thread}/files", files={"file": ("ok.bin", big[:-1])})
        assert r.status_code == 201 and r.json()["bytes"] == 1024 * 1024, r.text


async def test_bad_forms_and_other_users_threads(small_app: FastAPI) -> None:
    async with await _client(small_app) as alice, await _client(small_app) as bob:
        thread = (await alice.post("/api/threads", json={})).json()["id"]
        url = f"/api/threads/{thread}/files"
        r = await bob.post(url, files={"file": ("x.csv", b"1")})
        assert r.status_code == 404 and r.json()["error"]["code"] == "THREAD_NOT_FOUND", r.text
        r = await alice.post(f"/api/threads/{uuid.uuid4()}/files", files={"file": ("x.csv", b"1")})
        assert r.status_code == 404
        for bad in (
            {"json": {"file": "x"}},
            {"data": {"path": "x.csv"}},  # no file part
            {"content": b"--b\r\nno end", "headers": {"content-type": "multipart/form-data; boundary=b"}},
        ):
            r = await alice.post(url, **bad)  # type: ignore[arg-type]
            assert r.status_code == 400 and r.json()["error"]["code"] == "INVALID_UPLOAD", r.text
        raw = (
            b'--b\r\nContent-Disposition: form-data; name="file"; filename="a\x00b.csv"\r\n\r\n1\r\n--b--\r\n'
        )
        r = await alice.post(url, content=raw, headers={"content-type": "multipart/form-data; boundary=b"})
        assert r.status_code == 400 and r.json()["error"]["code"] == "INVALID_PATH", r.text
        assert _leftovers(small_app) == []


def test_temporary_files_of_a_killed_server_are_swept(tmp_path: Path) -> None:
    """A server killed mid-upload leaves its temporary file: the next upload deletes it after a day."""
    old, fresh = tmp_path / "upload-old", tmp_path / "upload-fresh"
    old.write_bytes(b"x")
    fresh.write_bytes(b"y")
    os.utime(old, (time.time() - 2 * 86400, time.time() - 2 * 86400))
    assert sweep_stale(tmp_path) == 1
    assert not old.exists() and fresh.exists()
    assert sweep_stale(tmp_path / "missing") == 0
