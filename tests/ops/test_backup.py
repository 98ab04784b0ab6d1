"""`lgurban backup` / `lgurban restore` (issue 12) on an embedded install: a thread, its message history, a
workspace file and an artifact made through the API come back after the data folder is lost."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from lgurban.app import create_app
from lgurban.cli import app as cli_app
from lgurban.db.migrate import upgrade
from lgurban.settings import Settings


def _settings(data: Path) -> Settings:
    return Settings(data_dir=data, environment="test", _env_file=None)  # type: ignore[call-arg]


async def _make_data(settings: Settings) -> tuple[str, str]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            tid = (await client.post("/api/threads", json={"title": "kept"})).json()["id"]
            code = "open('artifacts/out.csv', 'w').write('a,b\\n1,2\\n'); open('notes.txt', 'w').write('n')"
            r = await client.post(f"/api/threads/{tid}/execute", json={"code": code})
            assert r.json()["ok"], r.text
            [artifact] = r.json()["artifacts"]
    return tid, artifact["id"]


async def _check_data(settings: Settings, tid: str, artifact_id: str) -> None:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            assert (await client.get(f"/api/threads/{tid}")).json()["title"] == "kept"
            files = {f["path"] for f in (await client.get(f"/api/threads/{tid}/files")).json()["items"]}
            assert {"notes.txt", "artifacts/out.csv"} <= files
            link = (await client.get(f"/api/artifacts/{artifact_id}/download")).headers["location"]
            assert (await client.get(link)).text == "a,b\n1,2\n"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    monkeypatch.setenv("DATA_DIR", str(data))
    monkeypatch.setenv("ENVIRONMENT", "test")
    for name in ("DATABASE_URL", "STORAGE_BACKEND", "SANDBOX_BACKEND", "LANGGRAPH_CHECKPOINT_DB_URL"):
        monkeypatch.delenv(name, raising=False)
    return data


async def test_backup_to_a_file_and_restore_after_loss(env: Path, tmp_path: Path) -> None:
    settings = _settings(env)
    upgrade(settings)
    tid, artifact_id = await _make_data(settings)
    archive = tmp_path / "b.tar.gz"
    runner = CliRunner()
    made = await asyncio.to_thread(runner.invoke, cli_app, ["backup", "--to", str(archive)])
    assert made.exit_code == 0, made.output
    assert "backup written" in made.output and "db/app.sqlite" in made.output and "workspaces" in made.output
    shutil.rmtree(env)  # the machine's disk is lost (the signing key too: a new one is made)
    again = await asyncio.to_thread(runner.invoke, cli_app, ["restore", str(archive)])
    assert again.exit_code == 0, again.output
    await _check_data(_settings(env), tid, artifact_id)
    refused = await asyncio.to_thread(runner.invoke, cli_app, ["restore", str(archive)])
    assert refused.exit_code == 1 and "--force" in refused.output


async def test_backup_into_the_store_and_restore_by_key(env: Path, tmp_path: Path) -> None:
    settings = _settings(env)
    upgrade(settings)
    tid, artifact_id = await _make_data(settings)
    runner = CliRunner()
    made = await asyncio.to_thread(runner.invoke, cli_app, ["backup"])
    assert made.exit_code == 0, made.output
    key = made.output.split("backup written: ", 1)[1].split(" ", 1)[0]
    assert key.startswith("backup/") and (settings.resolved_storage_dir / key).is_file()
    (env / "lgurban.sqlite").unlink()  # the database is lost; the store folder survived
    shutil.rmtree(settings.workspaces_dir)
    restored = await asyncio.to_thread(runner.invoke, cli_app, ["restore", key, "--force"])
    assert restored.exit_code == 0, restored.output
    await _check_data(_settings(env), tid, artifact_id)
    missing = await asyncio.to_thread(runner.invoke, cli_app, ["restore", "backup/none/x.tar.gz"])
    assert missing.exit_code == 1 and "not in the object store" in missing.output
