"""RDS-style DATABASE_URLs: libpq parameters work with asyncpg, TLS is verified, the password stays hidden."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from lgurban.agent.checkpointer import check, open_checkpointer
from lgurban.db.pg_connect import DatabaseTLSError
from lgurban.db.session import make_engine
from lgurban.settings import Settings
from tests.ops.conftest import TlsCluster


def make(tmp_path: Path, **values: object) -> Settings:
    return Settings(environment="test", data_dir=tmp_path, _env_file=None, **values)  # type: ignore[arg-type]


_SSL_SQL = "SELECT ssl, current_setting('application_name') FROM pg_stat_ssl WHERE pid = pg_backend_pid()"


async def _ssl_in_use(settings: Settings) -> tuple[bool, str]:
    engine = make_engine(settings)
    try:
        async with engine.connect() as conn:
            row = (await conn.execute(text(_SSL_SQL))).one()
            return bool(row[0]), str(row[1])
    finally:
        await engine.dispose()


async def test_verify_full_with_the_right_root_cert_connects(tls_cluster: TlsCluster, tmp_path: Path) -> None:
    query = f"sslmode=verify-full&sslrootcert={tls_cluster.ca}&connect_timeout=5&application_name=lgu-test"
    used, app_name = await _ssl_in_use(make(tmp_path, database_url=tls_cluster.url(query=query)))
    assert used is True
    assert app_name == "lgu-test"


async def test_wrong_root_cert_is_refused_naming_the_setting(tls_cluster: TlsCluster, tmp_path: Path) -> None:
    url = tls_cluster.url(query=f"sslmode=verify-full&sslrootcert={tls_cluster.wrong_ca}")
    with pytest.raises(DatabaseTLSError) as info:
        await _ssl_in_use(make(tmp_path, database_url=url))
    assert "sslrootcert" in str(info.value) and "DATABASE_URL" in str(info.value)
    assert str(tls_cluster.wrong_ca) in str(info.value)


async def test_verify_full_checks_the_host_name(tls_cluster: TlsCluster, tmp_path: Path) -> None:
    # the certificate names localhost only; 127.0.0.1 is the same server under another name
    full = tls_cluster.url(host="127.0.0.1", query=f"sslmode=verify-full&sslrootcert={tls_cluster.ca}")
    with pytest.raises(DatabaseTLSError):
        await _ssl_in_use(make(tmp_path, database_url=full))
    ca_only = tls_cluster.url(host="127.0.0.1", query=f"sslmode=verify-ca&sslrootcert={tls_cluster.ca}")
    assert (await _ssl_in_use(make(tmp_path, database_url=ca_only)))[0] is True


async def test_require_encrypts_without_verifying(tls_cluster: TlsCluster, tmp_path: Path) -> None:
    used, _ = await _ssl_in_use(make(tmp_path, database_url=tls_cluster.url(query="sslmode=require")))
    assert used is True


async def test_migrations_and_checkpointer_take_the_same_url(tls_cluster: TlsCluster, tmp_path: Path) -> None:
    from lgurban.db.migrate import upgrade

    url = tls_cluster.url(query=f"sslmode=verify-full&sslrootcert={tls_cluster.ca}&connect_timeout=5")
    settings = make(tmp_path, database_url=url)
    upgrade(settings)
    async with open_checkpointer(settings) as saver:
        assert await check(saver) == "ok"


async def test_asyncpg_checkpoint_url_is_postgres(tls_cluster: TlsCluster, tmp_path: Path) -> None:
    cp = tls_cluster.url(query=f"ssl=verify-full&sslrootcert={tls_cluster.ca}").replace(
        "postgresql://", "postgresql+asyncpg://"
    )
    settings = make(tmp_path, langgraph_checkpoint_db_url=cp)
    async with open_checkpointer(settings) as saver:
        assert type(saver).__name__ == "AsyncPostgresSaver"
        assert await check(saver) == "ok"
    assert not (tmp_path / "checkpoints.sqlite").exists()


def test_repr_and_str_of_settings_hide_database_passwords(tmp_path: Path) -> None:
    s = make(
        tmp_path,
        database_url="postgresql://app:hunter2-db-pass@db.example:5432/app",
        langgraph_checkpoint_db_url="postgresql://cp:hunter3-cp-pass@db.example:5432/cp",
    )
    for shown in (repr(s), str(s), s.model_dump_json()):
        assert "hunter2-db-pass" not in shown and "hunter3-cp-pass" not in shown
    assert "hunter2-db-pass" in s.resolved_database_url  # still usable by the engine


def test_bad_tls_values_are_refused_with_the_setting_named(tmp_path: Path) -> None:
    for query in ("sslmode=verify-fool", f"sslmode=verify-full&sslrootcert={tmp_path / 'missing.pem'}"):
        with pytest.raises(ValueError, match="DATABASE_URL"):
            make_engine(make(tmp_path, database_url=f"postgresql://u@localhost/x?{query}"))


async def test_checkpointer_pool_replaces_dropped_connections(pg_database: str, tmp_path: Path) -> None:
    import psycopg

    settings = make(tmp_path, database_url=pg_database)
    dbname = pg_database.rsplit("/", 1)[1]
    async with open_checkpointer(settings) as saver:
        assert await check(saver) == "ok"
        with psycopg.connect(settings.resolved_checkpoint_url, autocommit=True) as admin:  # a failover
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (dbname,),
            )
        assert await check(saver) == "ok"  # the first read after it, not an error
