"""`lgurban db check` as a real command: SQLite, the TLS test cluster, a refused certificate."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lgurban.agent.checkpointer import open_checkpointer
from lgurban.db.migrate import upgrade
from lgurban.settings import Settings
from tests.ops.conftest import TlsCluster
from tests.test_cli import lgurban


def _prepare(url: str | None, data: Path) -> None:
    settings = Settings(environment="test", data_dir=data, database_url=url, _env_file=None)  # type: ignore[call-arg]
    upgrade(settings)

    async def tables() -> None:
        async with open_checkpointer(settings):
            pass

    asyncio.run(tables())


def test_fresh_sqlite_reports_what_is_missing_then_ok(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    r = lgurban("db", "check", cwd=tmp_path, data_dir=data)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "lgurban db upgrade" in r.stderr and "checkpointer tables missing" in r.stderr
    _prepare(None, data)
    r = lgurban("db", "check", cwd=tmp_path, data_dir=data)
    assert r.returncode == 0, r.stderr
    assert "SQLite" in r.stdout and "tables present" in r.stdout and r.stdout.endswith("ok\n")


def test_verified_tls_to_postgres_is_reported(tls_cluster: TlsCluster, tmp_path: Path) -> None:
    url = tls_cluster.url(query=f"sslmode=verify-full&sslrootcert={tls_cluster.ca}")
    _prepare(url, tmp_path)
    r = lgurban("db", "check", cwd=tmp_path, data_dir=tmp_path, database_url=url)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "PostgreSQL 1" in out and "certificate and host name verified" in out and "TLSv1" in out
    assert "ms (median" in out and "tables present" in out


def test_unverified_tls_and_refused_certificates_are_said(tls_cluster: TlsCluster, tmp_path: Path) -> None:
    weak = lgurban(
        "db", "check", cwd=tmp_path, data_dir=tmp_path, database_url=tls_cluster.url(query="sslmode=require")
    )
    assert "certificate NOT verified" in weak.stdout, weak.stderr
    wrong = tls_cluster.url(query=f"sslmode=verify-full&sslrootcert={tls_cluster.wrong_ca}")
    r = lgurban("db", "check", cwd=tmp_path, data_dir=tmp_path, database_url=wrong)
    assert r.returncode == 1
    assert "sslrootcert" in r.stderr and "Traceback" not in r.stderr
