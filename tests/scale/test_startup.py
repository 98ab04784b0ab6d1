"""Replicas started together on a fresh database all come up (migrations and checkpointer set-up locked);
`serve --workers N` only on a replica-safe configuration."""

from __future__ import annotations

import subprocess
from pathlib import Path

from lgurban.cli.serve import replica_unsafe
from lgurban.settings import Settings
from tests.fakes.openai_server import FakeOpenAI
from tests.scale.conftest import (
    LGURBAN,
    REDIS_URL,
    SETTING_NAMES,
    Replica,
    drop_pg_database,
    fresh_pg_database,
    replica_env,
)


def test_four_replicas_started_at_once_on_a_fresh_database_all_answer(
    tmp_path: Path, redis_prefix: str, model: FakeOpenAI
) -> None:
    db = fresh_pg_database()
    replicas: list[Replica] = []
    try:
        env = replica_env(tmp_path, db=db, redis_url=REDIS_URL, prefix=redis_prefix, model=model)
        replicas = [Replica(env, "--migrate", wait=False) for _ in range(4)]
        for replica in replicas:
            replica.wait_healthy(timeout=120)  # 200: migrated, checkpointer ready, Redis answers
    finally:
        for replica in replicas:
            replica.stop()
        drop_pg_database(db)


def test_workers_refused_with_the_reasons_on_an_unsafe_configuration(tmp_path: Path) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k.upper() not in SETTING_NAMES}
    env.update(ENVIRONMENT="test", DATA_DIR=str(tmp_path / "d"))
    r = subprocess.run(
        [LGURBAN, "serve", "--workers", "2"], env=env, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 2
    for reason in ("REDIS_URL", "SQLite", "SANDBOX_BACKEND=local"):
        assert reason in r.stderr, r.stderr


def test_replica_safe_configuration() -> None:
    safe = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        redis_url=REDIS_URL,
        database_url="postgresql://postgres@127.0.0.1:5432/x",
        sandbox_backend="modal",
    )
    assert replica_unsafe(safe) == []
    assert replica_unsafe(safe.model_copy(update={"redis_url": ""})) != []
