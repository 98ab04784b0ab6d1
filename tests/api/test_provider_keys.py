"""Users' own provider keys over the API (issue 13), SQLite and PostgreSQL: set, list (never the key), remove,
clear 422s for bad input, encrypted at rest, and `lgurban provider-keys rotate` keeping them usable."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import select

from lgurban import provider_keys
from lgurban.db.migrate import upgrade
from lgurban.db.models import ProviderKey
from lgurban.db.session import make_engine, make_sessionmaker
from lgurban.errors import ProviderKeysUnreadable
from lgurban.settings import Settings
from tests.api.conftest import ApiUser
from tests.conftest import PG_ADMIN_URL
from tests.leaks import files_bytes, table_bytes
from tests.test_cli import lgurban


def raw_key() -> str:
    return "sk-test-" + secrets.token_hex(16)


async def test_set_list_replace_and_remove_a_key_never_showing_it(alice: ApiUser, bob: ApiUser) -> None:
    key = raw_key()
    r = await alice.client.put("/api/me/provider-keys/openai", json={"key": key})
    assert r.status_code == 200, r.text
    shown = r.json()
    assert shown["provider"] == "openai" and shown["last4"] == key[-4:] and shown["last_ok"] is None
    assert key not in r.text
    compatible = raw_key()
    body = {"key": compatible, "base_url": "https://llm.example.org/v1/"}
    r = await alice.client.put("/api/me/provider-keys/openai_compatible", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["base_url"] == "https://llm.example.org/v1"
    listed = await alice.client.get("/api/me/provider-keys")
    assert listed.status_code == 200
    assert [(k["provider"], k["last4"]) for k in listed.json()["items"]] == [
        ("openai", key[-4:]),
        ("openai_compatible", compatible[-4:]),
    ]
    assert key not in listed.text and compatible not in listed.text
    assert (await bob.client.get("/api/me/provider-keys")).json() == {"items": []}  # hers only
    newer = raw_key()
    r = await alice.client.put("/api/me/provider-keys/openai", json={"key": newer})
    assert r.json()["last4"] == newer[-4:]
    assert len((await alice.client.get("/api/me/provider-keys")).json()["items"]) == 2  # replaced
    assert (await alice.client.delete("/api/me/provider-keys/openai")).status_code == 204
    gone = await alice.client.delete("/api/me/provider-keys/openai")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "PROVIDER_KEY_NOT_FOUND"
    assert [k["provider"] for k in (await alice.client.get("/api/me/provider-keys")).json()["items"]] == [
        "openai_compatible"
    ]


@pytest.mark.parametrize(
    ("provider", "body", "code", "says"),
    [
        ("openai_compatible", {"key": "sk-long-enough"}, "INVALID_PROVIDER_KEY", "needs base_url"),
        (
            "openai_compatible",
            {"key": "sk-long-enough", "base_url": "ftp://x.org"},
            "INVALID_PROVIDER_KEY",
            "http",
        ),
        (
            "openai_compatible",
            {"key": "sk-long-enough", "base_url": "not a url"},
            "INVALID_PROVIDER_KEY",
            "http",
        ),
        (
            "openai_compatible",
            {"key": "sk-long-enough", "base_url": "https://u:p@x.org"},
            "INVALID_PROVIDER_KEY",
            "user",
        ),
        (
            "openai",
            {"key": "sk-long-enough", "base_url": "https://x.org"},
            "INVALID_PROVIDER_KEY",
            "no base_url",
        ),
        ("openai", {"key": "short"}, "INVALID_PROVIDER_KEY", "8 to"),
        ("openai", {"key": "sk-with space"}, "INVALID_PROVIDER_KEY", "no spaces"),
        ("openai", {}, "VALIDATION_ERROR", "key"),
        ("mistral", {"key": "sk-long-enough"}, "VALIDATION_ERROR", "provider"),
    ],
)
async def test_bad_input_is_a_clear_422(
    alice: ApiUser, provider: str, body: dict[str, Any], code: str, says: str
) -> None:
    r = await alice.client.put(f"/api/me/provider-keys/{provider}", json=body)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == code and says in error["message"], error
    assert (await alice.client.get("/api/me/provider-keys")).json() == {"items": []}


async def test_removing_an_unknown_provider_is_422_and_needs_sign_in(alice: ApiUser, token_app: Any) -> None:
    assert (await alice.client.delete("/api/me/provider-keys/mistral")).status_code == 422
    from tests.factories import api_client

    async with api_client(token_app) as anonymous:
        r = await anonymous.put("/api/me/provider-keys/openai", json={"key": raw_key()})
        assert r.status_code == 401


async def test_the_key_is_encrypted_at_rest(alice: ApiUser, token_app: Any, db_url: str) -> None:
    key = raw_key()
    r = await alice.client.put("/api/me/provider-keys/anthropic", json={"key": key})
    assert r.status_code == 200
    settings: Settings = token_app.state.resources.settings
    at_rest = table_bytes(db_url, "provider_keys") + files_bytes(settings.data_dir)
    assert key[-4:].encode() in at_rest  # the scan sees the table: its last4 column is there
    assert key.encode() not in at_rest and key[:-4].encode() not in at_rest
    async with token_app.state.resources.sessionmaker() as session:
        row = (await session.scalars(select(ProviderKey).where(ProviderKey.user_id == alice.made.id))).one()
        assert row.ciphertext.startswith("gAAAA")  # a Fernet token
        cred = await provider_keys.credential_for(session, settings, alice.made.id, "anthropic")
    assert cred is not None and cred.api_key == key and key not in repr(cred)


@pytest.fixture
def own_db_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A database of this test's own on the backend under test: rotation reads every user's keys."""
    if not db_url.startswith("postgres"):
        url = f"sqlite:///{tmp_path / 'own.sqlite'}"
        upgrade(Settings(environment="test", database_url=url, data_dir=tmp_path / "migrate"))
        yield url
        return
    name = f"lgurban_keys_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rpartition("/")[0] + f"/{name}"
    try:
        upgrade(Settings(environment="test", database_url=url, data_dir=tmp_path / "migrate"))
        yield url
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_rotation_re_encrypts_every_key_with_the_new_secret(
    settings_factory: Any, tmp_path: Any, own_db_url: str
) -> None:
    old = settings_factory(
        auth_mode="token", provider_keys_secret="old-secret-" + "a" * 32, database_url=own_db_url
    )
    engine = make_engine(old)
    sessionmaker = make_sessionmaker(engine)
    from tests.factories import make_user

    user = await make_user(sessionmaker)
    key = raw_key()
    try:
        async with sessionmaker() as session:
            await provider_keys.set_key(session, old, user.id, "openai", key)
            await session.commit()
        new = settings_factory(
            auth_mode="token", provider_keys_secret="new-secret-" + "b" * 32, database_url=own_db_url
        )
        async with sessionmaker() as session:  # the new secret alone cannot read it yet
            with pytest.raises(ProviderKeysUnreadable):
                await provider_keys.credential_for(session, new, user.id, "openai")
        env = {
            "database_url": old.database_url.get_secret_value(),  # type: ignore[union-attr]
            "data_dir": old.data_dir,
            "provider_keys_secret": "new-secret-" + "b" * 32,
            "provider_keys_previous_secrets": "old-secret-" + "a" * 32,
        }
        done = await asyncio.to_thread(lgurban, "provider-keys", "rotate", cwd=tmp_path, **env)
        assert done.returncode == 0, done.stderr
        assert "re-encrypted" in done.stdout
        async with sessionmaker() as session:
            cred = await provider_keys.credential_for(session, new, user.id, "openai")
            assert cred is not None and cred.api_key == key  # usable with the new secret alone
            with pytest.raises(ProviderKeysUnreadable):
                await provider_keys.credential_for(session, old, user.id, "openai")  # the old is done with
        wrong = await asyncio.to_thread(
            lgurban,
            "provider-keys",
            "rotate",
            cwd=tmp_path,
            **{**env, "provider_keys_secret": "x" * 40, "provider_keys_previous_secrets": ""},
        )
        assert wrong.returncode == 1 and "does not decrypt" in wrong.stderr
    finally:
        await engine.dispose()
