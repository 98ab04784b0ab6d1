"""`lgurban backup` / `lgurban restore` (issue 12) on an embedded install: a thread, its message history, a
workspace file and an artifact made through the API come back after the data folder is lost."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from typer.testing import CliRunner

from lgurban.app import create_app
from lgurban.cli import app as cli_app
from lgurban.db.migrate import upgrade
from lgurban.settings import Settings
from tests.artifacts.test_s3_pipeline import make_bucket
from tests.conftest import PG_ADMIN_URL, _pg_url
from tests.storage.conftest import Moto, s3_settings


def _settings(data: Path, database_url: str | None = None, **extra: Any) -> Settings:
    return Settings(data_dir=data, environment="test", database_url=database_url, _env_file=None, **extra)  # type: ignore[call-arg]


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
            if link.startswith("/") or link.startswith("http://t/"):
                got = await client.get(link)
            else:  # a presigned S3 link
                async with httpx.AsyncClient() as http:
                    got = await http.get(link)
            assert got.text == "a,b\n1,2\n"


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


@pytest.fixture
def pg_url() -> Iterator[str]:
    name = f"lgurban_backup_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _pg_url(name)
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_postgresql_is_dumped_and_restored(
    env: Path, tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", pg_url)
    settings = _settings(env, pg_url)
    upgrade(settings)
    tid, artifact_id = await _make_data(settings)
    archive = tmp_path / "pg.tar.gz"
    runner = CliRunner()
    made = await asyncio.to_thread(runner.invoke, cli_app, ["backup", "--to", str(archive)])
    assert made.exit_code == 0, made.output
    assert "db/app.dump" in made.output and "checkpoints" not in made.output  # one database holds both
    name = pg_url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:  # the database is lost
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    shutil.rmtree(env)
    again = await asyncio.to_thread(runner.invoke, cli_app, ["restore", str(archive)])
    assert again.exit_code == 0, again.output
    await _check_data(_settings(env, pg_url), tid, artifact_id)


async def test_backup_into_s3_and_restore_by_key(
    env: Path, tmp_path: Path, moto: Moto, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_bucket(tmp_path, moto, bucket)
    extra = s3_settings(moto, s3_bucket=bucket)
    for name, value in extra.items():
        monkeypatch.setenv(name.upper(), str(value))
    settings = _settings(env, **extra)
    upgrade(settings)
    tid, artifact_id = await _make_data(settings)
    runner = CliRunner()
    made = await asyncio.to_thread(runner.invoke, cli_app, ["backup"])
    assert made.exit_code == 0, made.output
    assert "store" not in made.output.split("bytes; ", 1)[1]  # the bucket is not copied into itself
    key = made.output.split("backup written: ", 1)[1].split(" ", 1)[0]
    assert moto.client().head_object(Bucket=bucket, Key=key)["ContentLength"] > 0
    shutil.rmtree(env)  # the API's disk is lost; the bucket is not
    restored = await asyncio.to_thread(runner.invoke, cli_app, ["restore", key])
    assert restored.exit_code == 0, restored.output
    await _check_data(_settings(env, **extra), tid, artifact_id)
