"""Issue 14 item 6: a thread that has never run code has no workspace yet. Reading a file, listing files and
exporting answer 404 or an empty list (with the error's code), never 500 — on both backends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from lgurban.app import create_app
from lgurban.sandbox import modal_backend
from tests.factories import api_client, make_user
from tests.fakes.modal_fake import FakeModal


@pytest.fixture(params=["local", "modal"])
async def app(
    request: pytest.FixtureRequest, settings_factory: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[FastAPI]:
    overrides: dict[str, Any] = {"auth_mode": "token"}
    if request.param == "modal":
        fake = FakeModal(tmp_path / "modal")
        monkeypatch.setattr(modal_backend, "load_sdk", lambda: fake)
        overrides.update(sandbox_backend="modal", modal_app_name="lgurban-noworkspace-test")
    application = create_app(settings_factory(**overrides))
    async with application.router.lifespan_context(application):
        yield application


async def test_a_thread_that_never_ran_code_has_no_files_yet(app: FastAPI) -> None:
    made = await make_user(app.state.resources.sessionmaker)
    async with api_client(app, made.token) as c:
        thread = (await c.post("/api/threads", json={"title": "fresh"})).json()["id"]
        base = f"/api/threads/{thread}"
        r = await c.get(f"{base}/files")
        assert r.status_code == 200 and r.json()["items"] == [], r.text
        r = await c.get(f"{base}/files", params={"path": "artifacts"})
        assert r.status_code in (200, 404) and r.status_code != 500, r.text
        if r.status_code == 200:
            assert r.json()["items"] == []
        for path in ("artifacts/plot.png", "notes.txt"):
            r = await c.get(f"{base}/files/{path}")
            assert r.status_code == 404 and r.json()["error"]["code"] == "FILE_NOT_FOUND", r.text
            r = await c.post(f"{base}/exports", json={"path": path})
            assert r.status_code == 404 and r.json()["error"]["code"] == "FILE_NOT_FOUND", r.text
        assert not list(app.state.resources.settings.workspaces_dir.glob(f"{thread}*"))  # nothing made
