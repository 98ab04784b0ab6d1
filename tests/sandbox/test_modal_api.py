"""The code API with SANDBOX_BACKEND=modal: the app builds the Modal backend from its settings (the Modal SDK
replaced by the fake transport running the real driver), executions are recorded, files and health work, and
deleting the thread deletes its Volume."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from lgurban.db.models import Execution
from lgurban.resources import Resources
from lgurban.sandbox import modal_backend
from lgurban.settings import Settings
from tests.fakes.modal_fake import FakeModal, running_processes


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeModal:
    fake = FakeModal(tmp_path / "modal")
    monkeypatch.setattr(modal_backend, "load_sdk", lambda: fake)
    return fake


@pytest.fixture
def settings(settings_factory: Any, fake: FakeModal) -> Settings:
    return settings_factory(sandbox_backend="modal", modal_app_name="lgurban-api-test")  # type: ignore[no-any-return]


async def test_execute_files_and_delete_on_modal(
    client: httpx.AsyncClient, app: Any, fake: FakeModal
) -> None:
    resources: Resources = app.state.resources
    assert resources.sandboxes.backend.name == "modal"
    thread = (await client.post("/api/threads", json={"title": "modal"})).json()
    base = f"/api/threads/{thread['id']}"

    r = await client.post(f"{base}/execute", json={"code": "x = 20\nx + 22"})
    assert r.status_code == 200, r.text
    assert r.json()["ok"] and r.json()["outputs"] == [
        {"mime": "text/plain", "data": "42", "bundle": 0, "is_result": True}
    ]
    r = await client.post(f"{base}/execute", json={"code": "open('artifacts/t.csv', 'w').write('a\\n1\\n')"})
    assert r.json()["ok"], r.text
    # the artifact was read out of the sandbox through the host and stored: its download is the same bytes
    [artifact] = r.json()["artifacts"]
    assert artifact["filename"] == "t.csv" and artifact["size"] == 4
    assert artifact["sha256"] == hashlib.sha256(b"a\n1\n").hexdigest()
    download = await client.get(f"/api/artifacts/{artifact['id']}/download", follow_redirects=True)
    assert download.status_code == 200 and download.content == b"a\n1\n"
    files = (await client.get(f"{base}/files")).json()["items"]
    assert [(f["path"], f["size"]) for f in files] == [("artifacts/t.csv", 4)]
    r = await client.get(f"{base}/files/artifacts/t.csv")
    assert r.status_code == 200 and r.content == b"a\n1\n"

    health = (await client.get("/api/health")).json()
    assert health["checks"]["sandbox"].startswith("ok (Modal app 'lgurban-api-test'")
    [lookup] = fake.calls_to("App.lookup")
    assert lookup.args == ("lgurban-api-test",)

    async with resources.sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(Execution).where(Execution.thread_id == uuid.UUID(thread["id"]))
        )
    assert count == 2

    assert (await client.delete(base)).status_code == 204
    assert not fake.volume_dir(modal_backend.volume_name(uuid.UUID(thread["id"]))).exists()
    assert running_processes(fake).running == 0
